/**
 * GET /api/health (functions/ops/health.ts): storage reachable, version, counts; the last run per company only for
 * callers who may see those companies. 503 with status "degraded" when storage does not answer in time.
 * GET /api/metrics answers Prometheus text (no JSON schema: its format is Prometheus's exposition format).
 */
import { type Static, Type } from "@sinclair/typebox";
import { CompanyId } from "./fields.ts";

const Count = () => Type.Integer({ minimum: 0 });

export const HealthResponse = Type.Object({
  status: Type.Union([Type.Literal("ok"), Type.Literal("attention"), Type.Literal("degraded")]),
  version: Type.String(),
  storage: Type.Union([Type.Literal("reachable"), Type.Literal("unreachable")]),
  latencyMs: Type.Optional(Count()),
  companies: Type.Optional(Count()),
  lastRuns: Type.Optional(Type.Record(Type.String(), Count())),
  mails: Type.Optional(Type.Object({ stuck: Count(), failed: Count(), bounced: Count() })),
  runs: Type.Optional(
    Type.Array(
      Type.Object({
        companyId: CompanyId(),
        period: Type.String(),
        kind: Type.String(),
        status: Type.String(),
        startedAt: Type.String(),
        finishedAt: Type.Union([Type.String(), Type.Null()]),
      }),
    ),
  ),
});
export type HealthResponse = Static<typeof HealthResponse>;
