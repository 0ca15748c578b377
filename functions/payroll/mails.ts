/**
 * The period's mails as the API shows them, re-sending the failed ones (admin), and closing the period's
 * mailing once every payslip is sent. Rows of the `mails` table, read through the storage repository.
 */

import type { Services } from "../app/services.ts";
import { auditRepository, ConcurrencyError, mailsRepository, periodsRepository } from "../storage/index.ts";

export interface MailStatusRow {
  employeeId: string;
  status: string;
  attempts: number;
  dueAt: string;
  sentAt?: string;
  lastError?: string;
  /** Period version whose payslip the mail carries. */
  version?: number;
  /** Versions already mailed (a corrected payslip follows an earlier one). */
  sentVersions?: string;
  /** "sending" past its lease: the sender died; the next dispatch checks whether it went out, then finishes it. */
  stuck?: boolean;
  claimedAt?: string;
}

export async function mailStatuses(services: Services, companyId: string, period: string): Promise<{ counts: Record<string, number>; mails: MailStatusRow[] }> {
  const list = await mailsRepository(services.storage).list(companyId, period);
  const counts: Record<string, number> = { pending: 0, sending: 0, sent: 0, failed: 0, bounced: 0, stuck: 0 };
  const expired = services.now().getTime() - services.mailQueue.leaseMs;
  const mails = list.map((r): MailStatusRow => {
    const stuck = r.status === "sending" && (!r.claimedAt || Date.parse(r.claimedAt) <= expired);
    counts[r.status] = (counts[r.status] ?? 0) + 1;
    if (stuck) counts.stuck!++;
    return {
      employeeId: r.employeeId,
      status: r.status,
      attempts: r.attempts,
      dueAt: r.dueAt,
      ...(r.version !== undefined ? { version: r.version } : {}),
      ...(r.sentVersions ? { sentVersions: r.sentVersions } : {}),
      ...(r.claimedAt ? { claimedAt: r.claimedAt } : {}),
      ...(r.sentAt ? { sentAt: r.sentAt } : {}),
      ...(r.lastError ? { lastError: r.lastError } : {}),
      ...(stuck ? { stuck } : {}),
    };
  });
  return { counts, mails };
}

/** failed → pending, due now, attempts reset; ETag-guarded so a row that changed meanwhile is left alone. */
export async function resendFailed(services: Services, companyId: string, period: string, actor: string): Promise<number> {
  const now = services.now();
  const requeued = await mailsRepository(services.storage).requeueFailed(companyId, period, now);
  if (requeued) {
    await auditRepository(services.storage).append({
      companyId,
      at: now.toISOString(),
      actor,
      action: "mails.resend",
      target: `${companyId}/${period}`,
      after: { requeued },
    });
  }
  return requeued;
}

const STATUS_FR: Record<string, string> = { pending: "en attente", sending: "en cours d'envoi", failed: "en échec", bounced: "retourné" };

/** The mails that keep a period from "mailed", said in French: matricule, state, since when. */
export function blockingMails(mails: readonly MailStatusRow[]): string[] {
  return mails
    .filter((m) => m.status === "pending" || m.status === "sending")
    .map((m) => {
      const since = m.status === "sending" ? m.claimedAt : m.dueAt;
      return `${m.employeeId} (${m.stuck ? "envoi interrompu, en reprise" : STATUS_FR[m.status]}${since ? ` depuis le ${since.slice(0, 16).replace("T", " ")} UTC` : ""})`;
    });
}

export type CloseMailingOutcome = { closed: true } | { closed: false; reason: string; blocking: string[] };

/**
 * generated → mailed once no mail of the period is pending or being sent (a failed or bounced mail does not hold
 * the month: it is reported, and an admin resends or hands the payslip over on paper).
 */
export async function closeMailing(services: Services, companyId: string, period: string): Promise<CloseMailingOutcome> {
  const periods = periodsRepository(services.storage);
  const record = await periods.get(companyId, period);
  if (!record) return { closed: false, reason: `Période ${period} introuvable.`, blocking: [] };
  if (record.status !== "generated") return { closed: false, reason: `Période ${period} à l'état « ${record.status} ».`, blocking: [] };
  const { counts, mails } = await mailStatuses(services, companyId, period);
  if (mails.length === 0) return { closed: false, reason: `Aucun mail programmé pour ${period}.`, blocking: [] };
  const blocking = blockingMails(mails);
  if (blocking.length)
    return { closed: false, reason: `${blocking.length} mail${blocking.length > 1 ? "s" : ""} pas encore parti${blocking.length > 1 ? "s" : ""}`, blocking };
  const now = services.now().toISOString();
  try {
    await periods.transition(record, "mailed", { updatedAt: now, mailedAt: now });
  } catch (e) {
    if (e instanceof ConcurrencyError) return { closed: false, reason: "La période a changé entre-temps.", blocking: [] };
    throw e;
  }
  await auditRepository(services.storage).append({
    companyId,
    at: now,
    actor: "timer:mail-dispatcher",
    action: "period.mailed",
    target: `${companyId}/${period}`,
    after: counts,
  });
  return { closed: true };
}
