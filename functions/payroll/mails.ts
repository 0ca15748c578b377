/**
 * The period's mails as the API shows them, re-sending the failed ones (admin), and closing the period's
 * mailing once every payslip is sent. Rows of the `mails` table, read through the storage repository.
 */
import { auditRepository, ConcurrencyError, mailsRepository, periodsRepository, replaceIfMatch, companyPeriodKey } from "../storage/index.ts";
import type { Services } from "../app/services.ts";

export interface MailStatusRow {
  employeeId: string;
  status: string;
  attempts: number;
  dueAt: string;
  sentAt?: string;
  lastError?: string;
}

export async function mailStatuses(services: Services, companyId: string, period: string): Promise<{ counts: Record<string, number>; mails: MailStatusRow[] }> {
  const list = await mailsRepository(services.storage).list(companyId, period);
  const counts: Record<string, number> = { pending: 0, sending: 0, sent: 0, failed: 0 };
  for (const r of list) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return {
    counts,
    mails: list.map((r) => ({
      employeeId: r.employeeId,
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
  const repo = mailsRepository(services.storage);
  const client = services.storage.table("mails");
  const now = services.now();
  let requeued = 0;
  for (const { etag, ...m } of await repo.list(companyId, period)) {
    if (m.status !== "failed") continue;
    const { lastError: _e, claimedAt: _c, ...rest } = m;
    try {
      await replaceIfMatch(client, repo.codec.toEntity(companyPeriodKey(companyId, period), m.employeeId, { ...rest, status: "pending", attempts: 0, dueAt: now.toISOString() }), etag);
      requeued++;
    } catch (e) {
      if (!(e instanceof ConcurrencyError)) throw e;
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
