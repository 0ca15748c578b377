/** GET /api/companies: the companies the caller may see. */
import { json } from "../app/http.ts";
import { canSeeCompany } from "../auth/index.ts";
import { companiesRepository } from "../storage/index.ts";
import type { Operation } from "./operation.ts";

export const listCompanies: Operation = async (_req, p, s) => {
  const all = await companiesRepository(s.storage).list();
  return json(200, { companies: all.filter((c) => canSeeCompany(p, c.id)).map(({ etag: _e, ...c }) => c) });
};
