/**
 * The task pane's state, its actions and the pure reducer that applies them. The pane's French messages are made
 * here from the outcomes, so what the user reads after each step is tested without a browser
 * (tests/addin/pane-state.test.ts); App.tsx only talks to Excel and the server and dispatches what came back.
 */

import { formatDate, formatEuros } from "../../shared/core/format.ts";
import type { PeriodState, ServerCompany, SubmitOutcome } from "../api/client.ts";
import type { CalculateOutcome, PrepareOutcome } from "../excel/operations.ts";
import type { SheetIssue } from "../workbook/table.ts";
import { baselineParameters, type LoadedParameters } from "./parameters.ts";

/** The month's steps, and the administration view (shown to Payroll.Admin only, after STEPS). */
export type Step = "prepare" | "validate" | "calculate" | "preview" | "submit" | "admin";
export const STEPS: readonly { id: Exclude<Step, "admin">; label: string }[] = [
  { id: "prepare", label: "Préparer" },
  { id: "validate", label: "Valider" },
  { id: "calculate", label: "Calculer" },
  { id: "preview", label: "Aperçu" },
  { id: "submit", label: "Soumettre" },
];

export type Session =
  | { state: "off"; error?: string }
  | { state: "connecting" }
  | { state: "on"; user: string; companies: ServerCompany[]; company: ServerCompany };

export interface Message {
  intent: "success" | "error" | "info" | "warning";
  text: string;
}

export interface PdfPreview {
  url: string;
  name: string;
  bytes: number;
}

/** One figure the server recomputed differently (409 RESULTS_DIFFER), as the API sends it. */
export interface Difference {
  employeeId: string;
  field: string;
  client?: number;
  server?: number;
}

export interface PaneState {
  step: Step;
  period: string;
  busy: boolean;
  message: Message | null;
  session: Session;
  /** The last validation's or calculation's issues; null before the first. */
  issues: SheetIssue[] | null;
  calc: CalculateOutcome | null;
  /** The period `calc` was made for (the field may have been edited since). */
  calcPeriod: string;
  /** Matricule of the payslip shown in the preview. */
  employee: string;
  /**
   * The server's version of the period when the calculation was made (0: nothing submitted), sent as
   * `replacesVersion`: if someone resubmitted since, the server refuses rather than silently replacing their work.
   * undefined when the calculation was made signed out (then the version read at submission is sent).
   */
  basedOn: number | undefined;
  /** The server's state of the period (documents, mails); null when nothing is known or nothing was submitted. */
  remote: PeriodState | null;
  /** The figures the server refused, one line each. */
  details: string[];
  pdf: PdfPreview | null;
  /** The parameter set calculations use (the server's, its offline copy, or the bundled baseline). */
  parameters: LoadedParameters;
  /** Why the set could not be loaded from the server (the copy or the baseline is used meanwhile). */
  parametersError: string | null;
  /** The version `calc` was computed with. */
  calcParameters: string;
  /** The server refused the submission for its parameter set: offer to reload the set and recalculate. */
  parametersRefused: boolean;
  /** The server (GET /api/me) says the caller is Payroll.Admin: the « Administration » tab is shown. */
  admin: boolean;
}

export type PaneAction =
  | { type: "step"; step: Step }
  | { type: "period"; period: string }
  | { type: "started" }
  | { type: "finished" }
  | { type: "failed"; text: string }
  | { type: "connecting" }
  | { type: "connected"; user: string; companies: ServerCompany[]; company: ServerCompany }
  | { type: "disconnected"; error?: string }
  | { type: "companyChosen"; company: ServerCompany }
  | { type: "prepared"; outcome: PrepareOutcome; carrySource: string }
  | { type: "validated"; issues: SheetIssue[]; employees: number }
  | { type: "calculated"; outcome: CalculateOutcome; period: string; seen?: PeriodState | null }
  | { type: "employee"; employee: string }
  | { type: "pdf"; pdf: PdfPreview }
  | { type: "remote"; remote: PeriodState | null }
  | { type: "submitting" }
  | { type: "submitted"; outcome: SubmitOutcome; period: string }
  | { type: "refused"; differences: readonly Difference[] }
  | { type: "parametersLoaded"; parameters: LoadedParameters; error?: string }
  | { type: "parametersRefused"; details: readonly ParameterRefusal[] }
  | { type: "roles"; admin: boolean };

