/**
 * The timer-triggered mail run, as a handler factory: whoever keeps the list of functions registers it
 * (`app.timer("envoiBulletins", { schedule: MAIL_TIMER_SCHEDULE, handler })`), tests call it directly.
 *
 *   PAIE_MAIL_BUDGET_MS   time one invocation may spend sending (default 240 000: under the Consumption
 *                         plan's default 5-minute functionTimeout, with room to record the last mail)
 * Timer triggers run as a singleton across instances, so invocations never overlap; the schedule only
 * needs to be at least as long as the budget.
 */
import type { InvocationContext, Timer } from "@azure/functions";
import { dispatchDue, type DispatchOptions, type DispatchResult } from "./dispatcher.ts";
import { mailRatePerMinute, type Env } from "./transport.ts";
import type { MailJob, MailQueue, MailTransport } from "./types.ts";

/** Every 5 minutes (NCRONTAB, UTC). runOnStartup stays false: a restart must not trigger a run. */
export const MAIL_TIMER_SCHEDULE = "0 */5 * * * *";

export function mailBudgetMs(env: Env): number {
  const raw = env.PAIE_MAIL_BUDGET_MS;
  if (raw === undefined || raw === "") return 240_000;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 10_000 || n > 3_600_000) throw new Error("PAIE_MAIL_BUDGET_MS doit être un entier entre 10 000 et 3 600 000");
  return n;
}

export interface MailTimerDeps {
  env: Env;
  queue: MailQueue;
  transport: MailTransport;
  loadAttachment: (job: MailJob) => Promise<Uint8Array>;
  loadNames?: DispatchOptions["loadNames"];
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

export function mailTimerHandler(deps: MailTimerDeps): (timer: Timer, context: InvocationContext) => Promise<DispatchResult> {
  // Read once when the app starts: a bad setting fails the host at startup, not at 3 a.m.
  const budgetMs = mailBudgetMs(deps.env);
  const ratePerMinute = mailRatePerMinute(deps.env);
  return async (_timer, context) => {
    const result = await dispatchDue({
      queue: deps.queue,
      transport: deps.transport,
      budgetMs,
      ratePerMinute,
      loadAttachment: deps.loadAttachment,
      ...(deps.loadNames ? { loadNames: deps.loadNames } : {}),
      ...(deps.now ? { now: deps.now } : {}),
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
      log: (line) => context.log(line),
    });
    // Counts only: ids are in the per-mail lines, personal data nowhere.
    context.log(`envoi des bulletins (${deps.transport.kind}) : ${JSON.stringify(result)}`);
    return result;
  };
}
