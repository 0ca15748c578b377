/**
 * The one owner of the `mails` table (payslip mails): partition = `${companyId}|${period}`, row = matricule.
 * Every read and write of the table goes through this repository — the payroll run queues through `enqueue`, the
 * mail dispatcher through functions/mail/table-mail-queue.ts (a thin id-based view that calls only this), the API's
 * status and resend through `list` and `requeueFailed`.
 *
 * Exactly once: a sender claims a mail (pending → sending) with an ETag-guarded replace, so of two concurrent
 * senders exactly one wins. "sending" is a lease when the caller gives `leaseMs`: a row whose claim is older is
 * claimable again (its sender died mid-send) and the dispatcher asks the transport whether it went out first.
 * Instants are ISO strings from toISOString(), so the `dueAt le …` filters compare times as strings.
 */
import type { TableClient } from "@azure/data-tables";
import { type Static, Type } from "@sinclair/typebox";
import { PERIOD_PATTERN } from "../../shared/core/period.ts";
import { createIfAbsent, replaceIfMatch, upsertAll } from "./batch.ts";
import { defineCodec, type Stored } from "./codec.ts";
import type { Storage } from "./config.ts";
import { tableCreator } from "./ensure-table.ts";
import { ConcurrencyError, StorageError } from "./errors.ts";
import { assertEmployeeId, COMPANY_ID_PATTERN, companyPeriodKey, EMPLOYEE_ID_PATTERN, odataString } from "./keys.ts";
import { Email, IsoDateTime, readMany, readOne, withEtag } from "./repo.ts";

/** "bounced" (« retourné »): Graph accepted it, then a non-delivery report came back to the sending mailbox. */
export const MAIL_STATUSES = ["pending", "sending", "sent", "failed", "bounced"] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

export const MailSchema = Type.Object(
  {
    companyId: Type.String({ pattern: COMPANY_ID_PATTERN }),
    period: Type.String({ pattern: PERIOD_PATTERN }),
    employeeId: Type.String({ pattern: EMPLOYEE_ID_PATTERN }),
    status: Type.Union(MAIL_STATUSES.map((s) => Type.Literal(s))),
    attempts: Type.Integer({ minimum: 0 }),
    recipient: Email(),
    /** Period version whose payslip is attached (absent on rows queued one by one through `create`). */
    version: Type.Optional(Type.Integer({ minimum: 1 })),
    firstName: Type.Optional(Type.String({ maxLength: 200 })),
    lastName: Type.Optional(Type.String({ maxLength: 200 })),
    companyName: Type.Optional(Type.String({ maxLength: 200 })),
    documentPath: Type.Optional(Type.String({ maxLength: 1024 })),
    dueAt: IsoDateTime(),
    claimedAt: Type.Optional(IsoDateTime()),
    sentAt: Type.Optional(IsoDateTime()),
    lastError: Type.Optional(Type.String({ maxLength: 2000 })),
    graphRequestId: Type.Optional(Type.String({ maxLength: 200 })),
    /** A newer version queued while this row was being sent: it becomes the row's version once the send is recorded. */
    pendingVersion: Type.Optional(Type.Integer({ minimum: 1 })),
    pendingDocumentPath: Type.Optional(Type.String({ maxLength: 1024 })),
    /** sha256 of the payslip result the mail carries: a new version with the same payslip sends no correction. */
    contentHash: Type.Optional(Type.String({ pattern: "^[0-9a-f]{64}$" })),
    bouncedAt: Type.Optional(IsoDateTime()),
    /** Versions already mailed for this employee and period ("1", "1,2"). */
    sentVersions: Type.Optional(Type.String({ maxLength: 200, pattern: "^[1-9]\\d*(,[1-9]\\d*)*$" })),
  },
  { additionalProperties: false },
);
export type MailRecord = Static<typeof MailSchema>;
export type NewMail = Pick<MailRecord, "companyId" | "period" | "employeeId" | "recipient" | "dueAt"> &
  Partial<Pick<MailRecord, "version" | "documentPath" | "firstName" | "lastName" | "companyName" | "contentHash">>;

