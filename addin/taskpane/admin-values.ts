/**
 * The administration view's typing rules (first part of issue 13 item 2; the view itself is not built yet): a value
 * typed the French way ("9 900", "9 900,00 €", "8,55 %", "12,02 €/h") read as the number the API stores, and the
 * server's refusal (422 PARAMETER_REFUSED, one issue per field) laid on the fields of the form.
 */
import type { ParameterFile } from "../../shared/rates/parameters.ts";

export type ParsedValue = { ok: true; value: number | string } | { ok: false; error: string };

const SUFFIX: Partial<Record<ParameterFile["unit"], RegExp>> = {
  eur: /\s*€$/,
  eur_per_hour: /\s*€\s*\/\s*h$/i,
  percent: /\s*%$/,
  hours: /\s*h$/i,
  days: /\s*j$/i,
};

/** "9 900" → 9900, "8,55 %" → 8.55; a code is kept as typed; anything else is a French error naming the field. */
export function parseParameterValue(text: string, unit: ParameterFile["unit"]): ParsedValue {
  const raw = text.trim();
  if (!raw) return { ok: false, error: "Valeur : saisissez la nouvelle valeur." };
  if (unit === "code") return { ok: true, value: raw };
  const bare = raw.replace(SUFFIX[unit] ?? /$^/, "").replace(/[\s\u00a0\u202f]/g, "");
  if (!/^-?\d+(,\d+)?$/.test(bare))
    return { ok: false, error: `Valeur : « ${raw} » n'est pas un nombre écrit en français (par exemple ${unit === "percent" ? "8,55 %" : "9 900"}).` };
  return { ok: true, value: Number(bare.replace(",", ".")) };
}

export type AdminField = "parameter" | "validFrom" | "value" | "status" | "reference" | "note";
const FIELDS: readonly AdminField[] = ["parameter", "validFrom", "value", "status", "reference", "note"];

/** The server's issues by form field (`reference/href` → reference); issues on no known field go under "form". */
export function fieldErrors(issues: readonly { path?: string; message?: string }[]): Partial<Record<AdminField | "form", string>> {
  const out: Partial<Record<AdminField | "form", string>> = {};
  for (const i of issues) {
    const head = (i.path ?? "").replace(/^\//, "").split(/[/.]/)[0] as AdminField;
    const key = FIELDS.includes(head) ? head : "form";
    if (i.message && !out[key]) out[key] = i.message;
  }
  return out;
}
