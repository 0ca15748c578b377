/**
 * Which company months were put on the payroll-run queue, and how their run went (table `payrolldispatch`, owned by
 * this module; partition = company, row = `${period}|v${version}`). This row is what makes the fan-out idempotent:
 * only the caller whose conditional insert creates it sends the message, so two scheduler fires — or a fire and a
 * "run now" — enqueue one message for a version.
 *
 * A crash between the insert and the send leaves the row "pending": the next fire (or run now) takes it over once it
 * is older than PENDING_RESEND_MS, by an ETag-guarded write, so exactly one caller sends again. The cost of the rare
 * case where the first sender was only slow, not dead, is a second message for the same version, which the run's own
 * claim on the period (functions/payroll/run.ts) turns into a skip: no second document, no second mail.
 *
 * Working state like the mail pacing row: not in the backup (the run history is, in the `runs` table).
 */
import { type Static, Type } from "@sinclair/typebox";
import { PERIOD_PATTERN } from "../../shared/core/period.ts";
import { createIfAbsent, replaceIfMatch } from "../storage/batch.ts";
import { defineCodec, type Stored } from "../storage/codec.ts";
import { ConcurrencyError } from "../storage/errors.ts";
import { type Storage, tableCreator } from "../storage/index.ts";
import { assertCompanyId, assertPeriod, COMPANY_ID_PATTERN, KEY_SEPARATOR, odataString } from "../storage/keys.ts";
import { IsoDateTime, readMany, readOne, withEtag } from "../storage/repo.ts";

export const DISPATCH_TABLE = "payrolldispatch";

/** A "pending" row older than this is presumed left by a sender that died before its message went out. */
export const PENDING_RESEND_MS = 2 * 60_000;

export const DISPATCH_STATES = ["pending", "queued", "running", "done", "failed"] as const;
export type DispatchState = (typeof DISPATCH_STATES)[number];

/** As the admins read them (the period's state, health). */
export const DISPATCH_STATE_LABELS: Readonly<Record<DispatchState, string>> = {
  pending: "en attente",
  queued: "en file d'attente",
  running: "en cours",
  done: "traitée",
  failed: "en échec",
};

export const DispatchSchema = Type.Object(
  {
    companyId: Type.String({ pattern: COMPANY_ID_PATTERN }),
    period: Type.String({ pattern: PERIOD_PATTERN }),
    version: Type.Integer({ minimum: 1 }),
    state: Type.Union(DISPATCH_STATES.map((s) => Type.Literal(s))),
    requestedBy: Type.String({ minLength: 1, maxLength: 200 }),
    recordedAt: IsoDateTime(),
    enqueuedAt: Type.Optional(IsoDateTime()),
    messageId: Type.Optional(Type.String({ maxLength: 100 })),
    /** Deliveries of the message so far (the host's dequeueCount of the latest). */
    attempts: Type.Integer({ minimum: 0 }),
    /** The latest failure (French), kept as the reason once the message is poisoned. */
    lastError: Type.Optional(Type.String({ maxLength: 2000 })),
    /** How the run ended: generated, skipped, superseded. */
    outcome: Type.Optional(Type.String({ maxLength: 40 })),
    runId: Type.Optional(Type.String({ maxLength: 40 })),
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
    finishedAt: Type.Optional(IsoDateTime()),
    updatedAt: IsoDateTime(),
  },
  { additionalProperties: false },
);
export type DispatchRecord = Static<typeof DispatchSchema>;

