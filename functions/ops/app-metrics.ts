/**
 * The app's metrics and the tiny API the work calls where it happens (payroll run, mail dispatcher, HTTP layer).
 * Every function here is synchronous, never throws and ignores nonsense values: recording a metric must not be able
 * to fail a payroll run.
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";
import { Registry } from "./metrics.ts";

export const registry = new Registry();

const startedAt = Date.now();

export const appMetrics = {
  buildInfo: registry.gauge("paie_build_info", "Version of the functions app (value always 1).", ["version"]),
  startTime: registry.gauge("paie_process_start_time_seconds", "Start time of this worker, Unix seconds."),
  payslips: registry.counter("paie_payslips_processed_total", "Payslips processed by payroll runs, by run outcome.", ["outcome"]),
  runs: registry.counter("paie_payroll_runs_total", "Payroll runs by outcome (generated, failed, skipped).", ["outcome"]),
  runDuration: registry.histogram(
    "paie_payroll_run_duration_seconds",
    "Wall-clock duration of payroll runs, by outcome.",
    ["outcome"],
    [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
  ),
  mails: registry.counter("paie_mails_total", "Payslip mails handled by the dispatcher, by result (sent, failed).", ["result"]),
  retries: registry.counter("paie_retries_total", "Retries, by kind (mail: transient transport failure rescheduled).", ["kind"]),
  http: registry.counter("paie_http_requests_total", "HTTP requests by route (function name), method and status.", ["route", "method", "status"]),
  httpDuration: registry.histogram(
    "paie_http_request_duration_seconds",
    "HTTP request duration by route (function name).",
    ["route"],
    [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  ),
};
appMetrics.startTime.set({}, Math.floor(startedAt / 1000));

export type RunOutcomeStatus = "generated" | "failed" | "skipped" | "superseded";

/** One payroll run finished: its outcome, how long it took (ms) and how many payslips it processed. */
export function observePayrollRun(outcome: RunOutcomeStatus, durationMs: number, payslips = 0): void {
  try {
    appMetrics.runs.inc({ outcome });
    appMetrics.runDuration.observe({ outcome }, durationMs / 1000);
    if (payslips > 0) appMetrics.payslips.inc({ outcome }, payslips);
  } catch {
    // never let metrics fail the work
  }
}

/** One mail-dispatcher pass: the counts of its result (sent, failed, retried). */
export function observeMailDispatch(result: { sent?: number; failed?: number; retried?: number }): void {
  try {
    appMetrics.mails.inc({ result: "sent" }, result.sent ?? 0);
    appMetrics.mails.inc({ result: "failed" }, result.failed ?? 0);
    appMetrics.retries.inc({ kind: "mail" }, result.retried ?? 0);
  } catch {
    // never let metrics fail the work
  }
}

/** A retry of another kind (storage, run). */
export function observeRetry(kind: string, count = 1): void {
  try {
    appMetrics.retries.inc({ kind }, count);
  } catch {
    // never let metrics fail the work
  }
}

export function observeHttp(route: string, method: string, status: number, durationMs: number): void {
  try {
    appMetrics.http.inc({ route, method: method.toUpperCase(), status: String(status) });
    appMetrics.httpDuration.observe({ route }, durationMs / 1000);
  } catch {
    // never let metrics fail the work
  }
}

type Handler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;

/**
 * Wraps an HTTP handler to count it by its function name (not its URL: no company id or matricule in labels).
 * A handler that throws is counted as 500 and the error is rethrown for the host to handle as before.
 */
export function instrumentHttp(route: string, handler: Handler): Handler {
  return async (request, context) => {
    const started = performance.now();
    try {
      const response = await handler(request, context);
      observeHttp(route, request.method, response.status ?? 200, performance.now() - started);
      return response;
    } catch (e) {
      observeHttp(route, request.method, 500, performance.now() - started);
      throw e;
    }
  };
}

/** The exposition text, with the build info refreshed. */
export function exposeMetrics(version: string): string {
  appMetrics.buildInfo.set({ version }, 1);
  return registry.expose();
}
