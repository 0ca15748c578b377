/** GET /api/companies/{companyId}/periods/{period}: status, payslips, document links and mails of the current version, and its run. */

import type { PeriodState } from "../../shared/api/periods.ts";
import type { PayslipResult } from "../../shared/core/result.ts";
import { casesToCheck, parameterNotice } from "../../shared/rates/parameter-notices.ts";
import { json } from "../app/http.ts";
import { storedCarryStale } from "../payroll/carry-check.ts";
import { mailStatuses } from "../payroll/mails.ts";
import { readCurrentPayslips } from "../storage/index.ts";
import { payrollRunState } from "../timers/payroll-dispatches.ts";
import type { Operation } from "./operation.ts";

export const getPeriod: Operation = async (_req, _p, s, { companyId: id, period }) => {
  const { period: record, payslips } = await readCurrentPayslips(s.storage, id, period);
  const mails = await mailStatuses(s, id, period);
  const run = await payrollRunState(s.storage, id, period);
  const recompute = await storedCarryStale(s, id, period);
  const { etag: _e, ...view } = record;
  const results = payslips.map((ps) => (ps.result as { result: PayslipResult }).result);
  const names = new Map(payslips.filter((ps) => ps.employee).map((ps) => [ps.employeeId, `${ps.employee!.lastName} ${ps.employee!.firstName}`]));
  return json(200, {
    ...(run ? { run } : {}),
    ...(recompute ? { recompute } : {}),
    period: view,
    // Said once for the month (a version stored before notices were kept has it recomputed from its results).
    parameterNotice: record.parameterNotice ?? parameterNotice(period, results) ?? null,
    casesToCheck: casesToCheck(results, names),
    payslips: payslips.map((ps) => ({
      employeeId: ps.employeeId,
      grossCents: ps.grossCents,
      netCents: ps.netCents,
      employerCostCents: ps.employerCostCents,
      result: (ps.result as { result: PayslipResult }).result,
    })),
    documents: record.documents.map((d) => ({
      ...d,
      url: `${s.config.publicBaseUrl}/api/companies/${id}/documents/${d.path.slice(`companies/${id}/`.length)}`,
    })),
    mails,
  } satisfies PeriodState);
};