export interface EnqueueOutcome {
  /** New rows. */
  created: number;
  /** Unsent mails of an older version now carrying the new one (matricules). */
  replaced: string[];
  /** Mails already sent for an older version, queued again with the corrected payslip. */
  corrected: string[];
  /** Being sent right now: the new version follows once that send is recorded. */
  parked: string[];
}

/** The mail of one employee for one period (the table's keys). */
export type MailKey = Pick<MailRecord, "companyId" | "period" | "employeeId">;

/** The app's `mails` table. */
export function mailsRepository(storage: Storage) {
  return mailsTable(storage.table("mails"));
}

/** The repository on a given table client (tests and the dispatcher's processes name their own table). */
export function mailsTable(client: TableClient) {
  const codec = defineCodec(client.tableName, MailSchema);
  const entityOf = (m: MailRecord) => {
    assertEmployeeId(m.employeeId);
    return codec.toEntity(companyPeriodKey(m.companyId, m.period), m.employeeId, m);
  };
  const replace = async (current: Stored<MailRecord>, next: MailRecord) => withEtag(next, await replaceIfMatch(client, entityOf(next), current.etag));
  const strip = ({ etag: _etag, ...m }: Stored<MailRecord>): MailRecord => m;

  const repo = {
    codec,
    get(companyId: string, period: string, employeeId: string): Promise<Stored<MailRecord> | undefined> {
      assertEmployeeId(employeeId);
      return readOne(client, codec, companyPeriodKey(companyId, period), employeeId);
    },
    list(companyId: string, period: string): Promise<Array<Stored<MailRecord>>> {
      return readMany(client, codec, `PartitionKey eq ${odataString(companyPeriodKey(companyId, period))}`);
    },
    /**
     * Queues the mails of one document version. Idempotent for that version (a row already carrying it is left
     * alone). A row of an older version is bound to the new one: unsent (pending, failed) it is replaced; already
     * sent, it is queued again so the corrected payslip follows (the versions mailed stay in `sentVersions`); being
     * sent right now, the new version is parked in `pendingVersion` and taken up as soon as that send is recorded.
     * Every row changes under its ETag, so a dispatcher's claim and this never both win.
     */
    async enqueue(companyId: string, period: string, mails: readonly NewMail[]): Promise<EnqueueOutcome> {
      const outcome: EnqueueOutcome = { created: 0, replaced: [], corrected: [], parked: [] };
      for (let round = 0; round < 5; round++) {
        const existing = new Map((await repo.list(companyId, period)).map((m) => [m.employeeId, m]));
        const fresh: MailRecord[] = [];
        let conflicts = 0;
        for (const m of mails) {
          // Normalised to toISOString() so the string comparison in listDue's filter is a time comparison.
          const queued: MailRecord = { ...m, companyId, period, status: "pending", attempts: 0, dueAt: new Date(m.dueAt).toISOString() };
          const row = existing.get(m.employeeId);
          if (!row) {
            fresh.push(queued);
            continue;
          }
          if (m.version === undefined || row.version === m.version || row.pendingVersion === m.version) continue;
          if (row.version !== undefined && row.version > m.version) continue;
          // Already mailed, and this version's payslip is the same one: nothing to correct.
          if (row.status === "sent" && m.contentHash !== undefined && row.contentHash === m.contentHash) continue;
          const base = strip(row);
          let next: MailRecord;
          let bucket: string[];
          if (row.status === "sending") {
            next = { ...base, pendingVersion: m.version, ...(m.documentPath ? { pendingDocumentPath: m.documentPath } : {}) };
            bucket = outcome.parked;
          } else {
            next = { ...queued, ...(row.sentVersions ? { sentVersions: row.sentVersions } : {}) };
            if (row.status === "sent" && row.version !== undefined) {
              next.sentVersions = [...(row.sentVersions ? row.sentVersions.split(",") : []), String(row.version)]
                .filter((v, i, a) => a.indexOf(v) === i)
                .join(",");
            }
            bucket = row.status === "sent" ? outcome.corrected : outcome.replaced;
          }
          try {
            await replace(row, next);
            bucket.push(m.employeeId);
          } catch (e) {
            if (!(e instanceof ConcurrencyError)) throw e;
            conflicts++;
          }
        }
        await upsertAll(client, fresh.map(entityOf));
        outcome.created += fresh.length;
        if (conflicts === 0) return outcome;
      }
      throw new ConcurrencyError(client.tableName, companyPeriodKey(companyId, period), "*");
    },
    /** Creates the table once (idempotent): for callers on a table client of their own, outside `Storage.ensure`. */
    ensureTable: tableCreator(client),
    /** Queues one mail unless its row exists (sent or not: it is left untouched). True when the row was created. */
    async create(mail: NewMail): Promise<boolean> {
      const row: MailRecord = { ...mail, status: "pending", attempts: 0, dueAt: new Date(mail.dueAt).toISOString() };
      try {
        await createIfAbsent(client, entityOf(row));
        return true;
      } catch (e) {
        if (e instanceof ConcurrencyError) return false;
        throw e;
      }
    },
    /**
     * Mails due at `now`, across companies, at most `limit` (in the service's order). With `leaseMs`, also the
     * "sending" rows whose claim is older than the lease (their sender died): both are work to do.
     */
    listDue(now: Date, limit: number, options: { leaseMs?: number } = {}): Promise<Array<Stored<MailRecord>>> {
      let filter = `status eq 'pending' and dueAt le ${odataString(now.toISOString())}`;
      if (options.leaseMs !== undefined) {
        const expired = new Date(now.getTime() - options.leaseMs).toISOString();
        filter = `(${filter}) or (status eq 'sending' and claimedAt le ${odataString(expired)})`;
      }
      return readMany(client, codec, filter, limit);
    },
    /** Mails claimed before `claimedBefore` and still "sending" (the process died mid-send), at most `limit`. */
    listStuck(claimedBefore: Date, limit = 100): Promise<Array<Stored<MailRecord>>> {
      return readMany(client, codec, `status eq 'sending' and claimedAt lt ${odataString(claimedBefore.toISOString())}`, limit);
    },
    /**
     * pending and due → sending. With `leaseMs`, a "sending" row whose lease expired is claimable too. Returns the
     * claimed record (with its new ETag) or false when it is not claimable or someone else claimed it first (ETag).
     * `countAttempt` (default true) counts the attempt at the claim; the dispatcher passes false and records the
     * attempt with the outcome (`markSent`/`markFailed` with `attempts`), so a claim given back counts none.
     */
    async claim(mail: Stored<MailRecord>, now: Date, options: { leaseMs?: number; countAttempt?: boolean } = {}): Promise<Stored<MailRecord> | false> {
      const due = mail.status === "pending" && Date.parse(mail.dueAt) <= now.getTime();
      const leaseExpired =
        options.leaseMs !== undefined && mail.status === "sending" && (!mail.claimedAt || Date.parse(mail.claimedAt) + options.leaseMs <= now.getTime());
      if (!due && !leaseExpired) return false;
      const attempts = options.countAttempt === false ? mail.attempts : mail.attempts + 1;
      try {
        return await replace(mail, { ...strip(mail), status: "sending", claimedAt: now.toISOString(), attempts });
      } catch (e) {
        if (e instanceof ConcurrencyError) return false;
        throw e;
      }
    },
    /**
     * sending → sent; the mail must be the claimed record (ETag-guarded). The version mailed joins `sentVersions`;
     * a newer version parked during this send (`pendingVersion`) becomes the row's, pending now: it is never skipped.
     */
    async markSent(mail: Stored<MailRecord>, details: { sentAt: Date; graphRequestId?: string; attempts?: number }): Promise<Stored<MailRecord>> {
      assertSending(mail, "envoyé");
      const base = strip(mail);
      const sentVersions =
        base.version !== undefined ? [...(base.sentVersions ? base.sentVersions.split(",") : []), String(base.version)].join(",") : base.sentVersions;
      const sent: MailRecord = {
        ...base,
        status: "sent",
        sentAt: details.sentAt.toISOString(),
        ...(details.graphRequestId ? { graphRequestId: details.graphRequestId } : {}),
        ...(details.attempts !== undefined ? { attempts: details.attempts } : {}),
        ...(sentVersions ? { sentVersions } : {}),
      };
      delete sent.lastError;
      if (base.pendingVersion === undefined) return replace(mail, sent);
      const next: MailRecord = { ...sent, status: "pending", version: base.pendingVersion, attempts: 0, dueAt: sent.sentAt! };
      if (base.pendingDocumentPath !== undefined) next.documentPath = base.pendingDocumentPath;
      delete next.pendingVersion;
      delete next.pendingDocumentPath;
      delete next.claimedAt;
      return replace(mail, next);
    },
    /**
     * sending → pending again, due at `retryAt`, or → failed when `final` (default: no `retryAt`), where it stays
     * until someone acts. A newer version parked during the send is taken up (pending) even after a final failure.
     */
    async markFailed(
      mail: Stored<MailRecord>,
      details: { error: string; retryAt?: Date; final?: boolean; attempts?: number; graphRequestId?: string },
    ): Promise<Stored<MailRecord>> {
      assertSending(mail, "échec");
      const final = details.final ?? !details.retryAt;
      const next: MailRecord = {
        ...adoptPending(strip(mail)),
        status: final && mail.pendingVersion === undefined ? "failed" : "pending",
        ...(details.attempts !== undefined ? { attempts: details.attempts } : {}),
        // Table strings hold 32 K characters; an error line never needs more than a few hundred.
        lastError: details.error.slice(0, 2000),
        ...(!final && details.retryAt ? { dueAt: details.retryAt.toISOString() } : {}),
        ...(details.graphRequestId ? { graphRequestId: details.graphRequestId } : {}),
      };
      return replace(mail, next);
    },
    /** sending → pending, due at `dueAt`, without counting an attempt (claimed but not sent). */
    async reschedule(mail: Stored<MailRecord>, dueAt: Date): Promise<Stored<MailRecord>> {
      assertSending(mail, "reporté");
      const next: MailRecord = { ...adoptPending(strip(mail)), status: "pending", dueAt: dueAt.toISOString() };
      delete next.claimedAt;
      return replace(mail, next);
    },
    /**
     * sent → bounced (« retourné »), from a non-delivery report. With `version`, only that version's mail counts: a
     * report about an old version's mail does not mark the corrected one. False when no sent row matches.
     */
    async markBounced(key: MailKey, version: number | undefined, outcome: { reason: string; at: Date }): Promise<boolean> {
      for (let round = 0; round < 3; round++) {
        const current = await repo.get(key.companyId, key.period, key.employeeId);
        if (current?.status !== "sent") return false;
        if (version !== undefined && current.version !== undefined && current.version !== version) return false;
        try {
          await replace(current, {
            ...strip(current),
            status: "bounced",
            lastError: `retourné · ${outcome.reason}`.slice(0, 2000),
            bouncedAt: outcome.at.toISOString(),
          });
          return true;
        } catch (e) {
          if (!(e instanceof ConcurrencyError)) throw e;
        }
      }
      return false;
    },
    /** The period's failed mails → pending, due `now`, attempts reset; a row that changed meanwhile is left alone. */
    async requeueFailed(companyId: string, period: string, now: Date): Promise<number> {
      let requeued = 0;
      for (const m of await repo.list(companyId, period)) {
        if (m.status !== "failed") continue;
        const { lastError: _e, claimedAt: _c, ...rest } = strip(m);
        try {
          await replace(m, { ...rest, status: "pending", attempts: 0, dueAt: now.toISOString() });
          requeued++;
        } catch (e) {
          if (!(e instanceof ConcurrencyError)) throw e;
        }
      }
      return requeued;
    },
  };
  return repo;
}
export type MailsRepository = ReturnType<typeof mailsTable>;

function assertSending(mail: MailRecord, to: string): void {
  if (mail.status !== "sending") {
    throw new StorageError(
      "transition",
      `Mail ${mail.companyId} ${mail.period} ${mail.employeeId} : « ${to} » exige l'état « en cours d'envoi » (état : ${mail.status}).`,
    );
  }
}

/** The row moves on to the newer version queued while it was claimed (an unsent old version is simply replaced). */
function adoptPending(m: MailRecord): MailRecord {
  if (m.pendingVersion === undefined) return m;
  const next: MailRecord = { ...m, version: m.pendingVersion, attempts: 0 };
  if (m.pendingDocumentPath !== undefined) next.documentPath = m.pendingDocumentPath;
  delete next.pendingVersion;
  delete next.pendingDocumentPath;
  delete next.lastError;
  return next;
}
