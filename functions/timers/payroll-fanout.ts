/**
 * The payroll fan-out: the hourly scheduler (and "run now") only decide what is due and put one message per company,
 * month and version on the payroll-run queue; the `payroll-run` queue function runs that one company's payroll, so
 * the Functions host runs companies in parallel on as many instances as it needs, and one slow or failing company
 * holds up nobody else.
 *
 * Exactly once: the dispatch row (payroll-dispatches.ts) lets one caller send per version; the run's claim on the
 * period (functions/payroll/run.ts) lets one run generate it, whatever the number of messages delivered.
 * Failure: a failed run throws, so the host delivers the message again (host.json `extensions.queues`); after
 * `maxDequeueCount` deliveries the host moves it to `payroll-runs-poison`, whose function marks the month
 * "en échec" with the last reason. The next fires do not enqueue it again: a failed month waits for an admin's "run now".
 */
import type { Services } from "../app/services.ts";
import { dsmExtra } from "../payroll/dsm.ts";
import { type RunOutcome, runPayroll } from "../payroll/run.ts";
import { ConcurrencyError } from "../storage/errors.ts";
import { periodsRepository, type Storage } from "../storage/index.ts";
import { type DispatchRecord, dispatchesRepository, PENDING_RESEND_MS } from "./payroll-dispatches.ts";
import { type PayrollQueue, type PayrollRunMessage, parsePayrollRunMessage, payrollQueueFor } from "./payroll-queue.ts";

const queues = new WeakMap<Storage, PayrollQueue>();
/** One queue client per Storage (per host, per test stack): the same account as the tables and blobs. */
export function payrollQueueOf(storage: Storage): PayrollQueue {
  let q = queues.get(storage);
  if (!q) {
    q = payrollQueueFor(storage.settings);
    queues.set(storage, q);
  }
  return q;
}

export interface Dispatched {
  companyId: string;
  period: string;
  version: number;
  /** True when this call sent the message; false when the version was already on its way (or done, or failed). */
  enqueued: boolean;
  state: DispatchRecord["state"];
}

/**
 * Puts the company's month on the queue unless a message for this version was already sent. `rerun` (run now) also
 * re-sends a version whose run ended (failed after its attempts, or done while the month is still submitted).
 */
export async function dispatchPayrollRun(services: Services, message: PayrollRunMessage, options: { rerun?: boolean } = {}): Promise<Dispatched> {
  const repo = dispatchesRepository(services.storage);
  const now = services.now();
  const { companyId, period, version } = message;
  let { created, row } = await repo.record(companyId, period, version, message.requestedBy, now);
  if (!created) {
    const stale = row.state === "pending" && now.getTime() - Date.parse(row.updatedAt) > PENDING_RESEND_MS;
    const rerun = options.rerun === true && (row.state === "failed" || row.state === "done");
    if (!stale && !rerun) return { companyId, period, version, enqueued: false, state: row.state };
    try {
      // The ETag makes one caller the sender, however many take the same stale row at once.
      row = await repo.replace(row, {
        state: "pending",
        requestedBy: message.requestedBy,
        updatedAt: now.toISOString(),
        ...(rerun ? { attempts: 0, lastError: undefined, outcome: undefined, reason: undefined, runId: undefined, finishedAt: undefined } : {}),
      });
    } catch (e) {
      if (!(e instanceof ConcurrencyError)) throw e;
      const latest = await repo.get(companyId, period, version);
      return { companyId, period, version, enqueued: false, state: latest?.state ?? row.state };
    }
  }
  const { messageId } = await payrollQueueOf(services.storage).send(message);
  // A worker may already have picked it up: only a row still pending becomes "queued".
  const after = await repo.update(
    message,
    (r) => ({ messageId, enqueuedAt: services.now().toISOString(), ...(r.state === "pending" ? { state: "queued" as const } : {}) }),
    services.now(),
  );
  services.log("payroll.run.enqueued", { companyId, period, version });
  return { companyId, period, version, enqueued: true, state: after.state };
}

/** "Run now": the month's current submitted version goes on the queue; anything else is said, not queued. */
export async function requestPayrollRun(
  services: Services,
  companyId: string,
  period: string,
  actor: string,
): Promise<({ status: "queued" } & Dispatched) | { status: "skipped"; reason: string }> {
  await services.storage.ensure();
  const current = await periodsRepository(services.storage).get(companyId, period);
  if (!current) return { status: "skipped", reason: `aucune période ${period} soumise pour ${companyId}` };
  if (current.status !== "submitted") return { status: "skipped", reason: `période ${period} à l'état « ${current.status} »` };
  const d = await dispatchPayrollRun(services, { companyId, period, version: current.version, requestedBy: actor }, { rerun: true });
  return { status: "queued", ...d };
}

/** Where the host tells the handler how many times this message was delivered (trigger metadata). */
export interface QueueDelivery {
  dequeueCount: number;
}

/**
 * The `payroll-run` queue function: runs one company's month. A failed run throws so that the host retries it and
 * finally poisons it; every other outcome (generated, skipped, superseded by a run that holds it) completes the message.
 */
export async function payrollRunFromQueue(services: Services, raw: unknown, delivery: QueueDelivery): Promise<RunOutcome> {
  const message = parsePayrollRunMessage(raw);
  const repo = dispatchesRepository(services.storage);
  const start = services.now();
  await repo.update(message, () => ({ state: "running", attempts: delivery.dequeueCount }), start);
  const actor = message.requestedBy.startsWith("timer:") ? message.requestedBy : `queue:${message.requestedBy}`;
  const outcome = await runPayroll(services, message.companyId, message.period, actor, { extraDocuments: dsmExtra });
  const now = services.now();
  if (outcome.status === "failed") {
    await repo.update(message, () => ({ state: "queued", lastError: outcome.error }), now);
    throw new Error(`paie ${message.companyId} ${message.period} : ${outcome.error}`);
  }
  await repo.update(
    message,
    () => ({
      state: "done",
      outcome: outcome.status,
      finishedAt: now.toISOString(),
      ...("runId" in outcome ? { runId: outcome.runId } : {}),
      ...("reason" in outcome ? { reason: outcome.reason } : {}),
    }),
    now,
  );
  return outcome;
}

/** The `payroll-run-poison` queue function: the month is "en échec", with the last reason, for the admins to see. */
export async function payrollRunPoisoned(services: Services, raw: unknown): Promise<{ companyId: string; period: string; reason: string } | undefined> {
  let message: PayrollRunMessage;
  try {
    message = parsePayrollRunMessage(raw);
  } catch (e) {
    // Nothing to mark: a message nobody can read is only logged (its text may hold anything, so not its content).
    services.log("payroll.run.poison.unreadable", { error: (e as Error).message.slice(0, 300) });
    return undefined;
  }
  const now = services.now();
  const row = await dispatchesRepository(services.storage).update(
    message,
    (r) => ({
      state: "failed",
      finishedAt: now.toISOString(),
      reason: r.lastError ?? `échecs répétés (${r.attempts} tentative(s)) sans motif enregistré`,
    }),
    now,
  );
  services.log("payroll.run.poisoned", { companyId: message.companyId, period: message.period, version: message.version, attempts: row.attempts });
  return { companyId: message.companyId, period: message.period, reason: row.reason ?? "" };
}
