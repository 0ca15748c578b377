/**
 * The rubric catalogue (the firm's codes) and the statutory contribution codes, as data with their base flags.
 * Input lines may use a catalogue code or a known alias (the numbering of a Cegid dossier); the engine keeps the
 * catalogue code as the rubric and prints the company's own code when it has one.
 */

import contributionData from "./contributions.json" with { type: "json" };
import rubricData from "./rubrics.json" with { type: "json" };

export type Section = "gross" | "net-addition" | "after-net";
export type Entry = "auto" | "amount" | "quantity-rate";

export interface Rubric {
  code: string;
  label: string;
  section: Section;
  /** Subject to CCSS, CAR, CMRC and unemployment ("Cotisable MC"). */
  monaco: boolean;
  /** Subject to the other contributions ("Cotisable autres cot."). */
  other: boolean;
  /** Counted in the 1/10 paid-leave base ("Base CP"). */
  paidLeaveBase: boolean;
  /** Counted in taxable net ("Imposable"). */
  taxable: boolean;
  entry: Entry;
  kind?: string;
  aliases: { code: string; source: string }[];
  notes?: string;
}

export interface ContributionCode {
  code: string;
  label: string;
  organism: string;
  organismCode: string;
  family: string;
}

type RawRubric = Omit<Rubric, "monaco" | "other" | "paidLeaveBase" | "taxable" | "aliases" | "section" | "entry"> & {
  monaco: number;
  other: number;
  paidLeaveBase: number;
  taxable: number;
  section: string;
  entry: string;
  aliases?: { code: string; source: string }[];
};

export const RUBRICS: readonly Rubric[] = (rubricData.rubrics as RawRubric[]).map((r) => ({
  ...r,
  section: r.section as Section,
  entry: r.entry as Entry,
  monaco: r.monaco === 1,
  other: r.other === 1,
  paidLeaveBase: r.paidLeaveBase === 1,
  taxable: r.taxable === 1,
  aliases: r.aliases ?? [],
}));

const byCode = new Map<string, Rubric>();
const byKind = new Map<string, Rubric>();
for (const r of RUBRICS) {
  byCode.set(r.code, r);
  if (r.kind) byKind.set(r.kind, r);
}
for (const r of RUBRICS) for (const a of r.aliases) if (!byCode.has(a.code)) byCode.set(a.code, r);

/** A rubric by catalogue code or alias. */
export function findRubric(code: string): Rubric | undefined {
  return byCode.get(code);
}

/** The rubric the engine uses for a computed line (salary, seniority, absences…). */
export function rubricOfKind(kind: string): Rubric {
  const r = byKind.get(kind);
  if (!r) throw new Error(`catalogue: no rubric of kind ${kind}`);
  return r;
}

export const CONTRIBUTION_CODES: readonly ContributionCode[] = contributionData.contributions;
const contributionByCode = new Map(CONTRIBUTION_CODES.map((c) => [c.code, c]));
export function contributionCode(code: string): ContributionCode {
  const c = contributionByCode.get(code);
  if (!c) throw new Error(`catalogue: unknown contribution code ${code}`);
  return c;
}
