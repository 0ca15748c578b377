/**
 * Recalls (rappels de salaire): earnings of a past period paid with this month's pay. Each becomes one gross line
 * « Rappel de salaire de juillet 2025 » under the recalled rubric, so it takes that rubric's flags (bases, taxable
 * net, paid-leave base) and is counted in gross, net and the carried cumuls like any line of the month.
 *
 * The contributions on a recall are those of the month it is paid in: its bases, rates and running ceilings
 * (RECALL_RULE). No contribution is recomputed for the past period — that is the reopen flow, not this one.
 */
import { findRubric } from "../catalogue/catalogue.ts";
import { toCents } from "../core/fixed.ts";
import { formatPeriod } from "../core/format.ts";
import type { PayLine } from "../core/result.ts";
import type { RecallInput } from "../schema/payslip-input.ts";
import { type CodeMap, makeLine } from "./lines.ts";

/**
 * Which month's bases, rates and ceilings a recall is contributed with. French rule for a recall paid at the
 * employer's initiative while the contract runs: those in force when it is paid, the recall merging with the pay it
 * comes with (CSS art. R. 242-2; Cass. soc., 11 oct. 1990, n° 88-12.352; Liaisons sociales « La paye au quotidien »
 * 130-40). Since 2018 France attaches the correction of an error on a rectified payslip to its own period instead
 * (circulaire DSS 19 déc. 2017): that case is the reopen flow. No Monegasque text found: applied to the CSM, CAR,
 * CMRC and unemployment by analogy — à confirmer with the firm and the Caisses sociales.
 */
export const RECALL_RULE = {
  attachment: "payment-month",
  source: "CSS (France) art. R. 242-2 ; Cass. soc. 11/10/1990 n° 88-12.352 ; Monaco : par analogie",
  status: "à confirmer",
} as const;

/** « de juillet 2025 », « d'août 2025 », « d'octobre 2025 »: elision before a vowel. */
export function ofPeriod(period: string): string {
  const month = formatPeriod(period);
  return /^[aeiouéèêh]/i.test(month) ? `d'${month}` : `de ${month}`;
}

export function recallLabel(period: string): string {
  return `Rappel de salaire ${ofPeriod(period)}`;
}

/** One gross line per recall, in the order entered; the amount may be negative (a regularisation). */
export function recallLines(codes: CodeMap, recalls: readonly RecallInput[]): PayLine[] {
  const out: PayLine[] = [];
  for (const recall of recalls) {
    // The schema admits only catalogue codes of RecallRubric.
    const rubric = findRubric(recall.rubric)!;
    const reason = recall.label ? ` (${recall.label})` : "";
    const how = `cotisé sur les bases, taux et plafonds du mois de versement (${RECALL_RULE.source} — ${RECALL_RULE.status})`;
    const explanation = `Rappel ${rubric.code} ${rubric.label} ${ofPeriod(recall.period)}${reason} ; ${how}`;
    out.push(makeLine(rubric, codes, toCents(recall.amount), explanation, { label: recallLabel(recall.period) }));
  }
  return out;
}
