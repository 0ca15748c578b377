/**
 * Payslip mails: partition = `${companyId}|${period}`, row = matricule. Each mail is sent exactly once:
 * a sender first claims it (pending → sending) with an ETag-guarded replace, so of two concurrent
 * senders exactly one wins; a mail left in "sending" after a crash is never re-sent automatically.
 */
import { type Static, Type } from "@sinclair/typebox";
import { PERIOD_PATTERN } from "../../shared/core/period.ts";
import { replaceIfMatch, upsertAll } from "./batch.ts";
import { defineCodec, type Stored } from "./codec.ts";
import type { Storage } from "./config.ts";
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
    /** Period version whose payslip is attached (absent on rows queued by functions/mail, which share this table). */
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

export function mailsRepository(storage: Storage) {
  const client = storage.table("mails");
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
    /** Pending mails due at `now`, across companies (oldest first is not guaranteed by the service). */
    listDue(now: Date, limit: number): Promise<Array<Stored<MailRecord>>> {
      return readMany(client, codec, `status eq 'pending' and dueAt le ${odataString(now.toISOString())}`, limit);
    },
    /**
     * Claims a mail for sending. Returns the claimed record (with its new ETag) or false when it is not
     * pending, not due, or someone else claimed it first (ETag conflict).
     */
    async claim(mail: Stored<MailRecord>, now: Date): Promise<Stored<MailRecord> | false> {
      if (mail.status !== "pending" || Date.parse(mail.dueAt) > now.getTime()) return false;
      try {
        return await replace(mail, { ...strip(mail), status: "sending", claimedAt: now.toISOString(), attempts: mail.attempts + 1 });
      } catch (e) {
        if (e instanceof ConcurrencyError) return false;
        throw e;
      }
    },
    /** Records a successful send; the mail must be the claimed record (ETag-guarded). */
    async markSent(mail: Stored<MailRecord>, details: { sentAt: Date; graphRequestId?: string }): Promise<Stored<MailRecord>> {
      if (mail.status !== "sending") {
        throw new StorageError(
          "transition",
          `Mail ${mail.companyId} ${mail.period} ${mail.employeeId} : « envoyé » exige l'état « en cours d'envoi » (état : ${mail.status}).`,
        );
      }
      const next: MailRecord = { ...strip(mail), status: "sent", sentAt: details.sentAt.toISOString() };
      delete next.lastError;
      if (details.graphRequestId) next.graphRequestId = details.graphRequestId;
      return replace(mail, next);
    },
    /**
     * Records a failed send. With `retryAt` the mail goes back to pending, due then; without it, it
     * stays failed until someone acts.
     */
    async markFailed(mail: Stored<MailRecord>, details: { error: string; retryAt?: Date; graphRequestId?: string }): Promise<Stored<MailRecord>> {
      if (mail.status !== "sending") {
        throw new StorageError(
          "transition",
          `Mail ${mail.companyId} ${mail.period} ${mail.employeeId} : « échec » exige l'état « en cours d'envoi » (état : ${mail.status}).`,
        );
      }
      const next: MailRecord = {
        ...strip(mail),
        status: details.retryAt ? "pending" : "failed",
        lastError: details.error.slice(0, 2000),
        ...(details.retryAt ? { dueAt: details.retryAt.toISOString() } : {}),
        ...(details.graphRequestId ? { graphRequestId: details.graphRequestId } : {}),
      };
      return replace(mail, next);
    },
  };
  return repo;
}
export type MailsRepository = ReturnType<typeof mailsRepository>;