/** One parameter the server applies differently (409 PARAMETERS_DIFFER), as the API sends it. */
export interface ParameterRefusal {
  parameter?: string;
  message?: string;
}

export function initialState(period: string, parameters: LoadedParameters = baselineParameters()): PaneState {
  return {
    step: "prepare",
    period,
    busy: false,
    message: null,
    session: { state: "off" },
    issues: null,
    calc: null,
    calcPeriod: "",
    employee: "",
    basedOn: undefined,
    remote: null,
    details: [],
    pdf: null,
    parameters,
    parametersError: null,
    calcParameters: "",
    parametersRefused: false,
    admin: false,
  };
}

// No-break spaces on screen: an amount never wraps in the narrow pane.
export const euros = (cents: number) => formatEuros(cents, "\u00a0");

export const INVALID_PERIOD = "Période invalide : saisissez AAAA-MM, par exemple 2025-03.";
const MAX_DIFFERENCES = 10;

export function prepareMessage(out: PrepareOutcome, carrySource: string): Message {
  const parts = [
    out.created.length ? `Créé : ${out.created.join(", ")}.` : "",
    out.repaired.length ? `Réparé : ${out.repaired.join(", ")}.` : "",
    out.prefilledFrom ? `${out.rows} ligne(s) reprise(s) de « ${out.prefilledFrom} ».` : "",
    carrySource,
  ].filter(Boolean);
  return { intent: "success", text: parts.length ? parts.join(" ") : "Les feuilles du mois sont déjà prêtes." };
}

export function validateMessage(issues: readonly SheetIssue[], employees: number): Message {
  const errors = issues.filter((i) => i.severity === "error").length;
  return errors
    ? { intent: "error", text: `${errors} erreur(s) à corriger. Cliquez sur une ligne pour aller à la cellule.` }
    : { intent: "success", text: `Aucune erreur : ${employees} salarié(s) prêt(s) pour le calcul.` };
}

export function differenceLines(differences: readonly Difference[]): string[] {
  const amount = (c: unknown) => (typeof c === "number" ? euros(c) : "absent");
  return differences.slice(0, MAX_DIFFERENCES).map((d) => `${d.employeeId} — ${d.field} : classeur ${amount(d.client)}, serveur ${amount(d.server)}`);
}

const SOURCE_WORDS = { server: "chargés du serveur", copy: "copie hors connexion", baseline: "intégrés à l'application" } as const;

/** "Paramètres 1a2b3c4d5e6f du 01/12/2026 (chargés du serveur)": what the pane computes with, on screen. */
export function parametersLine(p: LoadedParameters): string {
  const date = p.updatedAt ? ` du ${formatDate(p.updatedAt.slice(0, 10))}` : "";
  return `Paramètres ${p.set.version}${date} (${SOURCE_WORDS[p.source]})`;
}

