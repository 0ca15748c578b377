/** GET /api/companies/{companyId}: one company, with its ETag for a later PUT. */
import { json } from "../app/http.ts";
import { ApiError } from "../payroll/errors.ts";
import { companiesRepository } from "../storage/index.ts";
import type { Operation } from "./operation.ts";

export const getCompany: Operation = async (_req, _p, s, { companyId: id }) => {
  const c = await companiesRepository(s.storage).get(id);
  if (!c) throw new ApiError(404, "not_found", `Société ${id} introuvable.`);
  return json(200, c, { ETag: c.etag });
};
