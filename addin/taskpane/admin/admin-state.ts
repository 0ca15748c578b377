/**
 * The administration view's state, its actions and the pure reducer that applies them (like ../state.ts for the
 * month's steps): the tab shown, the dated-value form with the server's refusals laid on its fields in French, the
 * confirmation the server asks for a value far from the previous one, and the parameters history. The tab list
 * leaves room for the cockpit's next tabs (companies, access, actions, audit: issue 15).
 */
import type { AuditEntry } from "../../../shared/api/audit.ts";
import type { ParameterBody, ParameterChangeResponse } from "../../../shared/api/parameters.ts";
import type { EvidenceStatus, ParameterFile } from "../../../shared/rates/parameters.ts";
import { type AdminField, fieldErrors, parseParameterValue } from "../admin-values.ts";
import type { Message } from "../state.ts";
import { editableValue, monthAfter, type ParameterRow } from "./parameter-rows.ts";

export type AdminTab = "parameters" | "history";
export const ADMIN_TABS: readonly { id: AdminTab; label: string }[] = [
  { id: "parameters", label: "Paramètres" },
  { id: "history", label: "Historique" },
];

export interface ParameterForm {
  parameter: string;
  /** AAAA-MM: a value is in force from the first day of a month. */
  month: string;
  value: string;
  status: Exclude<EvidenceStatus, "unknown">;
  title: string;
  href: string;
  document: string;
  note: string;
  confirm: boolean;
}

/** The form's fields an error can sit on; the reference is three fields (title, link, document). */
export type FormField = Exclude<AdminField, "reference" | "validFrom"> | "month" | "title" | "href" | "document" | "form";
export type FormErrors = Partial<Record<FormField, string>>;

export interface AdminState {
  tab: AdminTab;
  form: ParameterForm;
  errors: FormErrors;
  /** The server found the value implausible (×2 or more away from the previous one): the checkbox is shown. */
  confirmAsked: boolean;
  busy: boolean;
  message: Message | null;
  /** Newest first; null before it was loaded. */
  history: readonly AuditEntry[] | null;
}

export type AdminAction =
  | { type: "tab"; tab: AdminTab }
  | { type: "edit"; field: Exclude<keyof ParameterForm, "confirm">; value: string }
  | { type: "confirm"; checked: boolean }
  | { type: "confirmUnchanged"; row: ParameterRow }
  | { type: "invalid"; errors: FormErrors }
  | { type: "started" }
  | { type: "saved"; outcome: ParameterChangeResponse }
  | { type: "refused"; message: string; issues: readonly { code?: string; path?: string; message?: string }[] }
  | { type: "failed"; text: string }
  | { type: "history"; entries: readonly AuditEntry[] };

export const emptyForm = (parameter = "ccss.ceiling"): ParameterForm => ({
  parameter,
  month: "",
  value: "",
  status: "official",
  title: "",
  href: "",
  document: "",
  note: "",
  confirm: false,
});

export function initialAdminState(): AdminState {
  return { tab: "parameters", form: emptyForm(), errors: {}, confirmAsked: false, busy: false, message: null, history: null };
}

const FIELD_PREFIX = /^(parameter|validFrom|value|status|reference|note)(\/\w+)? : /;

/** A server message as its field shows it: without the field's English name, the API's wording made the pane's. */
export function onField(message: string): string {
  return message.replace(FIELD_PREFIX, "").replace("envoyez « confirm: true »", "cochez « Je confirme cette valeur »");
}

/** The server's issues on the form's fields (`validFrom` is the month field, `/reference/href` the link…). */
export function formErrors(issues: readonly { path?: string; message?: string }[]): FormErrors {
  const out: FormErrors = {};
  const rest: { path?: string; message?: string }[] = [];
  for (const i of issues) {
    const m = /^\/?reference(?:\/(title|href|document))?$/.exec(i.path ?? "");
    // No part named: the reference lacks both its link and its document.
    const key: FormField | undefined = m ? ((m[1] as FormField | undefined) ?? "href") : undefined;
    if (key && i.message && !out[key]) out[key] = onField(i.message);
    else if (!key) rest.push(i);
  }
  const { validFrom, reference: _r, ...others } = fieldErrors(rest);
  for (const [k, v] of Object.entries(others)) if (v && !out[k as FormField]) out[k as FormField] = onField(v);
  if (validFrom) out.month = onField(validFrom);
  return out;
}