export function paneReducer(state: PaneState, action: PaneAction): PaneState {
  switch (action.type) {
    case "step":
      return { ...state, step: action.step };
    case "period":
      return { ...state, period: action.period };
    case "started":
      return { ...state, busy: true, message: null };
    case "finished":
      return { ...state, busy: false };
    case "failed":
      return { ...state, message: { intent: "error", text: action.text } };
    case "connecting":
      return { ...state, session: { state: "connecting" } };
    case "connected":
      return { ...state, session: { state: "on", user: action.user, companies: action.companies, company: action.company } };
    case "disconnected":
      return {
        ...state,
        admin: false,
        step: state.step === "admin" ? "prepare" : state.step,
        session: action.error === undefined ? { state: "off" } : { state: "off", error: action.error },
      };
    case "companyChosen":
      // Another company's period is another period: its server state and version are read again.
      if (state.session.state !== "on") return state;
      return { ...state, session: { ...state.session, company: action.company }, remote: null, basedOn: undefined };
    case "prepared":
      return { ...state, message: prepareMessage(action.outcome, action.carrySource) };
    case "validated":
      return { ...state, issues: action.issues, message: validateMessage(action.issues, action.employees) };
    case "calculated": {
      const { outcome, period, seen } = action;
      return {
        ...state,
        basedOn: seen === undefined ? undefined : (seen?.period.version ?? 0),
        remote: seen ? seen : state.remote,
        issues: outcome.build.issues,
        calc: outcome,
        calcPeriod: period,
        calcParameters: state.parameters.set.version,
        parametersRefused: false,
        pdf: null,
        employee: outcome.results[0]?.result.employeeId ?? "",
        ...(outcome.written
          ? {
              message: { intent: "success", text: `${outcome.results.length} bulletin(s) calculé(s) et écrits dans « Bulletins ${period} ».` },
              step: "preview",
            }
          : { message: { intent: "error", text: "Calcul impossible : corrigez d'abord les erreurs listées." } }),
      };
    }
    case "employee":
      return { ...state, employee: action.employee };
    case "pdf":
      return { ...state, pdf: action.pdf };
    case "remote":
      return { ...state, remote: action.remote };
    case "submitting":
      return { ...state, details: [] };
    case "submitted": {
      const { outcome: out, period } = action;
      // What is stored is now this calculation: submitting it again is a no-op, not a stale resubmission.
      return {
        ...state,
        basedOn: out.version,
        message: {
          intent: "success",
          text: out.written
            ? `Période ${period} soumise : version ${out.version}, ${out.employees} bulletin(s).`
            : `Période ${period} déjà soumise à l'identique (version ${out.version}) : rien n'a changé.`,
        },
      };
    }
    case "refused":
      return { ...state, details: differenceLines(action.differences) };
    case "parametersLoaded":
      return {
        ...state,
        parameters: action.parameters,
        parametersError: action.error ?? null,
        ...(action.parameters.set.version !== state.parameters.set.version ? { parametersRefused: false } : {}),
      };
    case "parametersRefused":
      // The server's message (already shown) names the parameter and both values; the lines repeat each one.
      return { ...state, parametersRefused: true, details: action.details.map((d) => d.message ?? "").filter(Boolean) };
    case "roles":
      return { ...state, admin: action.admin, ...(action.admin || state.step !== "admin" ? {} : { step: "prepare" as const }) };
  }
}

/** Why the calculation in the state cannot be submitted, or null when it can. */
export function submitBlocker(state: PaneState): string | null {
  if (state.session.state !== "on") return "Connectez-vous d'abord au serveur de paie.";
  if (!state.calc?.written || state.calcPeriod !== state.period) return `Calculez d'abord les bulletins de ${state.period}.`;
  if (state.calcParameters !== state.parameters.set.version)
    return `Les paramètres ont changé depuis le calcul (version ${state.parameters.set.version}) : recalculez les bulletins de ${state.period}.`;
  return null;
}

/** The issues by sheet, in the order the sheets first appear. */
export function issuesBySheet(issues: readonly SheetIssue[] | null): [string, SheetIssue[]][] {
  const map = new Map<string, SheetIssue[]>();
  for (const i of issues ?? []) map.set(i.sheet, [...(map.get(i.sheet) ?? []), i]);
  return [...map];
}

/**
 * Stable React keys for a list whose natural key may repeat (two lines with one code): the key, then "#2", "#3"… for
 * its repeats. Keys from the content, not the position, so a row keeps its key when the list above it changes.
 */
export function keyed<T>(items: readonly T[], keyOf: (item: T) => string): { key: string; item: T }[] {
  const seen = new Map<string, number>();
  return items.map((item) => {
    const base = keyOf(item);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return { key: n === 1 ? base : `${base}#${n}`, item };
  });
}
