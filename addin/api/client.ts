/**
 * The payroll API as the pane uses it: addresses, methods, bodies and answers are the contract of shared/api/contract.ts
 * (the one functions/http/routes.ts serves); every answer is checked against it before the pane builds on it. Every
 * failure becomes an ApiFailure whose
 * message is French and actionable: the server's own message when it sent one (a 409 names the employee and the
 * figure that differ), a fixed sentence for sign-in, rights and network problems.
 */

import type { Static, TSchema } from "@sinclair/typebox";
import type { CompanyRecord } from "../../shared/api/company.ts";
import { CONTRACT, isMedia, type OperationContract, type OperationName, operationPath } from "../../shared/api/contract.ts";
import type { ErrorBody } from "../../shared/api/errors.ts";
import type { ParameterBody } from "../../shared/api/parameters.ts";
import type { PeriodState, PeriodSubmissionBody, SubmitOutcome } from "../../shared/api/periods.ts";
import type { CarryInput } from "../../shared/core/carry.ts";
import type { Issue } from "../../shared/core/issue.ts";
import { compileChecker } from "../../shared/schema/checker.ts";
import { schemaIssues } from "../../shared/schema/validate.ts";
import type { ParameterSetView } from "../taskpane/parameters.ts";
import type { PaieConfig } from "./config.ts";

export { companyChart, companyInfo, engineCompany } from "../../shared/api/company.ts";
export type { PeriodState, SubmitOutcome };
/** The company as the server sends it (shared/api/company.ts). */
export type ServerCompany = CompanyRecord;

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

/** Compiled once per schema: the pane checks the same few answers again and again. */
const checkers = new Map<TSchema, ReturnType<typeof compileChecker>>();
/** The first way `value` is off `schema`, or undefined when it conforms. */
function offContract(schema: TSchema, value: unknown): Issue | undefined {
  let check = checkers.get(schema);
  if (!check) {
    check = compileChecker(schema);
    checkers.set(schema, check);
  }
  return check.Check(value) ? undefined : (schemaIssues(value, check)[0] ?? { code: "BAD_RESPONSE", path: "", message: "" });
}

/** The operations that answer JSON on success, their request body and their answer, typed from the contract's schemas. */
type Contract = typeof CONTRACT;
type JsonOperation = { [N in OperationName]: Contract[N]["responses"] extends { 200: TSchema } ? N : never }[OperationName];
type AnswerOf<N extends JsonOperation> = Contract[N]["responses"] extends { 200: infer S extends TSchema } ? Static<S> : never;
type RequestOf<N extends OperationName> = Contract[N] extends { request: infer S extends TSchema } ? Static<S> : undefined;

export type TokenProvider = () => Promise<string | undefined>;

export function failureMessage(status: number, body: Partial<ErrorBody> | undefined): string {
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
  /**
   * One operation of the contract (shared/api/contract.ts): its method and address from there, the answer checked
   * against the schema the contract declares for the status received (a status it does not declare is off the
   * contract too), and typed by that schema. `allow404`: a 404 is null (nothing stored yet), not a failure.
   */
  async function operation<N extends JsonOperation>(
    name: N,
    params: Record<string, string>,
    body?: RequestOf<N>,
    allow404 = false,
  ): Promise<AnswerOf<N> | null> {
    const contract: OperationContract = CONTRACT[name];
    const res = await call(contract.method, operationPath(name, params), body);
    if (allow404 && res.status === 404) return null;
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!res.ok) {
      const err = parsed as Partial<ErrorBody> | undefined;
      throw new ApiFailure(failureMessage(res.status, err), res.status, err?.error?.code ?? String(res.status), err?.error?.details ?? []);
    }
    const declared = contract.responses[res.status];
    const first = !declared || isMedia(declared) ? { code: "BAD_STATUS", path: "", message: `statut ${res.status} non prévu` } : offContract(declared, parsed);
    if (first) {
      throw new ApiFailure(
        `Réponse inattendue du serveur de paie (${contract.path.split("/")[0]}${first.message ? ` : ${first.message}` : ""}) : mettez à jour le complément ou prévenez l'administrateur.`,
        res.status,
        "BAD_RESPONSE",
        [first],
      );
    }
    return parsed as AnswerOf<N>;
  }
  return {
    companies: async () => (await operation("companies-list", {}))!.companies,
    company: async (companyId: string): Promise<ServerCompany> => (await operation("company-get", { companyId }))!,
    /**
     * `body.replacesVersion` is the period's version the calculation was made against (0 or absent: nothing was
     * submitted); a stale one comes back as ApiFailure 409 STALE_VERSION with the server's French message.
     */
    submit: async (companyId: string, body: PeriodSubmissionBody) => (await operation("period-submit", { companyId, period: body.period }, body))!,
    /** null while nothing was submitted for the period. */
    period: (companyId: string, period: string) => operation("period-get", { companyId, period }, undefined, true),
    /** Year-to-date state per matricule after `period`; null when the server has no such period. */
    carry: async (companyId: string, period: string) => {
      const out = await operation("period-carry", { companyId, period }, undefined, true);
      if (!out) return null;
      return new Map(Object.entries(out.carries).filter((e): e is [string, CarryInput] => e[1] !== null && e[1] !== undefined));
    },
    /** The parameter set in force (version, date, entered values). */
    parameters: async (): Promise<ParameterSetView> => (await operation("parameters-get", {}))! as ParameterSetView,
    /** Who the server says the caller is: the pane shows its administration view to Payroll.Admin only. */
    me: async () => (await operation("me", {}))!,
    /**
     * One dated value (admin): 201 a new set version, 200 nothing changed. A refusal is ApiFailure 422
     * PARAMETER_REFUSED whose details are the issues by field (a tenfold jump: PARAM_IMPLAUSIBLE on `value`).
     */
    putParameter: async (body: ParameterBody) => (await operation("parameter-put", {}, body))!,
    /** Who changed which parameter when, before and after, with its reference (admin), newest first. */
    parameterHistory: async () => (await operation("parameters-history", {}))!.entries,
    /** A stored document's bytes (the link needs the same Bearer token, so it is fetched, not opened). */
    download: async (url: string) => {
      const res = await call("GET", url);
      if (!res.ok) throw new ApiFailure(failureMessage(res.status, undefined), res.status, String(res.status));
      return res.blob();
    },
  };
}
export type Api = ReturnType<typeof createApi>;
