/**
 * MailQueue over Azure Table Storage (table `mails`), same entity layout as functions/storage/mails.ts:
 * partition `${companyId}|${period}`, row = matricule, ISO strings for instants (so the `dueAt le …`
 * filter compares times as strings). Every state change is a read-modify-replace guarded by the ETag,
 * which is what makes `claim` safe when several dispatchers run at once.
 */
import { odata, RestError, TableClient, type TableEntity } from "@azure/data-tables";
import { isPeriod } from "../../shared/core/period.ts";
import { tableCreator } from "../storage/index.ts";
import type { MailJob, MailQueue, MailStatus } from "./types.ts";

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

type MailEntity = TableEntity<{
  companyId: string;
  period: string;
  employeeId: string;
  status: MailStatus;
  attempts: number;
  recipient: string;
  dueAt: string;
  firstName?: string;
  lastName?: string;
  companyName?: string;
  documentPath?: string;
  claimedAt?: string;
  sentAt?: string;
  lastError?: string;
  graphRequestId?: string;
  /** Period version whose payslip the row carries (functions/storage/mails.ts writes it). */
  version?: number;
  /** A newer version queued while this one was being sent: the row moves on to it once the send is recorded. */
  pendingVersion?: number;
  pendingDocumentPath?: string;
  /** Versions already mailed to this employee for this period, e.g. "1" then "1,2". */
  sentVersions?: string;
  bouncedAt?: string;
}>;

/** How long a "sending" claim holds (PAIE_MAIL_LEASE_MS): longer than one send can take (its budget is minutes). */
export const DEFAULT_MAIL_LEASE_MS = 10 * 60_000;

export function mailJobId(companyId: string, period: string, employeeId: string): string {
  if (!KEY_PART.test(companyId) || !KEY_PART.test(employeeId) || !isPeriod(period)) {
    throw new Error("Identifiant de mail invalide (société, période ou matricule)");
  }
  return `${companyId}|${period}|${employeeId}`;
}

function keysOf(id: string): { partitionKey: string; rowKey: string } {
  const cut = id.lastIndexOf("|");
  if (cut <= 0) throw new Error("Identifiant de mail invalide");
  return { partitionKey: id.slice(0, cut), rowKey: id.slice(cut + 1) };
}

const isStatus = (e: unknown, status: number) => e instanceof RestError && e.statusCode === status;

export class TableMailQueue implements MailQueue {
  private readonly ensureTable: () => Promise<void>;
  /**
   * Sending is a lease, not a state: a "sending" row whose claim is older than this is claimable again (the
   * process that held it died mid-send); the dispatcher then asks the transport whether it went out before sending.
   */
  readonly leaseMs: number;
  constructor(
    private readonly client: TableClient,
    options: { leaseMs?: number } = {},
  ) {
    this.ensureTable = tableCreator(client);
    this.leaseMs = options.leaseMs ?? DEFAULT_MAIL_LEASE_MS;
    if (!(this.leaseMs > 0)) throw new Error("La durée de réservation d'un envoi (PAIE_MAIL_LEASE_MS) doit être positive");
  }

  static fromConnectionString(connectionString: string, tableName = "mails", options: { leaseMs?: number } = {}): TableMailQueue {
    // allowInsecureConnection only matters for Azurite (http); Azure connection strings are https.
    return new TableMailQueue(TableClient.fromConnectionString(connectionString, tableName, { allowInsecureConnection: true }), options);
  }

  private leaseExpired(e: { status: MailStatus; claimedAt?: string }, now: Date): boolean {
    return e.status === "sending" && (!e.claimedAt || Date.parse(e.claimedAt) + this.leaseMs <= now.getTime());
  }