/** The form as the API's body, or the errors to show without asking the server (a value not written in French). */
export function formBody(form: ParameterForm, unit: ParameterFile["unit"]): { ok: true; body: ParameterBody } | { ok: false; errors: FormErrors } {
  const errors: FormErrors = {};
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(form.month.trim())) errors.month = "Valable à partir de : saisissez le mois AAAA-MM, par exemple 2026-10.";
  const parsed = parseParameterValue(form.value, unit);
  if (!parsed.ok) errors.value = parsed.error;
  if (!parsed.ok || errors.month) return { ok: false, errors };
  const opt = (s: string) => s.trim() || undefined;
  const reference = { title: form.title.trim(), href: opt(form.href), document: opt(form.document) };
  const body: ParameterBody = {
    parameter: form.parameter,
    validFrom: `${form.month.trim()}-01`,
    value: parsed.value,
    status: form.status,
    reference: Object.fromEntries(Object.entries(reference).filter(([, v]) => v !== undefined)) as ParameterBody["reference"],
    ...(opt(form.note) ? { note: form.note.trim() } : {}),
    ...(form.confirm ? { confirm: true } : {}),
  };
  return { ok: true, body };
}

export function adminReducer(state: AdminState, action: AdminAction): AdminState {
  switch (action.type) {
    case "tab":
      return { ...state, tab: action.tab };
    case "edit": {
      // Another parameter, date or value is another question: a confirmation given for the previous one is void.
      const reset = action.field === "parameter" || action.field === "month" || action.field === "value";
      const form = { ...state.form, [action.field]: action.value, ...(reset ? { confirm: false } : {}) };
      return { ...state, form, ...(reset ? { confirmAsked: false } : {}) };
    }
    case "confirm":
      return { ...state, form: { ...state.form, confirm: action.checked } };
    case "confirmUnchanged":
      // The same value, dated from the period after it was known: the admin still gives the reference that says so.
      return {
        ...state,
        form: {
          ...emptyForm(action.row.id),
          month: monthAfter(action.row.knownUntil),
          value: editableValue(action.row.raw),
          note: "Valeur confirmée inchangée pour la période.",
        },
        errors: {},
        confirmAsked: false,
        message: { intent: "info", text: `Confirmez ${action.row.label} inchangé : indiquez la référence qui le dit, puis enregistrez.` },
      };
    case "invalid":
      return { ...state, errors: action.errors, message: null };
    case "started":
      return { ...state, busy: true, message: null };
    case "saved": {
      const { outcome } = action;
      return {
        ...state,
        busy: false,
        errors: {},
        confirmAsked: false,
        form: emptyForm(state.form.parameter),
        // The history is read again when its tab is shown.
        history: null,
        message: outcome.changed
          ? { intent: "success", text: `Valeur enregistrée : nouvelle version des paramètres ${outcome.version} (précédente ${outcome.previousVersion}).` }
          : { intent: "info", text: `Cette valeur était déjà en vigueur : la version ${outcome.version} est inchangée.` },
      };
    }
    case "refused": {
      const confirmAsked = action.issues.some((i) => i.code === "PARAM_IMPLAUSIBLE");
      const errors = formErrors(action.issues);
      return {
        ...state,
        busy: false,
        errors: Object.keys(errors).length ? errors : { form: action.message },
        confirmAsked: confirmAsked || state.confirmAsked,
        message: { intent: "error", text: "Valeur refusée : corrigez les champs signalés." },
      };
    }
    case "failed":
      return { ...state, busy: false, message: { intent: "error", text: action.text } };
    case "history":
      return { ...state, busy: false, history: action.entries };
  }
}
