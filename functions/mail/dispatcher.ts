/**
 * Sends the payslip mails that are due, one invocation at a time (timer function), within the host's
 * time limit and the mailbox's sending limits. Nothing here keeps state between invocations: the queue
 * is the state, so an invocation that stops early simply leaves pending rows for the next one.
 *
 * Exactly once: each mail is claimed (pending → sending, ETag-guarded) right before it is sent, so two
 * dispatchers running at once never both send it. Pacing: one send every 60 000 / ratePerMinute ms
 * (Exchange Online allows 30 messages per minute per mailbox), sequential, which also keeps us far
 * below Graph's 4 concurrent requests per mailbox.
 */
import { buildPayslipMail, documentVersion, payslipMessageId } from "./message.ts";
import type { MailPacer } from "./pacing.ts";
import { type MailJob, type MailMessage, type MailQueue, MailSendError, type MailTransport, type SendResult } from "./types.ts";

export interface DispatchOptions {
  queue: MailQueue;
  transport: MailTransport;
  now?: () => Date;
  /** Sends per minute from this mailbox. */
  ratePerMinute?: number;
  /**
   * The mailbox's budget shared with every other dispatcher (functions/mail/pacing.ts): a slot is acquired
   * right before each send. Without it pacing is per invocation only.
   */
  pacing?: { pacer: MailPacer; mailbox: string };
  /** Wall-clock budget of this invocation; keep it well under the host's functionTimeout. */
  budgetMs: number;
  /**
   * No new mail is started with less than this left (default 30 s, one Graph attempt at its timeout).
   * The send itself is then bounded by what remains: the transport gets `maxDurationMs` and gives up
   * (retryable) rather than overrun, so an invocation never exceeds its budget.
   */
  reserveMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** The payslip PDF of a job (from Blob Storage in production). */
  loadAttachment: (job: MailJob) => Promise<Uint8Array>;
  /** Names for the greeting when the queue row does not carry them. */
  loadNames?: (job: MailJob) => Promise<{ firstName: string; lastName: string; companyName: string }>;
  /** Dispatches per mail before a retryable failure becomes final. */
  maxAttempts?: number;
  /** Wait before a retryable failure is tried again by a later invocation. */
  retryDelayMs?: (attempt: number) => number;
  /** How many due rows to read per invocation. */
  batchSize?: number;
  /** Stops between two mails when aborted (host shutdown). */
  signal?: AbortSignal;
  /** One line per mail, without personal data (ids and outcome only). */
  log?: (line: string) => void;
}

