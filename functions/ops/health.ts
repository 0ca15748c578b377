/**
 * Operational state for GET /api/health and GET /api/metrics: storage reachability (with a deadline, so a dead
 * storage answers "unreachable" in seconds instead of after the SDK's retries) and the last run of each company.
 * Nothing here reads payslips, employees or mails: no personal data can leak through these endpoints.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { odata } from "@azure/data-tables";
import type { HttpRequest, HttpResponseInit } from "@azure/functions";
import type { ParameterNotice } from "../../shared/rates/parameter-notices.ts";
import { errorResponse } from "../app/http.ts";
import type { Services } from "../app/services.ts";
import { companiesRepository, periodsRepository } from "../storage/index.ts";
import { odataString } from "../storage/keys.ts";
import { STALLED_AFTER_MS } from "../storage/runs.ts";
import { exposeMetrics } from "./app-metrics.ts";
import { PROMETHEUS_CONTENT_TYPE } from "./metrics.ts";

export interface LastRun {
  companyId: string;
  period: string;
  kind: string;
  status: string;
  startedAt: string;
  finishedAt?: string;
  /** "running" for longer than the host's function timeout: the worker died (e.g. storage lost mid-run). */
  stalled?: boolean;
}

export async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} : pas de réponse en ${ms} ms`)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** The newest run of each company (any period), newest company activity first. */
export async function lastRunPerCompany(services: Services): Promise<LastRun[]> {
  const companies = await companiesRepository(services.storage).list();
  const runs = services.storage.table("runs");
  const now = services.now().getTime();
  const out: LastRun[] = [];
  for (const company of companies) {
    let best: LastRun | undefined;
    // Only the columns needed; row keys are period|inverted time, so each period's newest run comes first,
    // but the newest period is the last one listed: the whole (small) partition is scanned.
    const filter = `PartitionKey eq ${odataString(company.id)}`;
    for await (const e of runs.listEntities<Record<string, unknown>>({
      queryOptions: { filter, select: ["period", "kind", "status", "startedAt", "finishedAt"] },
    })) {
      const startedAt = typeof e.startedAt === "string" ? e.startedAt : "";
      // A superseded run did nothing (another run held the period): it is not the company's last activity, and
      // taking it as such would hide the stall of the run that does hold the period.
      if (e.status === "superseded") continue;
      if (best && startedAt <= best.startedAt) continue;
      best = {
        companyId: company.id,
        period: String(e.period ?? ""),
        kind: String(e.kind ?? ""),
        status: String(e.status ?? ""),
        startedAt,
        ...(typeof e.finishedAt === "string" ? { finishedAt: e.finishedAt } : {}),
      };
    }
    if (!best) continue;
    if (best.status === "running" && now - Date.parse(best.startedAt) > STALLED_AFTER_MS) best.stalled = true;
    out.push(best);
  }
  return out.sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1));
}

export interface PeriodParameterNotice extends ParameterNotice {
  companyId: string;
}

/**
 * The notices of months not yet closed whose payslips used stale or unconfirmed parameters: said here so that the
 * firm hears it even when nobody opens the month (the period rows hold them; no payslip is read).
 */
export async function parameterNotices(services: Services): Promise<PeriodParameterNotice[]> {
  const out: PeriodParameterNotice[] = [];
  for (const r of await periodsRepository(services.storage).listAll())
    if (r.parameterNotice && r.status !== "closed") out.push({ companyId: r.companyId, ...r.parameterNotice });
  return out.sort((a, b) => (a.period === b.period ? (a.companyId < b.companyId ? -1 : 1) : a.period < b.period ? 1 : -1));
}

function sha(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

/** Keys shorter than this are ignored: a short shared secret on an internet-facing endpoint is guessable. */
export const MIN_METRICS_KEY_LENGTH = 32;

/** True when the request carries the metrics key (X-Paie-Metrics-Key, or Authorization: Bearer as Prometheus sends it). */
export function hasMetricsKey(request: HttpRequest, env: Record<string, string | undefined>): boolean {
  const key = env.PAIE_METRICS_KEY?.trim();
  if (!key || key.length < MIN_METRICS_KEY_LENGTH) return false;
  const header = request.headers.get("x-paie-metrics-key") ?? request.headers.get("authorization")?.replace(/^Bearer\s+/i, "") ?? "";
  // Compare digests in constant time: the key's length and prefix do not leak through timing.
  return timingSafeEqual(sha(header.trim()), sha(key));
}

function noStore(status: number, jsonBody: unknown): HttpResponseInit {
  return { status, jsonBody, headers: { "Cache-Control": "no-store" } };
}

export interface MailTroubles {
  /** "sending" past its lease: the sender died mid-send (recovered by the next dispatch, after a findSent check). */
  stuck: number;
  failed: number;
  bounced: number;
}

/** Counts only (no address, no name): the rows in trouble, read with a filter on their status. */
export async function mailTroubles(services: Services): Promise<MailTroubles> {
  const out: MailTroubles = { stuck: 0, failed: 0, bounced: 0 };
  const expired = services.now().getTime() - services.mailQueue.leaseMs;
  const filter = odata`status eq ${"sending"} or status eq ${"failed"} or status eq ${"bounced"}`;
  for await (const e of services.storage.table("mails").listEntities({ queryOptions: { filter, select: ["status", "claimedAt"] } })) {
    if (e.status === "failed") out.failed++;
    else if (e.status === "bounced") out.bounced++;
    else if (!e.claimedAt || Date.parse(String(e.claimedAt)) <= expired) out.stuck++;
  }
  return out;
}

/**
 * GET /api/health. Anonymous callers (load-balancer probes, uptime checks) get storage, version and a count of the
 * last runs by status; authenticated callers (any role) and holders of the metrics key also get the last run of each
 * company they may see — company ids are the firm's client list, not something to publish anonymously.
 */
export function healthHandler(services: () => Services, version: string, env: Record<string, string | undefined> = process.env, timeoutMs = 5000) {
  return async (request: HttpRequest): Promise<HttpResponseInit> => {
    const started = Date.now();
    let s: Services;
    try {
      s = services();
    } catch {
      return noStore(503, { status: "degraded", version, storage: "unreachable" });
    }
    let runs: LastRun[];
    let companies: number;
    let mails: MailTroubles;
    let notices: PeriodParameterNotice[];
    try {
      await withDeadline(s.storage.ensure(), timeoutMs, "stockage");
      runs = await withDeadline(lastRunPerCompany(s), timeoutMs, "stockage");
      companies = (await withDeadline(companiesRepository(s.storage).list(), timeoutMs, "stockage")).length;
      mails = await withDeadline(mailTroubles(s), timeoutMs, "stockage");
      notices = await withDeadline(parameterNotices(s), timeoutMs, "stockage");
    } catch {
      return noStore(503, { status: "degraded", version, storage: "unreachable", latencyMs: Date.now() - started });
    }
    const byStatus: Record<string, number> = {};
    for (const r of runs) {
      const key = r.stalled ? "stalled" : r.status;
      byStatus[key] = (byStatus[key] ?? 0) + 1;
    }
    // A mail whose sending lease expired is not "ok" even though the dispatcher will recover it: someone should know.
    // Payslips computed with values past their knownUntil are not "ok" either: October's rates may be missing.
    const body: Record<string, unknown> = {
      status: mails.stuck > 0 || notices.length > 0 ? "attention" : "ok",
      version,
      storage: "reachable",
      companies,
      latencyMs: Date.now() - started,
      lastRuns: byStatus,
      mails,
      parameterNotices: notices.length,
    };
    let visible: ((companyId: string) => boolean) | undefined;
    if (hasMetricsKey(request, env)) visible = () => true;
    else {
      try {
        const p = await s.auth.authenticate(request);
        visible = (id) => p.companies.includes("*") || p.companies.includes(id);
      } catch {
        visible = undefined; // anonymous: the summary only
      }
    }
    if (visible) {
      body.runs = runs
        .filter((r) => visible!(r.companyId))
        .map((r) => ({
          companyId: r.companyId,
          period: r.period,
          kind: r.kind,
          status: r.stalled ? "stalled" : r.status,
          startedAt: r.startedAt,
          finishedAt: r.finishedAt ?? null,
        }));
      body.notices = notices.filter((n) => visible!(n.companyId));
    }
    return noStore(200, body);
  };
}

/**
 * GET /api/metrics, Prometheus text format. Who may read it: a holder of PAIE_METRICS_KEY (what a scraper is
 * configured with: `authorization: { credentials: … }` sends it as a bearer) or a signed-in Payroll.Admin. Not
 * anonymous: counts of payslips and failures are business information; not operators: they see one company's work,
 * the metrics are global.
 */
export function metricsHandler(services: () => Services, version: string, env: Record<string, string | undefined> = process.env) {
  return async (request: HttpRequest): Promise<HttpResponseInit> => {
    if (!hasMetricsKey(request, env)) {
      try {
        const p = await services().auth.authenticate(request);
        if (!p.roles.includes("Payroll.Admin")) {
          return noStore(403, {
            error: { code: "forbidden", message: "Accès aux métriques réservé aux administrateurs de la paie (ou à la clé de collecte)." },
          });
        }
      } catch (e) {
        // 401 without a token, 403 for a bad one, 503 when the identity provider is unreachable — as every route.
        return errorResponse(e);
      }
    }
    return { status: 200, body: exposeMetrics(version), headers: { "Content-Type": PROMETHEUS_CONTENT_TYPE, "Cache-Control": "no-store" } };
  };
}
