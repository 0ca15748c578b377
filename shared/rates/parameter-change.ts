/**
 * Checking a dated value before it joins the parameter set, and naming what differs between two sets — in the words
 * payroll staff use ("le plafond CCSS 9 800 €"), never as a list of differing net amounts.
 * Pure: the caller supplies the set and the periods already generated.
 */
import { formatDate, formatPeriod, formatRate4 } from "../core/format.ts";
import type { Issue } from "../core/issue.ts";
import { isRealDate } from "../core/period.ts";
import type { ParameterSet, StoredParameterValue } from "./parameter-set.ts";
import { type ParameterFile, type Resolution, resolveParameter } from "./parameters.ts";

/** Beyond this factor either way a new value needs `confirm: true` (a ceiling typed ×10, a rate in ‰ for %). */
export const PLAUSIBLE_FACTOR = 2;

const FAMILY_WORDS: Record<string, string> = { ccss: "CCSS", car: "CAR", cmrc: "CMRC", ac: "assurance chômage", agirc: "AGIRC-ARRCO" };

/** "le plafond CCSS", "le taux salarial CAR", else the file's description in quotes. */
export function parameterLabel(id: string, file: ParameterFile | undefined): string {
  const [family = "", name = ""] = id.split(".");
  const who = FAMILY_WORDS[family];
  if (who) {
    const tranche = /^t([ab])_/.exec(name)?.[1]?.toUpperCase();
    const base = tranche ? name.slice(3) : name;
    const where = tranche ? ` tranche ${tranche}` : "";
    if (base === "ceiling") return `le plafond ${who}${where}`;
    if (base === "employee_rate") return `le taux salarial ${who}${where}`;
    if (base === "employer_rate") return `le taux patronal ${who}${where}`;
  }
  if (id === "pmss") return "le PMSS";
  if (id === "smic.hourly") return "le SMIC horaire";
  return file ? `« ${file.description} »` : `le paramètre ${id}`;
}

const DECIMALS: Record<string, number> = { eur: 2, eur_per_hour: 2, percent: 4, hours: 2, days: 2 };

/** 9800 → "9 800 €", 6.85 → "6,85 %", 12.02 → "12,02 €/h". */
export function formatParameterValue(value: number | string, unit: ParameterFile["unit"]): string {
  if (typeof value === "string") return `« ${value} »`;
  // Trailing zeros dropped: "9 800", "21,67", "169".
  const plain = () => formatRate4(Math.round(value * 10_000), 0);
  switch (unit) {
    case "eur":
      return Number.isInteger(value) ? `${plain()} €` : `${formatRate4(Math.round(value * 10_000), 2)} €`;
    case "eur_per_hour":
      return `${formatRate4(Math.round(value * 10_000), 2)} €/h`;
    case "percent":
      return `${formatRate4(Math.round(value * 10_000), 2)} %`;
    case "hours":
      return `${plain()} h`;
    case "days":
      return `${plain()} j`;
    default:
      return String(value);
  }
}

const decimalsOf = (n: number) => {
  const s = String(n);
  if (s.includes("e")) return 99;
  return s.includes(".") ? s.length - s.indexOf(".") - 1 : 0;
};

export interface GeneratedPeriod {
  companyId: string;
  period: string;
  status: string;
}

export interface ChangeContext {
  set: ParameterSet;
  /** The admin confirmed a value far from the previous one. */
  confirm?: boolean;
  /** Every period whose documents exist (generated, mailed, closed), any company. */
  generated: readonly GeneratedPeriod[];
}

/** The known value in force the day before `from` (what the new value follows), if any. */
function previousValue(file: ParameterFile, from: string): { value: number | string; from: string } | undefined {
  let prev: { value: number | string; from: string } | undefined;
  for (const v of file.values) if (v.from < from && v.value !== null) prev = { value: v.value, from: v.from };
  return prev;
}