export interface DispatchResult {
  sent: number;
  failed: number;
  retried: number;
  /** Lost the claim to another dispatcher (or the row changed state). */
  skipped: number;
  /** Interrupted sends found already delivered (findSent) and recorded without sending again. */
  recovered: number;
  /** Due rows not attempted in this invocation (time budget, abort). */
  remaining: number;
  /** "throttled": Graph answered 429 after its retries; the mailbox needs a rest, the next invocation resumes. */
  stoppedBy: "done" | "budget" | "aborted" | "throttled";
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function dispatchDue(options: DispatchOptions): Promise<DispatchResult> {
  const now = options.now ?? (() => new Date());
  const sleep = options.sleep ?? defaultSleep;
  const rate = options.ratePerMinute ?? 30;
  if (!(rate > 0)) throw new Error("ratePerMinute doit être positif");
  const interval = Math.ceil(60_000 / rate);
  const reserve = options.reserveMs ?? 30_000;
  const maxAttempts = options.maxAttempts ?? 5;
  const retryDelay = options.retryDelayMs ?? ((n: number) => Math.min(15 * 60_000 * 2 ** (n - 1), 6 * 3600_000));
  const log = options.log ?? (() => undefined);

  const started = now().getTime();
  const deadline = started + options.budgetMs;
  const result: DispatchResult = { sent: 0, failed: 0, retried: 0, skipped: 0, recovered: 0, remaining: 0, stoppedBy: "done" };
  const due = await options.queue.listDue(now(), options.batchSize ?? 500);
  let lastSendStart: number | undefined;

  for (let i = 0; i < due.length; i++) {
    const job = due[i]!;
    const stop = (why: DispatchResult["stoppedBy"], from = i) => {
      result.stoppedBy = why;
      result.remaining = due.length - from;
    };
    if (options.signal?.aborted) {
      stop("aborted");
      break;
    }
    // Pace from the start of the previous send: the mailbox limit counts messages, not our idle time.
    const wait = lastSendStart === undefined ? 0 : Math.max(0, lastSendStart + interval - now().getTime());
    if (now().getTime() + wait + reserve > deadline) {
      stop("budget");
      break;
    }
    if (wait > 0) await sleep(wait);
    if (options.signal?.aborted) {
      stop("aborted");
      break;
    }

    if (!(await options.queue.claim(job.id, now()))) {
      result.skipped++;
      log(`mail ${job.id} : déjà pris par un autre envoi`);
      continue;
    }

    const attempt = job.attempts + 1;
    if (job.status === "sending") {
      // A lease that expired: its sender died somewhere between claim and record. Ask before sending again.
      const verdict = await recover(job, options);
      if (verdict === "sent") {
        result.recovered++;
        log(`mail ${job.id} : déjà envoyé avant l'interruption, enregistré sans nouvel envoi`);
        continue;
      }
      if (verdict === "unknown") {
        result.failed++;
        log(`mail ${job.id} : envoi interrompu, impossible de vérifier s'il est parti — à vérifier avant de renvoyer`);
        continue;
      }
    }
    let loaded: Loaded;
    try {
      loaded = await load(job, options);
    } catch (e) {
      // The PDF or the names are not readable yet (documents still being generated): try later, no attempt counted.
      await options.queue.reschedule(job.id, new Date(now().getTime() + retryDelay(1)));
      result.retried++;
      log(`mail ${job.id} : préparation impossible, reporté (${(e as Error).message.slice(0, 200)})`);
      continue;
    }
    let message: MailMessage;
    try {
      message = build(job, loaded);
    } catch (e) {
      // Bad address or period in the data: retrying cannot help, someone must fix the row.
      await options.queue.markFailed(job.id, { error: `invalid · ${(e as Error).message}`, attempts: attempt, final: true });
      result.failed++;
      log(`mail ${job.id} : échec définitif (données invalides)`);
      continue;
    }

    if (options.pacing) {
      let slot: Date | undefined;
      try {
        slot = await options.pacing.pacer.acquire(options.pacing.mailbox, { notAfter: new Date(deadline - reserve) });
      } catch (e) {
        // Claimed but not sent: give the mail back before failing.
        await options.queue.reschedule(job.id, now());
        throw e;
      }
      if (!slot) {
        // The mailbox's next slot is past this invocation's budget: the next one sends it.
        await options.queue.reschedule(job.id, now());
        stop("budget");
        break;
      }
    }
    lastSendStart = now().getTime();
    let sent: SendResult;
    try {
      sent = await options.transport.send(message, { maxDurationMs: Math.max(0, deadline - now().getTime()) });
    } catch (e) {
      const err = e instanceof MailSendError ? e : new MailSendError((e as Error)?.message ?? String(e), { reason: "network", retryable: true, attempts: 1 });
      const final = !err.retryable || attempt >= maxAttempts;
      const waitMs = Math.max(retryDelay(attempt), err.details.retryAfterMs ?? 0);
      await options.queue.markFailed(job.id, {
        error: err.summary(),
        attempts: attempt,
        final,
        ...(final ? {} : { retryAt: new Date(now().getTime() + waitMs) }),
        ...(err.details.requestId ? { requestId: err.details.requestId } : {}),
      });
      if (final) result.failed++;
      else result.retried++;
      log(`mail ${job.id} : ${final ? "échec définitif" : "échec, nouvel essai prévu"} (${err.summary()})`);
      if (err.details.reason === "throttled") {
        // Every further send from this mailbox would be throttled too (and prolong the penalty).
        if (options.pacing) {
          // The penalty is the mailbox's: the other dispatchers wait too (Graph's hint, else a minute).
          const until = new Date(now().getTime() + (err.details.retryAfterMs ?? 60_000));
          await options.pacing.pacer
            .pause(options.pacing.mailbox, until)
            .catch((e: unknown) => log(`pause de la boîte impossible (${(e as Error).message.slice(0, 200)})`));
        }
        stop("throttled", i + 1);
        break;
      }
      continue;
    }
    // Outside the try above: if recording fails the mail WAS sent, and the row must stay "sending"
    // (never re-sent automatically) rather than be marked failed and retried.
    await options.queue.markSent(job.id, { requestId: sent.requestId, sentAt: now(), attempts: attempt });
    result.sent++;
    log(`mail ${job.id} : envoyé (request-id ${sent.requestId})`);
  }
  return result;
}

interface Loaded {
  pdf: Uint8Array;
  names: { firstName: string; lastName: string; companyName: string };
}

async function load(job: MailJob, options: DispatchOptions): Promise<Loaded> {
  const pdf = await options.loadAttachment(job);
  const names =
    job.firstName !== undefined && job.companyName !== undefined
      ? { firstName: job.firstName, lastName: job.lastName ?? "", companyName: job.companyName }
      : options.loadNames
        ? await options.loadNames(job)
        : undefined;
  if (!names) throw new Error("nom du salarié ou de la société inconnu");
  return { pdf, names };
}

/**
 * "sent": the transport has it (recorded now, nothing sent); "absent": it never went out, send it;
 * "unknown": the transport cannot tell — marked failed with that reason, for an admin to check and resend.
 */
async function recover(job: MailJob, options: DispatchOptions): Promise<"sent" | "absent" | "unknown"> {
  const transport = options.transport;
  const version = job.version ?? documentVersion(job.documentPath);
  const id = payslipMessageId(job, version);
  if (!transport.findSent) {
    await options.queue.markFailed(job.id, {
      error: "interrupted · envoi interrompu ; ce transport ne sait pas dire s'il est parti : vérifiez puis renvoyez",
      attempts: job.attempts,
      final: true,
    });
    return "unknown";
  }
  let found: SendResult | undefined;
  try {
    found = await transport.findSent(id);
  } catch (e) {
    // The check itself failed: give the lease back for a later invocation rather than guess.
    await options.queue.reschedule(job.id, new Date((options.now?.() ?? new Date()).getTime() + 60_000));
    throw e;
  }
  if (!found) return "absent";
  await options.queue.markSent(job.id, { requestId: found.requestId, sentAt: options.now?.() ?? new Date(), attempts: job.attempts });
  return "sent";
}

function build(job: MailJob, { pdf, names }: Loaded): MailMessage {
  return buildPayslipMail({
    companyId: job.companyId,
    companyName: names.companyName,
    period: job.period,
    employeeId: job.employeeId,
    firstName: names.firstName,
    lastName: names.lastName,
    email: job.recipient,
    pdf,
    version: job.version ?? documentVersion(job.documentPath),
  });
}
