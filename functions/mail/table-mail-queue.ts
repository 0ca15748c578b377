/**
 * MailQueue over Azure Table Storage (table `mails`), same entity layout as functions/storage/mails.ts:
 * partition `${companyId}|${period}`, row = matricule, ISO strings for instants (so the `dueAt le …`
 * filter compares times as strings). Every state change is a read-modify-replace guarded by the ETag,
 * which is what makes `claim` safe when several dispatchers run at once.
 */
import { RestError, TableClient, odata, type TableEntity } from "@azure/data-tables";
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
}>;

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
  constructor(private readonly client: TableClient) {
    this.ensureTable = tableCreator(client);
  }

  static fromConnectionString(connectionString: string, tableName = "mails"): TableMailQueue {
    // allowInsecureConnection only matters for Azurite (http); Azure connection strings are https.
    return new TableMailQueue(TableClient.fromConnectionString(connectionString, tableName, { allowInsecureConnection: true }));
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
    const filter = odata`status eq ${"pending"} and dueAt le ${now.toISOString()}`;
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
    if (!current || current.status !== "pending" || current.dueAt > now.toISOString()) return false;
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
      return { ...e, status: "sent", sentAt: outcome.sentAt.toISOString(), graphRequestId: outcome.requestId, attempts: outcome.attempts };
    });
  }

  async markFailed(id: string, outcome: { error: string; attempts: number; final: boolean; retryAt?: Date; requestId?: string }): Promise<void> {
    await this.transition(id, (e) => ({
      ...e,
      status: outcome.final ? "failed" : "pending",
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
      return { ...e, status: "pending", dueAt: dueAt.toISOString() };
    });
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
      const { timestamp: _t, "odata.metadata": _m, ...e } = (await this.client.getEntity<MailEntity>(partitionKey, rowKey)) as MailEntity & {
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
  for (const k of ["firstName", "lastName", "companyName", "documentPath", "claimedAt", "lastError", "graphRequestId", "sentAt"] as const) {
    const v = e[k];
    if (typeof v === "string") job[k] = v;
  }
  return job;
}
