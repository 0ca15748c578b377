/** GET /api/health (anonymous; details for callers who may see them): functions/ops/health.ts. */
import type { Handler } from "../app/http.ts";
import type { Services } from "../app/services.ts";
import { healthHandler } from "../ops/health.ts";
import { VERSION } from "./version.ts";

export function health(services: () => Services): Handler {
  return healthHandler(services, VERSION);
}
