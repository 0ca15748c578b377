/**
 * The payroll API as the pane uses it (routes: functions/http/routes.ts). Every failure becomes an ApiFailure whose
 * message is French and actionable: the server's own message when it sent one (a 409 names the employee and the
 * figure that differ), a fixed sentence for sign-in, rights and network problems.
 */

import type { CarryInput } from "../../shared/core/carry.ts";
import type { ChartOfAccounts } from "../../shared/documents/journal.ts";
import type { CompanyInfo } from "../../shared/documents/types.ts";
import type { CompanyInput } from "../../shared/schema/payslip-input.ts";
import type { PeriodSubmissionBody } from "../../shared/schema/submission.ts";
import type { ParameterSetView } from "../taskpane/parameters.ts";
import type { PaieConfig } from "./config.ts";

export class ApiFailure extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly details: unknown[] = [],
  ) {
    super(message);
    this.name = "ApiFailure";
  }
}

export interface ServerCompany {
  id: string;
  name: string;
  address: string;
  ccssEmployerNumber: string;
  contracts: unknown[];
  chartOfAccounts: unknown;
  paidLeaveSystem: "ouvrables" | "ouvres";
  settings: { engine?: Record<string, unknown> } & Record<string, unknown>;
}

export interface PeriodState {
  period: { status: string; version: number; submittedAt?: string; generatedAt?: string; counts?: Record<string, number> };
  payslips: { employeeId: string }[];
  documents: { kind: string; path: string; url: string }[];
  mails: { counts: Record<string, number>; mails: { employeeId: string; status: string; lastError?: string }[] };
}

export interface SubmitOutcome {
  companyId: string;
  period: string;
  version: number;
  status: string;
  written: boolean;
  employees: number;
}

/** The engine's company settings as the server stores them, in the shape the workbook build expects. */
export function engineCompany(c: ServerCompany): CompanyInput {
  return { ...(c.settings.engine ?? {}), id: c.id, name: c.name, paidLeaveSystem: c.paidLeaveSystem, contracts: c.contracts } as CompanyInput;
}
export function companyInfo(c: ServerCompany): CompanyInfo {
  return { name: c.name, addressLines: c.address.split(/\r?\n/).filter(Boolean), ccssEmployerNumber: c.ccssEmployerNumber };
}
export function companyChart(c: ServerCompany): ChartOfAccounts | undefined {
  return c.chartOfAccounts && typeof c.chartOfAccounts === "object" ? (c.chartOfAccounts as ChartOfAccounts) : undefined;
}

export type TokenProvider = () => Promise<string | undefined>;

export function failureMessage(status: number, body: { error?: { code?: string; message?: string } } | undefined): string {
  const server = body?.error?.message;
  if (status === 401) return "Session expirée ou connexion absente : reconnectez-vous puis réessayez.";
  if (status === 403) return `Accès refusé : votre compte n'a pas les droits de paie pour cette société${server ? ` (${server})` : ""}.`;
  if (status === 409 && body?.error?.code === "RESULTS_DIFFER" && server) return server;
  if (server) return server;
  if (status === 404) return "Introuvable sur le serveur de paie.";
  if (status >= 500) return `Le serveur de paie a rencontré une erreur (${status}) : réessayez dans quelques minutes.`;
  return `Réponse inattendue du serveur de paie (${status}).`;
}

export function createApi(config: PaieConfig, token: TokenProvider, fetchImpl: typeof fetch = (...a) => fetch(...a)) {
  async function call(method: string, route: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const bearer = await token();
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    const url = route.startsWith("http") ? route : `${config.apiBase}/api/${route}`;
    try {
      return await fetchImpl(url, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch {
      throw new ApiFailure(`Serveur de paie injoignable (${config.apiBase}) : vérifiez la connexion Internet ou réessayez plus tard.`, 0, "network");
    }
  }
  async function json<T>(method: string, route: string, body?: unknown, allow404 = false): Promise<T | null> {
    const res = await call(method, route, body);
    if (allow404 && res.status === 404) return null;
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!res.ok) {
      const err = parsed as { error?: { code?: string; message?: string; details?: unknown[] } } | undefined;
      throw new ApiFailure(failureMessage(res.status, err), res.status, err?.error?.code ?? String(res.status), err?.error?.details ?? []);
    }
    return parsed as T;
  }
  const enc = encodeURIComponent;
  return {
    companies: async () => (await json<{ companies: ServerCompany[] }>("GET", "companies"))!.companies,
    company: async (id: string) => (await json<ServerCompany>("GET", `companies/${enc(id)}`))!,
    /**
     * `body.replacesVersion` is the period's version the calculation was made against (0 or absent: nothing was
     * submitted); a stale one comes back as ApiFailure 409 STALE_VERSION with the server's French message.
     */
    submit: async (id: string, body: PeriodSubmissionBody) => (await json<SubmitOutcome>("POST", `companies/${enc(id)}/periods/${enc(body.period)}`, body))!,
    /** null while nothing was submitted for the period. */
    period: (id: string, period: string) => json<PeriodState>("GET", `companies/${enc(id)}/periods/${enc(period)}`, undefined, true),
    /** Year-to-date state per matricule after `period`; null when the server has no such period. */
    carry: async (id: string, period: string) => {
      const out = await json<{ carries: Record<string, CarryInput | null> }>("GET", `companies/${enc(id)}/periods/${enc(period)}/carry`, undefined, true);
      if (!out) return null;
      return new Map(Object.entries(out.carries).filter((e): e is [string, CarryInput] => e[1] !== null && e[1] !== undefined));
    },
    /** The parameter set in force (version, date, entered values). */
    parameters: async () => (await json<ParameterSetView>("GET", "parameters"))!,
    /** A stored document's bytes (the link needs the same Bearer token, so it is fetched, not opened). */
    download: async (url: string) => {
      const res = await call("GET", url);
      if (!res.ok) throw new ApiFailure(failureMessage(res.status, undefined), res.status, String(res.status));
      return res.blob();
    },
  };
}
export type Api = ReturnType<typeof createApi>;
