/**
 * POST /api/companies/{companyId}/periods/{period}/run: run the payroll now (admin). Queued like the scheduler's runs
 * (functions/timers/payroll-fanout.ts): 202 once on the queue, 200 when skipped; the period's state tells the rest.
 */
import type { RunRequested } from "../../shared/api/periods.ts";
import { json } from "../app/http.ts";
import { requestPayrollRun } from "../timers/payroll-fanout.ts";
import type { Operation } from "./operation.ts";

export const runPeriod: Operation = async (_req, p, s, { companyId: id, period }) => {
  const outcome: RunRequested = await requestPayrollRun(s, id, period, p.oid);
  return json(outcome.status === "queued" ? 202 : 200, outcome);
};
