/**
 * Cloud runs (generation, mailing) per company and period: partition = company,
 * row = `${period}|${inverted start time}${random}` so a period's runs list newest first.
 */
import { type Static, Type } from "@sinclair/typebox";
import { PERIOD_PATTERN } from "../../shared/core/period.ts";
import { createIfAbsent, replaceIfMatch } from "./batch.ts";
import { defineCodec, type Stored } from "./codec.ts";
import type { Storage } from "./config.ts";
import { ConcurrencyError } from "./errors.ts";
import { assertCompanyId, assertPeriod, COMPANY_ID_PATTERN, KEY_SEPARATOR, odataString } from "./keys.ts";
import { IsoDateTime, invertedTimestamp, randomSuffix, readMany, readOne, withEtag } from "./repo.ts";

/**
 * "superseded": the run did nothing because another run holds (or produced) the same version, or a newer version was
 * submitted while it ran; `supersededBy` names the run that took its place when there is one.
 */
export const RUN_STATUSES = ["running", "succeeded", "failed", "partial", "superseded"] as const;
export const RUN_ID_PATTERN = "^\\d{13}[0-9a-f]{8}$";

/** A run still "running" after this long cannot be alive: the Functions host stops an invocation at 10 min (host.json). */
export const STALLED_AFTER_MS = 15 * 60 * 1000;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** As the admins read them (notifications, summaries). */
export const RUN_STATUS_LABELS: Readonly<Record<RunStatus, string>> = {
  running: "en cours",
  succeeded: "réussie",
  failed: "échouée",
  partial: "partielle",
  superseded: "remplacée",
};

export const RunSchema = Type.Object(
  {
    companyId: Type.String({ pattern: COMPANY_ID_PATTERN }),
    period: Type.String({ pattern: PERIOD_PATTERN }),
    runId: Type.String({ pattern: RUN_ID_PATTERN }),
    kind: Type.String({ minLength: 1, maxLength: 40 }),
    status: Type.Union(RUN_STATUSES.map((s) => Type.Literal(s))),
    startedAt: IsoDateTime(),
    finishedAt: Type.Optional(IsoDateTime()),
    counts: Type.Record(Type.String(), Type.Integer({ minimum: 0 })),
    error: Type.Optional(Type.String({ maxLength: 4000 })),
    supersededBy: Type.Optional(Type.String({ pattern: RUN_ID_PATTERN })),
    /** Why a run was superseded (French, for the history). */
    reason: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type RunRecord = Static<typeof RunSchema>;

export function runsRepository(storage: Storage) {
  const client = storage.table("runs");
  const codec = defineCodec(client.tableName, RunSchema);
  const rowKey = (period: string, runId: string) => `${period}${KEY_SEPARATOR}${runId}`;
  return {
    codec,
    async start(companyId: string, period: string, kind: string, now: Date): Promise<Stored<RunRecord>> {
      assertCompanyId(companyId);
      assertPeriod(period);
      const run: RunRecord = {
        companyId,
        period,
        runId: invertedTimestamp(now) + randomSuffix(),
        kind,
        status: "running",
        startedAt: now.toISOString(),
        counts: {},
      };
      const etag = await createIfAbsent(client, codec.toEntity(companyId, rowKey(period, run.runId), run));
      return withEtag(run, etag);
    },
    async finish(
      run: Stored<RunRecord>,
      outcome: { status: Exclude<RunStatus, "running">; now: Date; counts?: Record<string, number>; error?: string; supersededBy?: string; reason?: string },
    ): Promise<Stored<RunRecord>> {
      const { etag, ...base } = run;
      const next: RunRecord = {
        ...base,
        status: outcome.status,
        finishedAt: outcome.now.toISOString(),
        counts: outcome.counts ?? base.counts,
        ...(outcome.error ? { error: outcome.error.slice(0, 4000) } : {}),
        ...(outcome.supersededBy ? { supersededBy: outcome.supersededBy } : {}),
        ...(outcome.reason ? { reason: outcome.reason.slice(0, 1000) } : {}),
      };
      return withEtag(next, await replaceIfMatch(client, codec.toEntity(run.companyId, rowKey(run.period, run.runId), next), etag));
    },
    /**
     * Closes, as failed, the runs of this kind that a dead worker left "running" (older than any invocation can
     * live), naming the run that takes over: the history then says what happened instead of showing a run forever in
     * progress. A row changed meanwhile (its worker was alive after all) is left alone. Returns how many were closed.
     */
    async closeAbandoned(companyId: string, period: string, kind: string, now: Date, takenOverBy: string): Promise<number> {
      let closed = 0;
      for (const r of await this.listForPeriod(companyId, period)) {
        if (r.kind !== kind || r.status !== "running" || r.runId === takenOverBy) continue;
        if (now.getTime() - Date.parse(r.startedAt) <= STALLED_AFTER_MS) continue;
        try {
          await this.finish(r, {
            status: "failed",
            now,
            error: `exécution interrompue (aucune nouvelle après ${STALLED_AFTER_MS / 60_000} min) ; reprise par l'exécution ${takenOverBy}`,
          });
          closed++;
        } catch (error) {
          if (!(error instanceof ConcurrencyError)) throw error;
        }
      }
      return closed;
    },
    get(companyId: string, period: string, runId: string): Promise<Stored<RunRecord> | undefined> {
      assertCompanyId(companyId);
      assertPeriod(period);
      return readOne(client, codec, companyId, rowKey(period, runId));
    },
    /** Newest first. */
    listForPeriod(companyId: string, period: string, limit?: number): Promise<Array<Stored<RunRecord>>> {
      assertCompanyId(companyId);
      assertPeriod(period);
      const filter = `PartitionKey eq ${odataString(companyId)} and RowKey ge ${odataString(period + KEY_SEPARATOR)} and RowKey lt ${odataString(`${period}}`)}`;
      return readMany(client, codec, filter, limit);
    },
  };
}
export type RunsRepository = ReturnType<typeof runsRepository>;
