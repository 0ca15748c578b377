/** GET /api/metrics, Prometheus text; PAIE_METRICS_KEY holder or Payroll.Admin (functions/ops/health.ts says why). */
import type { Handler } from "../app/http.ts";
import type { Services } from "../app/services.ts";
import { metricsHandler } from "../ops/health.ts";
import { VERSION } from "./version.ts";

export function metrics(services: () => Services): Handler {
  return metricsHandler(services, VERSION);
}
