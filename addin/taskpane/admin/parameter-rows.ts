/**
 * What the administration view lists of a parameter set, and what « confirmer inchangé » proposes: pure, so the
 * table's words are tested without a browser. A value's reference is shown by its title (and document or link),
 * never by its internal note (issue 13 item 5).
 */
import { formatDate } from "../../../shared/core/format.ts";
import { formatParameterValue } from "../../../shared/rates/parameter-change.ts";
import type { ParameterSet } from "../../../shared/rates/parameter-set.ts";
import type { EvidenceStatus, ParameterFile, Reference } from "../../../shared/rates/parameters.ts";

export const STATUS_WORDS: Record<EvidenceStatus, string> = {
  official: "officielle",
  payslip: "vue sur bulletin",
  secondary: "source secondaire",
  inferred: "déduite",
  unknown: "inconnue",
};

/** The statuses an admin may give a value (a value entered is known: "inconnue" is for the bundled gaps only). */
export const ENTERABLE_STATUSES = (["official", "payslip", "secondary", "inferred"] as const).map((id) => ({ id, label: STATUS_WORDS[id] }));

export interface ParameterRow {
  id: string;
  label: string;
  unit: ParameterFile["unit"];
  /** The value in force on the day asked, in French ("9 800 €"), or "—" when unknown. */
  value: string;
  /** The bare value, as the form takes it back (confirmation of an unchanged value). */
  raw: number | string | null;
  validFrom: string;
  status: string;
  /** Past its knownUntil: the value may have changed and must be entered or confirmed unchanged. */
  stale: boolean;
  knownUntil: string;
  reference: string;
  href?: string;
}

export function referenceWords(reference: Reference | undefined): string {
  if (!reference) return "—";
  return reference.document ? `${reference.title} (${reference.document})` : reference.title;
}

/** One row per parameter, by label: its value in force on `date` (YYYY-MM-DD). */
export function parameterRows(set: ParameterSet, date: string): ParameterRow[] {
  const rows: ParameterRow[] = [];
  for (const file of set.files.values()) {
    let chosen: ParameterFile["values"][number] | undefined;
    for (const v of file.values) if (v.from <= date) chosen = v;
    const reference = chosen && "reference" in chosen ? chosen.reference : undefined;
    rows.push({
      id: file.id,
      label: file.description,
      unit: file.unit,
      value: chosen && chosen.value !== null ? formatParameterValue(chosen.value, file.unit) : "—",
      raw: chosen?.value ?? null,
      validFrom: chosen ? formatDate(chosen.from) : "—",
      status: chosen ? STATUS_WORDS[chosen.status] : "—",
      stale: date > file.knownUntil,
      knownUntil: file.knownUntil,
      reference: referenceWords(reference),
      ...(reference?.href ? { href: reference.href } : {}),
    });
  }
  return rows.sort((a, b) => a.label.localeCompare(b.label, "fr"));
}

/** The first month after a value's knownUntil (AAAA-MM): the period « confirmer inchangé » dates its value from. */
export function monthAfter(knownUntil: string): string {
  const y = Number(knownUntil.slice(0, 4));
  const m = Number(knownUntil.slice(5, 7));
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
}

/** A number as the form shows it back for editing: "9 800" → "9800", 6.85 → "6,85"; a code as is. */
export function editableValue(raw: number | string | null): string {
  if (raw === null) return "";
  return typeof raw === "number" ? String(raw).replace(".", ",") : raw;
}
