/**
 * Reads the free-text "Remarques" column. Unlike the original parser (original-system.md §1.4) it collects every
 * category present instead of stopping at the first, keeps the month of "entrée le 15/03", reads both ends of
 * "du 3 au 10", does not take "nouveau salaire" for a hire, and recognises unpaid leave and sickness.
 * Findings are only ever turned into cases to confirm: nothing is changed from a remark.
 */
import { daysInMonthOf, isoDate, periodBounds } from "../../shared/core/period.ts";

export type RemarkKind = "entry" | "exit" | "salary-change" | "bonus" | "range" | "unpaid-leave" | "sick" | "prorata";

export interface RemarkFinding {
  kind: RemarkKind;
  /** ISO dates found for the finding (entry/exit day, or start and end of a range). */
  dates: string[];
  /** The words that triggered it, to show the user. */
  excerpt: string;
}

const DATE = String.raw`(\d{1,2})(?:[/.-](\d{1,2})(?:[/.-](\d{2,4}))?)?`;

function flat(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/\s+/g, " ");
}

function toIso(period: string, d?: string, m?: string, y?: string): string | undefined {
  if (!d) return undefined;
  const [py, pm] = period.split("-").map(Number) as [number, number];
  const month = m ? Number(m) : pm;
  let year = y ? Number(y) : py;
  if (y && y.length === 2) year = 2000 + year;
  // A remark written in January about "le 20/12" refers to the previous year.
  if (!y && m && month - pm > 6) year -= 1;
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1) return undefined;
  const last = daysInMonthOf(year, month);
  if (day > last) return undefined;
  return isoDate(year, month, day);
}

const RULES: { kind: RemarkKind; re: RegExp; dated?: boolean }[] = [
  { kind: "entry", re: new RegExp(String.raw`\b(?:entree|debut|arrivee|embauche)(?: le| au)? ${DATE}`), dated: true },
  { kind: "entry", re: /\b(embauche|arrivee|nouvel(?:le)? (?:salarie|embauche|recrue)|entree)\b/ },
  { kind: "exit", re: new RegExp(String.raw`\b(?:sortie|depart|fin(?: de contrat)?|quitte)(?: le| au)? ${DATE}`), dated: true },
  { kind: "exit", re: /\b(sortie|depart|demission|licenciement|rupture|fin de contrat|retraite)\b/ },
  { kind: "salary-change", re: /\b(augmentation|nouveau salaire|modification (?:du )?salaire|revalorisation|hausse de salaire)\b/ },
  { kind: "bonus", re: /\b(primes?|bonus|gratification|13 ?(?:e|eme)? ?mois|treizieme mois|14 ?(?:e|eme)? ?mois)\b/ },
  { kind: "range", re: new RegExp(String.raw`\bdu ${DATE} au ${DATE}`), dated: true },
  { kind: "unpaid-leave", re: /\b(conges? sans solde|absence non remuneree|absence non payee)\b/ },
  { kind: "sick", re: /\b(arret maladie|maladie|arret de travail|accident du travail)\b/ },
  { kind: "prorata", re: /\b(prorata|pro rata)\b/ },
];

export function parseRemarks(text: string, period: string): RemarkFinding[] {
  const t = flat(text);
  if (t.trim() === "") return [];
  const found: RemarkFinding[] = [];
  for (const rule of RULES) {
    // A dated finding of a kind supersedes the undated pattern of the same kind.
    if (!rule.dated && found.some((f) => f.kind === rule.kind)) continue;
    const m = rule.re.exec(t);
    if (!m) continue;
    let dates: string[] = [];
    if (rule.dated) {
      if (rule.kind === "range") {
        dates = [toIso(period, m[1], m[2], m[3]), toIso(period, m[4], m[5], m[6])].filter((d): d is string => d !== undefined);
      } else {
        const d = toIso(period, m[1], m[2], m[3]);
        if (d) dates = [d];
      }
    }
    found.push({ kind: rule.kind, dates, excerpt: m[0].trim() });
  }
  return found;
}

/** True when a remark's date falls inside the period (used to word the case, never to change data). */
export function inPeriod(iso: string, period: string): boolean {
  const { start, end } = periodBounds(period);
  return iso >= start && iso <= end;
}
