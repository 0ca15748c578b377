/**
 * Payslip mails: partition = `${companyId}|${period}`, row = matricule. Each mail is sent exactly once:
 * a sender first claims it (pending → sending) with an ETag-guarded replace, so of two concurrent
 * senders exactly one wins; a mail left in "sending" after a crash is never re-sent automatically.
 */
import { Type, type Static } from "@sinclair/typebox";
import type { Storage } from "./config.ts";
import { defineCodec, type Stored } from "./codec.ts";
import { replaceIfMatch, upsertAll } from "./batch.ts";
import { COMPANY_ID_PATTERN, EMPLOYEE_ID_PATTERN, assertEmployeeId, companyPeriodKey, odataString } from "./keys.ts";
import { Email, IsoDateTime, readMany, readOne, withEtag } from "./repo.ts";
import { ConcurrencyError, StorageError } from "./errors.ts";
import { PERIOD_PATTERN } from "../../shared/core/period.ts";

export const MAIL_STATUSES = ["pending", "sending", "sent", "failed"] as const;
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
  },
  { additionalProperties: false },
);
export type MailRecord = Static<typeof MailSchema>;
export type NewMail = Pick<MailRecord, "companyId" | "period" | "employeeId" | "recipient" | "dueAt"> &
  Partial<Pick<MailRecord, "version" | "documentPath" | "firstName" | "lastName" | "companyName">>;

export function mailsRepository(storage: Storage) {
  const client = storage.table("mails");
  const codec = defineCodec(client.tableName, MailSchema, {
    companyId: "string",
    period: "string",
    employeeId: "string",
    status: "string",
    attempts: "int",
    recipient: "string",
    version: "int",
    firstName: "string",
    lastName: "string",
    companyName: "string",
    documentPath: "string",
    dueAt: "string",
    claimedAt: "string",
    sentAt: "string",
    lastError: "string",
    graphRequestId: "string",
  });
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
     * Queues mails as pending. Idempotent: a row that already exists (whatever its status — above all
     * "sent") is left untouched. Returns how many were created.
     */
    async enqueue(companyId: string, period: string, mails: readonly NewMail[]): Promise<number> {
      const existing = new Set((await repo.list(companyId, period)).map((m) => m.employeeId));
      const fresh = mails
        .filter((m) => !existing.has(m.employeeId))
        // Normalised to toISOString() so the string comparison in listDue's filter is a time comparison.
        .map((m): MailRecord => ({ ...m, companyId, period, status: "pending", attempts: 0, dueAt: new Date(m.dueAt).toISOString() }));
      await upsertAll(client, fresh.map(entityOf));
      return fresh.length;
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
        throw new StorageError("transition", `Mail ${mail.companyId} ${mail.period} ${mail.employeeId} : « envoyé » exige l'état « en cours d'envoi » (état : ${mail.status}).`);
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
        throw new StorageError("transition", `Mail ${mail.companyId} ${mail.period} ${mail.employeeId} : « échec » exige l'état « en cours d'envoi » (état : ${mail.status}).`);
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
