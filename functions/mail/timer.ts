/**
 * Settings of the timer-triggered mail run (functions/timers/handlers.ts mailDispatcher, registered in
 * functions/definitions.ts).
 *
 *   PAIE_MAIL_BUDGET_MS   time one invocation may spend sending (default 240 000: under the Consumption
 *                         plan's default 5-minute functionTimeout, with room to record the last mail)
 * Timer triggers run as a singleton across instances, so invocations never overlap; the schedule only
 * needs to be at least as long as the budget.
 */
import type { Env } from "./transport.ts";

/** Every 5 minutes (NCRONTAB, UTC). runOnStartup stays false: a restart must not trigger a run. */
export const MAIL_TIMER_SCHEDULE = "0 */5 * * * *";

export function mailBudgetMs(env: Env): number {
  const raw = env.PAIE_MAIL_BUDGET_MS;
  if (raw === undefined || raw === "") return 240_000;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 10_000 || n > 3_600_000) throw new Error("PAIE_MAIL_BUDGET_MS doit être un entier entre 10 000 et 3 600 000");
  return n;
}
