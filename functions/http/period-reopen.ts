/** POST /api/companies/{companyId}/periods/{period}/reopen: reopen a mailed or closed month for correction (admin), body { "reason": "…" }. */
import { ReopenBody, type ReopenResponse } from "../../shared/api/periods.ts";
import { json, readJson } from "../app/http.ts";
import { reopenPeriod as reopen } from "../payroll/reopen-period.ts";
import { type Operation, validate } from "./operation.ts";

export const reopenPeriod: Operation = async (req, p, s, { companyId: id, period }) => {
  const body = validate<ReopenBody>(ReopenBody, await readJson(req, s.config.maxBodyBytes), "Réouverture de la période");
  return json(200, (await reopen(s, p, id, period, body.reason)) satisfies ReopenResponse);
};