/** Every problem with `change`, each naming its field in French; empty when it may be stored. */
export function checkParameterChange(change: StoredParameterValue, ctx: ChangeContext): Issue[] {
  const issues: Issue[] = [];
  const add = (code: string, path: string, message: string) => issues.push({ code, path, message: `${path} : ${message}` });
  const file = ctx.set.files.get(change.parameter);
  if (!file) {
    add("PARAM_UNKNOWN", "parameter", `paramètre « ${change.parameter} » inconnu`);
    return issues;
  }
  const label = parameterLabel(file.id, file);
  if (!isRealDate(change.validFrom)) add("INVALID_DATE", "validFrom", `la date ${change.validFrom} n'existe pas`);
  if (!change.reference.href && !change.reference.document)
    add("REFERENCE_INCOMPLETE", "reference", "indiquez le lien (href) ou le document (document) où lire la valeur");
  const v = change.value;
  if (file.unit === "code") {
    const known = new Set(file.values.map((x) => x.value).filter((x) => typeof x === "string"));
    if (typeof v !== "string" || !known.has(v)) add("PARAM_UNIT", "value", `${label} attend l'un des codes ${[...known].map((k) => `« ${k} »`).join(", ")}`);
    return issues;
  }
  if (typeof v !== "number") {
    add("PARAM_UNIT", "value", `${label} attend un nombre (${file.unit === "percent" ? "en %" : file.unit === "eur" ? "en euros" : file.unit}), pas « ${v} »`);
    return issues;
  }
  if (!Number.isFinite(v) || decimalsOf(v) > DECIMALS[file.unit]!)
    add("PARAM_UNIT", "value", `${label} : au plus ${DECIMALS[file.unit]} décimales (${String(v)} reçu)`);
  if (v < 0) add("PARAM_SIGN", "value", `${label} ne peut pas être négatif (${String(v).replace(".", ",")} reçu)`);
  else if (file.unit === "percent" && v > 100) add("PARAM_RANGE", "value", `${label} est un pourcentage : ${String(v).replace(".", ",")} % dépasse 100 %`);
  else if (v === 0 && file.unit !== "percent") add("PARAM_SIGN", "value", `${label} ne peut pas être nul`);
  if (issues.length === 0) {
    const prev = previousValue(file, change.validFrom);
    if (prev && typeof prev.value === "number" && prev.value > 0 && v > 0 && !ctx.confirm) {
      const ratio = v / prev.value;
      if (ratio > PLAUSIBLE_FACTOR || ratio < 1 / PLAUSIBLE_FACTOR)
        add(
          "PARAM_IMPLAUSIBLE",
          "value",
          `${formatParameterValue(v, file.unit)} pour ${label} est ${ratio > 1 ? "plus du double" : "moins de la moitié"} de la valeur précédente (${formatParameterValue(prev.value, file.unit)} depuis le ${formatDate(prev.from)}) ; vérifiez la saisie, ou envoyez « confirm: true » si elle est exacte`,
        );
    }
  }
  const month = change.validFrom.slice(0, 7);
  const hit = ctx.generated.filter((g) => g.period >= month).sort((a, b) => (a.period < b.period ? -1 : 1))[0];
  if (hit)
    add(
      "PARAM_PERIOD_GENERATED",
      "validFrom",
      `le ${formatDate(change.validFrom)} tombe dans une période déjà générée (société ${hit.companyId}, ${formatPeriod(hit.period)}) : ses bulletins ont été produits avec la valeur précédente ; choisissez le premier mois non généré et régularisez`,
    );
  return issues;
}

export interface ParameterDifference {
  parameter: string;
  label: string;
  client: Resolution;
  server: Resolution;
  message: string;
}

const same = (a: Resolution, b: Resolution) =>
  a.kind === "value" && b.kind === "value"
    ? a.resolved.value === b.resolved.value && a.resolved.from === b.resolved.from && a.resolved.source === b.resolved.source && a.stale === b.stale
    : a.kind === b.kind && (a.kind !== "missing" || (b.kind === "missing" && a.from === b.from && a.atLeast === b.atLeast));

function words(r: Resolution, unit: ParameterFile["unit"], withSource: boolean): string {
  if (r.kind !== "value") return r.kind === "missing" && r.atLeast !== undefined ? `au moins ${formatParameterValue(r.atLeast, unit)}` : "aucune valeur";
  return `${formatParameterValue(r.resolved.value, unit)}${withSource ? ` (${r.resolved.source})` : ""}`;
}

/**
 * The parameters in force on `date` (a period's last day) that `client` and `server` resolve differently, each with
 * its French sentence: "le classeur a calculé avec le plafond CCSS 9 800 € ; le serveur applique 9 900 € depuis le
 * 01/10/2026 — actualisez les paramètres puis recalculez".
 */
export function parameterDifferences(date: string, client: ParameterSet, server: ParameterSet): ParameterDifference[] {
  const out: ParameterDifference[] = [];
  const ids = new Set([...client.files.keys(), ...server.files.keys()]);
  for (const id of [...ids].sort()) {
    const c = resolveParameter(id, date, [], client.files);
    const s = resolveParameter(id, date, [], server.files);
    if (same(c, s)) continue;
    const file = server.files.get(id) ?? client.files.get(id);
    const unit = file?.unit ?? "code";
    const label = parameterLabel(id, file);
    const sameValue = c.kind === "value" && s.kind === "value" && c.resolved.value === s.resolved.value;
    const since = s.kind === "value" ? ` depuis le ${formatDate(s.resolved.from)}` : "";
    const message = `le classeur a calculé avec ${label} ${words(c, unit, sameValue)} ; le serveur applique ${words(s, unit, sameValue)}${since} — actualisez les paramètres puis recalculez`;
    out.push({ parameter: id, label, client: c, server: s, message });
  }
  return out;
}
