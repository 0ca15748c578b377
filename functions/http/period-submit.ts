/** POST /api/companies/{companyId}/periods/{period}: submit a period (inputs, the pane's figures, the version it replaces). */
import type { SubmitOutcome } from "../../shared/api/periods.ts";
import { json, readJson } from "../app/http.ts";
import { submitPeriodBody } from "../payroll/submit.ts";
import type { Operation } from "./operation.ts";

export const submitPeriod: Operation = async (req, p, s, { companyId: id, period }) => {
  const body = await readJson(req, s.config.maxBodyBytes);
  const outcome: SubmitOutcome = await submitPeriodBody(s, p, id, period, body);
  return json(outcome.written ? 201 : 200, outcome);
};
