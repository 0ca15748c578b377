/**
 * Timer work. Schedules are NCRONTAB in UTC (Linux plans ignore WEBSITE_TIME_ZONE), so each handler decides on the
 * firm's local time itself: that keeps 03:00 and the payroll day right across daylight-saving changes. Every
 * handler is idempotent — a timer that fires twice, or late (isPastDue), does the work once.
 */
import { odata } from "@azure/data-tables";
import { localParts } from "../app/config.ts";
import type { Services } from "../app/services.ts";
import { backupAll, backupContainer, listBackups } from "../backup/backup.ts";
import { applyRetention } from "../backup/retention.ts";
import { protectedMailAttachment } from "../documents/payslip-protection.ts";
import { readNonDeliveries } from "../mail/bounces.ts";
import { dispatchDue } from "../mail/dispatcher.ts";
import { TableMailPacer } from "../mail/pacing.ts";
import { mailBudgetMs } from "../mail/timer.ts";
import { mailRatePerMinute } from "../mail/transport.ts";
import { observeMailDispatch } from "../ops/app-metrics.ts";
import { auditedQueue } from "../payroll/audited-queue.ts";
import { closeMailing } from "../payroll/mails.ts";
import { companiesRepository, periodsRepository, pruneAllSupersededPayslips } from "../storage/index.ts";
import { type Dispatched, dispatchPayrollRun } from "./payroll-fanout.ts";

/**
 * Decides which companies are due — payroll day come (local time), month submitted — and puts each on the
 * payroll-run queue (payroll-fanout.ts); a second fire finds them recorded and enqueues nothing.
 */
export async function payrollScheduler(services: Services): Promise<Dispatched[]> {
  await services.storage.ensure();
  const local = localParts(services.now(), services.config.timeZone);
  const periods = periodsRepository(services.storage);
  // Runs start at 02:00 local on the payroll day; a missed day (host down) is caught up on the following days.
  const due = (await companiesRepository(services.storage).list()).filter((c) => local.day > c.payrollDay || (local.day === c.payrollDay && local.hour >= 2));
  const done: Dispatched[] = [];
  // A few companies at a time: 300 due on the 25th is a few table reads and one message each, not a run each.
  await eachLimited(due, 8, async (company) => {
    const record = await periods.get(company.id, local.period);
    if (record?.status !== "submitted") return;
    done.push(await dispatchPayrollRun(services, { companyId: company.id, period: local.period, version: record.version, requestedBy: "timer:payroll" }));
  });
  return done;
}

async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/** Sends due payslips paced to the mailbox limit, within the invocation budget; closes finished mailings. */
export async function mailDispatcher(services: Services, env: Record<string, string | undefined> = process.env) {
  await services.storage.ensure();
  const ratePerMinute = mailRatePerMinute(env);
  const mailbox = env.PAIE_MAIL_MAILBOX?.trim();
  const result = await dispatchDue({
    queue: auditedQueue(services.mailQueue, services.storage, services.now),
    transport: services.transport,
    now: services.now,
    ratePerMinute,
    // Exchange's limit is the mailbox's: every dispatcher (overlapping runs, scaled-out instances) shares one budget.
    ...(services.transport.kind === "graph" && mailbox
      ? { pacing: { pacer: TableMailPacer.fromStorage(services.storage, { ratePerMinute, now: services.now }), mailbox } }
      : {}),
    budgetMs: mailBudgetMs(env),
    // Encrypted with the employee's document code, then sealed (functions/documents/payslip-protection.ts).
    loadAttachment: (job) => protectedMailAttachment(services, job),
  });
  services.log("mail.dispatch", {
    sent: result.sent,
    failed: result.failed,
    retried: result.retried,
    remaining: result.remaining,
    stoppedBy: result.stoppedBy,
  });
  // Bounces come back after the 202: a failure to read them must not fail the dispatch that already sent mails.
  try {
    const bounces = await readNonDeliveries(services.transport, services.mailQueue, services.now());
    if (bounces.bounced) services.log("mail.bounced", bounces);
  } catch (e) {
    services.log("mail.bounces.unreadable", { error: (e as Error).message.slice(0, 300) });
  }
  observeMailDispatch(result);
  if (result.sent + result.failed > 0) {
    const periods = services.storage.table("periods");
    for await (const e of periods.listEntities({ queryOptions: { filter: odata`status eq ${"generated"}`, select: ["PartitionKey", "RowKey"] } })) {
      await closeMailing(services, e.partitionKey as string, e.rowKey as string);
    }
  }
  return result;
}

/**
 * The daily backup at 03:00 local time (once per local day), then backup retention, then the pruning of superseded
 * payslip sets — after the backup, so every row it deletes is in that day's backup; a failed backup prunes nothing.
 */
export async function dailyBackup(services: Services): Promise<{ skipped: true } | { date: string; deleted: number; payslipsPruned: number }> {
  const now = services.now();
  const local = localParts(now, services.config.timeZone);
  if (local.hour !== 3) return { skipped: true };
  await services.storage.ensure();
  const existing = await listBackups(backupContainer(services.storage));
  if (existing.includes(local.date)) return { skipped: true };
  const manifest = await backupAll(services.storage, { now });
  const retention = await applyRetention(services.storage, { now, days: services.config.backupRetentionDays });
  const pruned = await pruneAllSupersededPayslips(services.storage, { now, retentionDays: services.config.supersededRetentionDays });
  services.log("backup.done", {
    date: manifest.date,
    tables: manifest.tables.length,
    deleted: retention.deleted.length,
    payslipsPruned: pruned.rows,
    payslipSetsPruned: pruned.sets.length,
  });
  return { date: manifest.date, deleted: retention.deleted.length, payslipsPruned: pruned.rows };
}
