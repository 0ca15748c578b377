/**
 * The one list of functions of the app, used by both hosts: functions/index.ts registers it with the Azure
 * Functions host (`func start`, deployment), functions/host/local-runner.ts serves it here with node:http, croner and
 * workers polling Azurite's queues (functions/host/queue-workers.ts).
 */
import type { HttpResponseInit, InvocationContext, Timer } from "@azure/functions";
import type { Handler } from "./app/http.ts";
import type { Services } from "./app/services.ts";
import { routes } from "./http/routes.ts";
import { MAIL_TIMER_SCHEDULE } from "./mail/timer.ts";
import { instrumentHttp } from "./ops/app-metrics.ts";
import { dailyBackup, mailDispatcher, payrollScheduler } from "./timers/handlers.ts";
import { payrollRunFromQueue, payrollRunPoisoned } from "./timers/payroll-fanout.ts";
import { PAYROLL_QUEUE, POISON_SUFFIX, QUEUE_CONNECTION } from "./timers/payroll-queue.ts";

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

export interface QueueDefinition {
  kind: "queue";
  name: string;
  queueName: string;
  /** The app setting holding the storage connection, as the host reads it (payroll-queue.ts says which account). */
  connection: string;
  /** Throwing fails the delivery: the host delivers it again, then moves it to `${queueName}-poison`. */
  handler: (message: unknown, context: InvocationContext) => Promise<void>;
}

export type FunctionDefinition = HttpDefinition | TimerDefinition | QueueDefinition;

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
  const queue = (name: string, queueName: string, work: (s: Services, message: unknown, dequeueCount: number) => Promise<unknown>): QueueDefinition => ({
    kind: "queue",
    name,
    queueName,
    connection: QUEUE_CONNECTION,
    handler: async (message, context) => {
      const dequeueCount = Number(context.triggerMetadata?.dequeueCount ?? 1);
      const outcome = await work(services(), message, dequeueCount);
      context.log(JSON.stringify({ queue: queueName, dequeueCount, outcome: (outcome as { status?: string } | undefined)?.status ?? "done" }));
    },
  });
  return [
    ...routes(services).map((r): HttpDefinition => ({ kind: "http", ...r, handler: instrumentHttp(r.name, r.handler) })),
    // Hourly: companies whose payroll day has come (02:00 local onwards, with catch-up).
    timer("payroll-scheduler", "0 5 * * * *", payrollScheduler),
    // One message per company month: the host runs them in parallel, retries a failure, then poisons it.
    queue("payroll-run", PAYROLL_QUEUE, (s, m, dequeueCount) => payrollRunFromQueue(s, m, { dequeueCount })),
    queue("payroll-run-poison", PAYROLL_QUEUE + POISON_SUFFIX, (s, m) => payrollRunPoisoned(s, m)),
    // Every 5 minutes, each run within its budget (PAIE_MAIL_BUDGET_MS): due payslip mails, paced and resumable.
    timer("mail-dispatcher", MAIL_TIMER_SCHEDULE, (s) => mailDispatcher(s)),
    // 01:00 and 02:00 UTC are 03:00 in Monaco in summer and winter; the handler keeps the one that is 03:00 local.
    timer("daily-backup", "0 0 1,2 * * *", dailyBackup),
  ];
}

export type { HttpResponseInit };
