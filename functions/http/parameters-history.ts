/** GET /api/parameters/history: who changed which parameter when, from what to what, with its reference (admin). */
import type { HttpRequest, HttpResponseInit } from "@azure/functions";
import { json } from "../app/http.ts";
import type { Services } from "../app/services.ts";
import type { Principal } from "../auth/index.ts";
import { auditRepository } from "../storage/index.ts";

export async function getParameterHistory(_req: HttpRequest, _p: Principal, s: Services): Promise<HttpResponseInit> {
  // Firm-wide entries are few (parameters, grants): the newest 500 cover years of changes.
  const entries = await auditRepository(s.storage).list(undefined, 500);
  return json(200, { entries: entries.filter((e) => e.action.startsWith("parameter.")).map(({ etag: _e, ...e }) => e) });
}