export function dispatchesRepository(storage: Storage) {
  const client = storage.rawTable(`${storage.tablePrefix}${DISPATCH_TABLE}`);
  const ensure = tableCreator(client);
  const codec = defineCodec(client.tableName, DispatchSchema);
  const rowKey = (period: string, version: number) => `${period}${KEY_SEPARATOR}v${String(version).padStart(4, "0")}`;
  const keys = (companyId: string, period: string, version: number) => {
    assertCompanyId(companyId);
    assertPeriod(period);
    return [companyId, rowKey(period, version)] as const;
  };
  const clip = (s: string) => s.slice(0, 2000);
  const repo = {
    async get(companyId: string, period: string, version: number): Promise<Stored<DispatchRecord> | undefined> {
      await ensure();
      return readOne(client, codec, ...keys(companyId, period, version));
    },
    /** The row of the period's newest version that was dispatched, if any. */
    async latest(companyId: string, period: string): Promise<Stored<DispatchRecord> | undefined> {
      await ensure();
      assertCompanyId(companyId);
      assertPeriod(period);
      const from = `${period}${KEY_SEPARATOR}`;
      const filter = `PartitionKey eq ${odataString(companyId)} and RowKey ge ${odataString(from)} and RowKey lt ${odataString(`${period}}`)}`;
      const rows = await readMany(client, codec, filter);
      return rows.sort((a, b) => b.version - a.version)[0];
    },
    /** The conditional insert: `created` is true for exactly one caller per company, month and version. */
    async record(
      companyId: string,
      period: string,
      version: number,
      requestedBy: string,
      now: Date,
    ): Promise<{ created: boolean; row: Stored<DispatchRecord> }> {
      await ensure();
      const at = now.toISOString();
      const row: DispatchRecord = { companyId, period, version, state: "pending", requestedBy, recordedAt: at, attempts: 0, updatedAt: at };
      try {
        return { created: true, row: withEtag(row, await createIfAbsent(client, codec.toEntity(...keys(companyId, period, version), row))) };
      } catch (e) {
        if (!(e instanceof ConcurrencyError)) throw e;
      }
      const existing = await repo.get(companyId, period, version);
      if (!existing) throw new ConcurrencyError(client.tableName, companyId, rowKey(period, version));
      return { created: false, row: existing };
    },
    /** ETag-guarded replace: ConcurrencyError when another caller wrote the row since `current` was read. */
    async replace(current: Stored<DispatchRecord>, patch: Partial<DispatchRecord>): Promise<Stored<DispatchRecord>> {
      const { etag, ...base } = current;
      const next: DispatchRecord = { ...base, ...patch };
      // A patch clears a field by giving it undefined (a rerun forgets the previous failure).
      for (const k of Object.keys(next) as (keyof DispatchRecord)[]) if (next[k] === undefined) delete next[k];
      if (next.lastError) next.lastError = clip(next.lastError);
      if (next.reason) next.reason = clip(next.reason);
      return withEtag(next, await replaceIfMatch(client, codec.toEntity(...keys(next.companyId, next.period, next.version), next), etag));
    },
    /** Read, patch, write back (ETag-guarded, re-read on a lost race); a missing row is recreated from `seed`. */
    async update(
      seed: Pick<DispatchRecord, "companyId" | "period" | "version" | "requestedBy">,
      patch: (row: DispatchRecord) => Partial<DispatchRecord>,
      now: Date,
    ): Promise<Stored<DispatchRecord>> {
      for (let attempt = 0; attempt < 8; attempt++) {
        const { row } = await repo.record(seed.companyId, seed.period, seed.version, seed.requestedBy, now);
        try {
          return await repo.replace(row, { ...patch(row), updatedAt: now.toISOString() });
        } catch (e) {
          if (!(e instanceof ConcurrencyError)) throw e;
        }
      }
      throw new ConcurrencyError(client.tableName, seed.companyId, rowKey(seed.period, seed.version));
    },
  };
  return repo;
}
export type DispatchesRepository = ReturnType<typeof dispatchesRepository>;

/** The month's run as the period's state shows it: "en échec" with the reason once its message is poisoned. */
export async function payrollRunState(
  storage: Storage,
  companyId: string,
  period: string,
): Promise<{ version: number; state: DispatchState; label: string; attempts: number; reason?: string; updatedAt: string } | undefined> {
  const row = await dispatchesRepository(storage).latest(companyId, period);
  if (!row) return undefined;
  const reason = row.state === "failed" ? row.reason : row.state === "queued" && row.lastError ? row.lastError : undefined;
  return {
    version: row.version,
    state: row.state,
    label: DISPATCH_STATE_LABELS[row.state],
    attempts: row.attempts,
    ...(reason ? { reason } : {}),
    updatedAt: row.updatedAt,
  };
}
