/**
 * The parameters history as the administration view prints it: who, when, the parameter and date, before → after,
 * the reference's title. Audit entries are stored JSON (shared/api/audit.ts): each field is read defensively, a
 * missing one is "—" rather than a broken line.
 */
import type { AuditEntry } from "../../../shared/api/audit.ts";
import { formatDate } from "../../../shared/core/format.ts";
import { formatParameterValue } from "../../../shared/rates/parameter-change.ts";
import type { ParameterFile } from "../../../shared/rates/parameters.ts";
import { referenceWords } from "./parameter-rows.ts";

export interface HistoryLine {
  key: string;
  /** "03/12/2026 14:05" (UTC, as stored). */
  when: string;
  who: string;
  what: string;
  change: string;
  reference: string;
}

type Json = Record<string, unknown> | undefined;
const obj = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
const ACTIONS: Record<string, string> = { "parameter.add": "Ajout", "parameter.correct": "Correction" };

export function historyLines(entries: readonly AuditEntry[], files: ReadonlyMap<string, ParameterFile>): HistoryLine[] {
  return entries.map((e, i) => {
    const [id = "", from = ""] = e.target.split("@");
    const file = files.get(id);
    const unit = file?.unit ?? "code";
    const show = (v: unknown) => (typeof v === "number" || typeof v === "string" ? formatParameterValue(v, unit) : "aucune valeur");
    const before = obj(e.before);
    const after = obj(e.after);
    const previous = before && "value" in before ? before.value : obj(before?.inForce)?.value;
    const reference = obj(after?.reference);
    return {
      key: `${e.at}|${e.target}|${i}`,
      when: `${formatDate(e.at.slice(0, 10))} ${e.at.slice(11, 16)}`,
      who: e.actor,
      what: `${ACTIONS[e.action] ?? e.action} — ${file?.description ?? id}${/^\d{4}-\d{2}-\d{2}$/.test(from) ? ` au ${formatDate(from)}` : ""}`,
      change: `${show(previous)} → ${show(after?.value)}${after?.confirm === true ? " (confirmé)" : ""}`,
      reference:
        typeof reference?.title === "string"
          ? referenceWords({ title: reference.title, ...(typeof reference.document === "string" ? { document: reference.document } : {}) })
          : "—",
    };
  });
}
