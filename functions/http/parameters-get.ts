/** GET /api/parameters: the parameter set in force (version, date, entered values), which the pane loads at open. */
import { json } from "../app/http.ts";
import { parameterSetView } from "../payroll/parameters.ts";
import { parametersRepository } from "../storage/index.ts";
import type { Operation } from "./operation.ts";

// Its shape is ParametersResponse (shared/api/parameters.ts), checked on a live stack by tests/functions/api-contract.test.ts.
export const getParameters: Operation = async (_req, _p, s) =>
  json(200, parameterSetView(await parametersRepository(s.storage).current()), { "Cache-Control": "no-store" });