  /** Idempotent: an existing row (sent or not) is left untouched. Returns true when the row was created. */
  async enqueue(job: NewMailJob): Promise<boolean> {
    await this.ensureTable();
    const { partitionKey, rowKey } = keysOf(mailJobId(job.companyId, job.period, job.employeeId));
    const entity: MailEntity = {
      partitionKey,
      rowKey,
      companyId: job.companyId,
      period: job.period,
      employeeId: job.employeeId,
      status: "pending",
      attempts: 0,
      recipient: job.recipient,
      dueAt: job.dueAt.toISOString(),
      ...(job.firstName !== undefined ? { firstName: job.firstName } : {}),
      ...(job.lastName !== undefined ? { lastName: job.lastName } : {}),
      ...(job.companyName !== undefined ? { companyName: job.companyName } : {}),
      ...(job.documentPath !== undefined ? { documentPath: job.documentPath } : {}),
    };
    try {
      await this.client.createEntity(entity);
      return true;
    } catch (e) {
      if (isStatus(e, 409)) return false;
      throw e;
    }
  }

  async get(id: string): Promise<MailJob | undefined> {
    const entity = await this.read(id);
    return entity ? toJob(entity) : undefined;
  }

  async listDue(now: Date, limit: number): Promise<MailJob[]> {
    await this.ensureTable();
    // Due pending rows, and "sending" rows whose lease expired (their sender died): both are work to do.
    const expired = new Date(now.getTime() - this.leaseMs).toISOString();
    const filter = odata`(status eq ${"pending"} and dueAt le ${now.toISOString()}) or (status eq ${"sending"} and claimedAt le ${expired})`;
    const jobs: MailJob[] = [];
    for await (const page of this.client.listEntities<MailEntity>({ queryOptions: { filter } }).byPage({ maxPageSize: Math.min(1000, Math.max(1, limit)) })) {
      for (const e of page) jobs.push(toJob(e));
      if (jobs.length >= limit) break;
    }
    return jobs.sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id)).slice(0, limit);
  }

  /**
   * Mails claimed before `claimedBefore` and still "sending": the process died mid-send. Never re-sent
   * automatically (Graph may have accepted them); listed for the admins' summary to check and re-send.
   */
  async listStuck(claimedBefore: Date, limit = 100): Promise<MailJob[]> {
    await this.ensureTable();
    const filter = odata`status eq ${"sending"} and claimedAt lt ${claimedBefore.toISOString()}`;
    const jobs: MailJob[] = [];
    for await (const e of this.client.listEntities<MailEntity>({ queryOptions: { filter } })) {
      jobs.push(toJob(e));
      if (jobs.length >= limit) break;
    }
    return jobs;
  }

  async claim(id: string, now = new Date()): Promise<boolean> {
    const current = await this.read(id);
    if (!current) return false;
    const claimable = (current.status === "pending" && current.dueAt <= now.toISOString()) || this.leaseExpired(current, now);
    if (!claimable) return false;
    const { etag, ...entity } = current;
    try {
      await this.client.updateEntity({ ...entity, status: "sending", claimedAt: now.toISOString() }, "Replace", { etag });
      return true;
    } catch (e) {
      // 412: another dispatcher changed the row between our read and our write; it won.
      if (isStatus(e, 412)) return false;
      throw e;
    }
  }

  async markSent(id: string, outcome: { requestId: string; sentAt: Date; attempts: number }): Promise<void> {
    await this.transition(id, (e) => {
      delete e.lastError;
      const sentVersions = e.version !== undefined ? [...(e.sentVersions ? e.sentVersions.split(",") : []), String(e.version)].join(",") : e.sentVersions;
      const sent: MailEntity = {
        ...e,
        status: "sent",
        sentAt: outcome.sentAt.toISOString(),
        graphRequestId: outcome.requestId,
        attempts: outcome.attempts,
        ...(sentVersions ? { sentVersions } : {}),
      };
      if (e.pendingVersion === undefined) return sent;
      // A corrected version arrived during this send: that one is mailed next, never skipped.
      const next: MailEntity = { ...sent, status: "pending", version: e.pendingVersion, attempts: 0, dueAt: outcome.sentAt.toISOString() };
      if (e.pendingDocumentPath !== undefined) next.documentPath = e.pendingDocumentPath;
      delete next.pendingVersion;
      delete next.pendingDocumentPath;
      delete next.claimedAt;
      return next;
    });
  }

  async markFailed(id: string, outcome: { error: string; attempts: number; final: boolean; retryAt?: Date; requestId?: string }): Promise<void> {
    await this.transition(id, (e) => ({
      ...adoptPending(e),
      status: outcome.final && e.pendingVersion === undefined ? "failed" : "pending",
      attempts: outcome.attempts,
      // Table strings hold 32 K characters; an error line never needs more than a few hundred.
      lastError: outcome.error.slice(0, 2000),
      ...(!outcome.final && outcome.retryAt ? { dueAt: outcome.retryAt.toISOString() } : {}),
      ...(outcome.requestId ? { graphRequestId: outcome.requestId } : {}),
    }));
  }

  async reschedule(id: string, dueAt: Date): Promise<void> {
    await this.transition(id, (e) => {
      delete e.claimedAt;
      return { ...adoptPending(e), status: "pending", dueAt: dueAt.toISOString() };
    });
  }

  /**
   * sent → bounced (« retourné »), from a non-delivery report naming our Message-ID. Only the version that bounced
   * counts: a report about an old version's mail does not mark the corrected one. Returns false when no row matches.
   */
  async markBounced(internetMessageId: string, outcome: { reason: string; at: Date }): Promise<boolean> {
    const m = /^<paie\.([A-Za-z0-9_-]+)\.(\d{4}-\d{2})\.([A-Za-z0-9_-]+)(?:\.v(\d+))?@[^>]+>$/.exec(internetMessageId);
    if (!m) return false;
    for (let round = 0; round < 3; round++) {
      const current = await this.read(mailJobId(m[1]!, m[2]!, m[3]!));
      if (current?.status !== "sent") return false;
      if (m[4] !== undefined && current.version !== undefined && current.version !== Number(m[4])) return false;
      const { etag, ...entity } = current;
      try {
        await this.client.updateEntity(
          { ...entity, status: "bounced", lastError: `retourné · ${outcome.reason}`.slice(0, 2000), bouncedAt: outcome.at.toISOString() },
          "Replace",
          { etag },
        );
        return true;
      } catch (e) {
        if (!isStatus(e, 412)) throw e;
      }
    }
    return false;
  }

  /** Only a job in "sending" (i.e. claimed by the caller) may move on; anything else is a bug upstream. */
  private async transition(id: string, next: (e: MailEntity) => MailEntity): Promise<void> {
    const current = await this.read(id);
    if (!current) throw new Error(`Mail introuvable : ${id}`);
    if (current.status !== "sending") throw new Error(`Mail ${id} : transition refusée depuis l'état « ${current.status} »`);
    const { etag, ...entity } = current;
    await this.client.updateEntity(next(entity), "Replace", { etag });
  }

  private async read(id: string): Promise<(MailEntity & { etag: string }) | undefined> {
    await this.ensureTable();
    const { partitionKey, rowKey } = keysOf(id);
    try {
      // Drop the service's own fields so a Replace writes back exactly our columns.
      const {
        timestamp: _t,
        "odata.metadata": _m,
        ...e
      } = (await this.client.getEntity<MailEntity>(partitionKey, rowKey)) as MailEntity & {
        etag: string;
        timestamp?: string;
        "odata.metadata"?: string;
      };
      return e;
    } catch (e) {
      if (isStatus(e, 404)) return undefined;
      throw e;
    }
  }
}

/** The row moved on to the newer version queued while it was claimed (an unsent old version is simply replaced). */
function adoptPending(e: MailEntity): MailEntity {
  if (e.pendingVersion === undefined) return e;
  const next: MailEntity = { ...e, version: e.pendingVersion, attempts: 0 };
  if (e.pendingDocumentPath !== undefined) next.documentPath = e.pendingDocumentPath;
  delete next.pendingVersion;
  delete next.pendingDocumentPath;
  delete next.lastError;
  return next;
}

function toJob(e: MailEntity): MailJob {
  const job: MailJob = {
    id: mailJobId(e.companyId, e.period, e.employeeId),
    companyId: e.companyId,
    period: e.period,
    employeeId: e.employeeId,
    status: e.status,
    dueAt: e.dueAt,
    recipient: e.recipient,
    attempts: Number(e.attempts ?? 0),
  };
  if (typeof e.version === "number") job.version = e.version;
  for (const k of ["firstName", "lastName", "companyName", "documentPath", "claimedAt", "lastError", "graphRequestId", "sentAt"] as const) {
    const v = e[k];
    if (typeof v === "string") job[k] = v;
  }
  return job;
}
