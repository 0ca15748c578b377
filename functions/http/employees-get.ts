/** GET /api/companies/{companyId}/employees: the company's master data. */
import { json } from "../app/http.ts";
import { employeesRepository } from "../storage/index.ts";
import type { Operation } from "./operation.ts";

export const getEmployees: Operation = async (_req, _p, s, { companyId: id }) => {
  const list = await employeesRepository(s.storage).list(id);
  return json(200, { employees: list.map(({ etag: _e, ...e }) => e) });
};
