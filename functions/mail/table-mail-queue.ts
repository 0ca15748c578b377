/**
 * The dispatcher's MailQueue (functions/mail/types.ts) on the `mails` table: a thin, id-based view over the table's
 * one owner, functions/storage/mails.ts, and nothing else. It names a mail by one string id
 * (`${companyId}|${period}|${employeeId}`), reads the row afresh before each transition (so its ETag guards the
 * write), holds the "sending" lease, and reads our Message-IDs back from non-delivery reports.
 */
import { TableClient } from "@azure/data-tables";
import { isPeriod } from "../../shared/core/period.ts";
import { type MailKey, type MailRecord, type MailsRepository, mailsTable, StorageError, type Stored } from "../storage/index.ts";
import type { MailJob, MailQueue } from "./types.ts";

const KEY_PART = /^[A-Za-z0-9_.-]{1,64}$/;

export interface NewMailJob {
  companyId: string;
  period: string;
  employeeId: string;
  recipient: string;
  dueAt: Date;
  firstName?: string;
  lastName?: string;
  companyName?: string;
  documentPath?: string;
}

/** How long a "sending" claim holds (PAIE_MAIL_LEASE_MS): longer than one send can take (its budget is minutes). */
export const DEFAULT_MAIL_LEASE_MS = 10 * 60_000;

export function mailJobId(companyId: string, period: string, employeeId: string): string {
  if (!KEY_PART.test(companyId) || !KEY_PART.test(employeeId) || !isPeriod(period)) {
    throw new Error("Identifiant de mail invalide (société, période ou matricule)");
  }
  return `${companyId}|${period}|${employeeId}`;
}

function keyOf(id: string): MailKey {
  const cut = id.lastIndexOf("|");
  const first = id.indexOf("|");
  if (first <= 0 || cut === first) throw new Error("Identifiant de mail invalide");
  return { companyId: id.slice(0, first), period: id.slice(first + 1, cut), employeeId: id.slice(cut + 1) };
}

export class TableMailQueue implements MailQueue {
  private readonly mails: MailsRepository;
  /**
   * Sending is a lease, not a state: a "sending" row whose claim is older than this is claimable again (the
   * process that held it died mid-send); the dispatcher then asks the transport whether it went out before sending.
   */
  readonly leaseMs: number;
  constructor(client: TableClient, options: { leaseMs?: number } = {}) {
    this.mails = mailsTable(client);
    this.leaseMs = options.leaseMs ?? DEFAULT_MAIL_LEASE_MS;
    if (!(this.leaseMs > 0)) throw new Error("La durée de réservation d'un envoi (PAIE_MAIL_LEASE_MS) doit être positive");
  }

  static fromConnectionString(connectionString: string, tableName = "mails", options: { leaseMs?: number } = {}): TableMailQueue {
    // allowInsecureConnection only matters for Azurite (http); Azure connection strings are https.
    return new TableMailQueue(TableClient.fromConnectionString(connectionString, tableName, { allowInsecureConnection: true }), options);
  }

  /** Idempotent: an existing row (sent or not) is left untouched. Returns true when the row was created. */
  async enqueue(job: NewMailJob): Promise<boolean> {
    mailJobId(job.companyId, job.period, job.employeeId);
    await this.mails.ensureTable();
    return this.mails.create({ ...job, dueAt: job.dueAt.toISOString() });
  }

  async get(id: string): Promise<MailJob | undefined> {
    const row = await this.read(id);
    return row ? toJob(row) : undefined;
  }

  /** Due pending rows and "sending" rows whose lease expired, oldest first. */
  async listDue(now: Date, limit: number): Promise<MailJob[]> {
    await this.mails.ensureTable();
    const rows = await this.mails.listDue(now, limit, { leaseMs: this.leaseMs });
    return rows
      .map(toJob)
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id))
      .slice(0, limit);
  }

  /**
   * Mails claimed before `claimedBefore` and still "sending": the process died mid-send. Never re-sent
   * automatically (Graph may have accepted them); listed for the admins' summary to check and re-send.
   */
  async listStuck(claimedBefore: Date, limit = 100): Promise<MailJob[]> {
    await this.mails.ensureTable();
    return (await this.mails.listStuck(claimedBefore, limit)).map(toJob);
  }

  async claim(id: string, now = new Date()): Promise<boolean> {
    const current = await this.read(id);
    // The attempt is counted when its outcome is recorded (markSent / markFailed), not here.
    return !!current && (await this.mails.claim(current, now, { leaseMs: this.leaseMs, countAttempt: false })) !== false;
  }

  async markSent(id: string, outcome: { requestId: string; sentAt: Date; attempts: number }): Promise<void> {
    await this.mails.markSent(await this.claimed(id), { sentAt: outcome.sentAt, graphRequestId: outcome.requestId, attempts: outcome.attempts });
  }

  async markFailed(id: string, outcome: { error: string; attempts: number; final: boolean; retryAt?: Date; requestId?: string }): Promise<void> {
    await this.mails.markFailed(await this.claimed(id), {
      error: outcome.error,
      attempts: outcome.attempts,
      final: outcome.final,
      ...(outcome.retryAt ? { retryAt: outcome.retryAt } : {}),
      ...(outcome.requestId ? { graphRequestId: outcome.requestId } : {}),
    });
  }

  async reschedule(id: string, dueAt: Date): Promise<void> {
    await this.mails.reschedule(await this.claimed(id), dueAt);
  }

  /**
   * sent → bounced (« retourné »), from a non-delivery report naming our Message-ID (functions/mail/message.ts).
   * Only the version that bounced counts. Returns false when no row matches, or the id is not one of ours.
   */
  async markBounced(internetMessageId: string, outcome: { reason: string; at: Date }): Promise<boolean> {
    const m = /^<paie\.([A-Za-z0-9_-]+)\.(\d{4}-\d{2})\.([A-Za-z0-9_-]+)(?:\.v(\d+))?@[^>]+>$/.exec(internetMessageId);
    if (!m) return false;
    await this.mails.ensureTable();
    try {
      return await this.mails.markBounced({ companyId: m[1]!, period: m[2]!, employeeId: m[3]! }, m[4] !== undefined ? Number(m[4]) : undefined, outcome);
    } catch (e) {
      // A Message-ID of our shape whose parts are no valid key cannot name one of our rows.
      if (e instanceof StorageError && e.code === "key") return false;
      throw e;
    }
  }

  /** The row as it is now; only a job in "sending" (i.e. claimed by the caller) may move on. */
  private async claimed(id: string): Promise<Stored<MailRecord>> {
    const current = await this.read(id);
    if (!current) throw new Error(`Mail introuvable : ${id}`);
    return current;
  }

  private async read(id: string): Promise<Stored<MailRecord> | undefined> {
    const { companyId, period, employeeId } = keyOf(id);
    await this.mails.ensureTable();
    return this.mails.get(companyId, period, employeeId);
  }
}

function toJob(m: MailRecord): MailJob {
  const job: MailJob = {
    id: mailJobId(m.companyId, m.period, m.employeeId),
    companyId: m.companyId,
    period: m.period,
    employeeId: m.employeeId,
    status: m.status,
    dueAt: m.dueAt,
    recipient: m.recipient,
    attempts: m.attempts,
  };
  if (m.version !== undefined) job.version = m.version;
  for (const k of ["firstName", "lastName", "companyName", "documentPath", "claimedAt", "lastError", "graphRequestId", "sentAt"] as const) {
    const v = m[k];
    if (v !== undefined) job[k] = v;
  }
  return job;
}
