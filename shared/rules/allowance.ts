/**
 * The 5 % Monaco allowance (indemnité monégasque), monaco_allowance.rate × the month's gross without the
 * exceptional bonus (2023): on pay above the minimum it is contributory salary (9993); on minimum wages it stays
 * outside every base and is added to net and to taxable net (R2019 9995).
 */
import { eur, pct } from "../core/explain.ts";
import { applyPercent, toRate4 } from "../core/fixed.ts";
import type { PayLine } from "../core/result.ts";
import type { ParameterReader } from "../rates/reader.ts";
import { type CodeMap, kindLine } from "./lines.ts";

/** The exceptional bonus, the one line of gross the allowance leaves out. */
const EXCEPTIONAL_BONUS = "2023";

/** The gross the allowance applies to: every line but the exceptional bonus. */
export function allowanceBase(lines: readonly PayLine[]): number {
  let total = 0;
  for (const l of lines) if (l.rubric !== EXCEPTIONAL_BONUS) total += l.amount;
  return total;
}

const WHY = {
  "allowance-contributory": "rémunération au-dessus des minima : soumise à cotisations",
  "allowance-minimum": "versée sur les minima : non soumise à cotisations, imposable",
} as const;

/** The allowance's line on `lines`, or undefined (error recorded) when the rate is missing. */
export function monacoAllowance(params: ParameterReader, codes: CodeMap, kind: keyof typeof WHY, lines: readonly PayLine[]): PayLine | undefined {
  const rate = params.get("monaco_allowance.rate");
  if (rate === undefined) return undefined;
  const base = allowanceBase(lines);
  const r = toRate4(rate);
  return kindLine(kind, codes, applyPercent(base, r), `${pct(r)} × ${eur(base)} (brut hors prime exceptionnelle) ; ${WHY[kind]}`, {
    quantity: base,
    rate: r,
    rateKind: "percent",
  });
}
