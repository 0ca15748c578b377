/**
 * The one list of functions of the app, used by both hosts: functions/index.ts registers it with the Azure
 * Functions host (`func start`, deployment), functions/host/local-runner.ts serves it here with node:http and croner.
 */
import type { HttpResponseInit, InvocationContext, Timer } from "@azure/functions";
import type { Handler } from "./app/http.ts";
import type { Services } from "./app/services.ts";
import { routes } from "./http/routes.ts";
import { MAIL_TIMER_SCHEDULE } from "./mail/timer.ts";
import { instrumentHttp } from "./ops/app-metrics.ts";
import { dailyBackup, mailDispatcher, payrollScheduler } from "./timers/handlers.ts";

export interface HttpDefinition {
  kind: "http";
  name: string;
  /** Azure route template, under the /api prefix: "companies/{companyId}/periods/{period}". */
  route: string;
  methods: ("GET" | "POST" | "PUT")[];
  handler: Handler;
}

export interface TimerDefinition {
  kind: "timer";
  name: string;
  /** NCRONTAB, six fields with seconds, UTC. */
  schedule: string;
  handler: (timer: Timer, context: InvocationContext) => Promise<void>;
}

export type FunctionDefinition = HttpDefinition | TimerDefinition;

export function definitions(services: () => Services): FunctionDefinition[] {
  const timer = (name: string, schedule: string, work: (s: Services) => Promise<unknown>): TimerDefinition => ({
    kind: "timer",
    name,
    schedule,
    handler: async (t, context) => {
      const outcome = await work(services());
      context.log(JSON.stringify({ timer: name, pastDue: t.isPastDue, outcome }));
    },
  });
  return [
    ...routes(services).map((r): HttpDefinition => ({ kind: "http", ...r, handler: instrumentHttp(r.name, r.handler) })),
    // Hourly: companies whose payroll day has come (02:00 local onwards, with catch-up).
    timer("payroll-scheduler", "0 5 * * * *", payrollScheduler),
    // Every 5 minutes, each run within its budget (PAIE_MAIL_BUDGET_MS): due payslip mails, paced and resumable.
    timer("mail-dispatcher", MAIL_TIMER_SCHEDULE, (s) => mailDispatcher(s)),
    // 01:00 and 02:00 UTC are 03:00 in Monaco in summer and winter; the handler keeps the one that is 03:00 local.
    timer("daily-backup", "0 0 1,2 * * *", dailyBackup),
  ];
}

export type { HttpResponseInit };
