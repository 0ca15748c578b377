/** GET /api/parameters: the parameter set in force (version, date, entered values), which the pane loads at open. */
import type { HttpRequest, HttpResponseInit } from "@azure/functions";
import { json } from "../app/http.ts";
import type { Services } from "../app/services.ts";
import type { Principal } from "../auth/index.ts";
import { parameterSetView } from "../payroll/parameters.ts";
import { parametersRepository } from "../storage/index.ts";

export async function getParameters(_req: HttpRequest, _p: Principal, s: Services): Promise<HttpResponseInit> {
  return json(200, parameterSetView(await parametersRepository(s.storage).current()), { "Cache-Control": "no-store" });
}
