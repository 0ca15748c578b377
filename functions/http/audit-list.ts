/** GET /api/companies/{companyId}/audit: the company's audit trail, newest 500 (admin). */
import { json } from "../app/http.ts";
import { auditRepository } from "../storage/index.ts";
import type { Operation } from "./operation.ts";

export const listAudit: Operation = async (_req, _p, s, { companyId: id }) => {
  const entries = await auditRepository(s.storage).list(id, 500);
  return json(200, { entries: entries.map(({ etag: _e, ...e }) => e) });
};
