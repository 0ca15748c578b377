/**
 * The period's mails as the API shows them, re-sending the failed ones (admin), and closing the period's
 * mailing once every payslip is sent. Reads the `mails` table written by functions/mail/table-mail-queue.ts.
 */
import { odata } from "@azure/data-tables";
import { auditRepository, companyPeriodKey, ConcurrencyError, periodsRepository } from "../storage/index.ts";
import type { Services } from "../app/services.ts";

export interface MailStatusRow {
  employeeId: string;
  status: string;
  attempts: number;
  dueAt: string;
  sentAt?: string;
  lastError?: string;
}

interface MailRow {
  partitionKey: string;
  rowKey: string;
  etag: string;
  status: string;
  attempts: number;
  dueAt: string;
  sentAt?: string;
  lastError?: string;
}

async function rows(services: Services, companyId: string, period: string): Promise<MailRow[]> {
  const client = services.storage.table("mails");
  const out: MailRow[] = [];
  try {
    for await (const e of client.listEntities<MailRow>({ queryOptions: { filter: odata`PartitionKey eq ${companyPeriodKey(companyId, period)}` } })) out.push(e as MailRow);
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return [];
    throw e;
  }
  return out;
}

export async function mailStatuses(services: Services, companyId: string, period: string): Promise<{ counts: Record<string, number>; mails: MailStatusRow[] }> {
  const list = await rows(services, companyId, period);
  const counts: Record<string, number> = { pending: 0, sending: 0, sent: 0, failed: 0 };
  for (const r of list) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return {
    counts,
    mails: list.map((r) => ({
      employeeId: r.rowKey,
      status: r.status,
      attempts: r.attempts,
      dueAt: r.dueAt,
      ...(r.sentAt ? { sentAt: r.sentAt } : {}),
      ...(r.lastError ? { lastError: r.lastError } : {}),
    })),
  };
}

/** failed → pending, due now, attempts reset; ETag-guarded so a row that changed meanwhile is left alone. */
export async function resendFailed(services: Services, companyId: string, period: string, actor: string): Promise<number> {
  const client = services.storage.table("mails");
  const now = services.now();
  let requeued = 0;
  for (const r of await rows(services, companyId, period)) {
    if (r.status !== "failed") continue;
    try {
      await client.updateEntity({ partitionKey: r.partitionKey, rowKey: r.rowKey, status: "pending", dueAt: now.toISOString(), attempts: 0 }, "Merge", { etag: r.etag });
      requeued++;
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode !== 412) throw e;
    }
  }
  if (requeued) {
    await auditRepository(services.storage).append({ companyId, at: now.toISOString(), actor, action: "mails.resend", target: `${companyId}/${period}`, after: { requeued } });
  }
  return requeued;
}

/** generated → mailed once no mail of the period is pending or being sent. */
export async function closeMailing(services: Services, companyId: string, period: string): Promise<boolean> {
  const periods = periodsRepository(services.storage);
  const record = await periods.get(companyId, period);
  if (!record || record.status !== "generated") return false;
  const { counts, mails } = await mailStatuses(services, companyId, period);
  if (mails.length === 0 || counts.pending! > 0 || counts.sending! > 0) return false;
  const now = services.now().toISOString();
  try {
    await periods.transition(record, "mailed", { updatedAt: now, mailedAt: now });
  } catch (e) {
    if (e instanceof ConcurrencyError) return false;
    throw e;
  }
  await auditRepository(services.storage).append({ companyId, at: now, actor: "timer:mail-dispatcher", action: "period.mailed", target: `${companyId}/${period}`, after: counts });
  return true;
}
