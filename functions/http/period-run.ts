/** POST /api/companies/{companyId}/periods/{period}/run: run the payroll now (admin); 500 when the run failed. */
import type { RunOutcome } from "../../shared/api/periods.ts";
import { json } from "../app/http.ts";
import { dsmExtra } from "../payroll/dsm.ts";
import { runPayroll } from "../payroll/run.ts";
import type { Operation } from "./operation.ts";

export const runPeriod: Operation = async (_req, p, s, { companyId: id, period }) => {
  const outcome: RunOutcome = await runPayroll(s, id, period, p.oid, { extraDocuments: dsmExtra });
  return json(outcome.status === "failed" ? 500 : 200, outcome);
};
