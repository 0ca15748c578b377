/** GET /api/parameters/history: who changed which parameter when, from what to what, with its reference (admin). */
import { json } from "../app/http.ts";
import { auditRepository } from "../storage/index.ts";
import type { Operation } from "./operation.ts";

export const getParameterHistory: Operation = async (_req, _p, s) => {
  // Firm-wide entries are few (parameters, grants): the newest 500 cover years of changes.
  const entries = await auditRepository(s.storage).list(undefined, 500);
  return json(200, { entries: entries.filter((e) => e.action.startsWith("parameter.")).map(({ etag: _e, ...e }) => e) });
};
