/**
 * A ceiling family (CAR, CCSS, AC, CMRC, RC): its base split into tranches under the ceiling in force on the
 * period's last day (prorated on a partial month), monthly or progressively over the family's window, one line per
 * tranche and a regularisation line wherever the running ceiling changes a base.
 */
import { contributionCode } from "../../catalogue/catalogue.ts";
import { eur } from "../../core/explain.ts";
import { FAMILIES, type FamilyId, type FamilyRule } from "../../rates/parameters.ts";
import type { Bounded, Rates } from "../../rates/reader.ts";
import { windowStart } from "../calendar.ts";
import { splitTranches, type TrancheResult } from "../ceilings.ts";
import { type ContributionEnv, prorated } from "./context.ts";
import { contributionLine } from "./line.ts";

export interface FamilyRequest {
  family: FamilyId;
  base: number;
  ceilingId: string;
  /** The TA line's code, and the TB line's when the family has one. */
  codes: readonly [string, string?];
  rates: readonly [Rates | undefined, Rates | undefined];
  baseText: string;
}

/** "plafond 3 947,00 € (pmss du 01/01/2025 : source)", worded once per period for a whole month. */
function ceilingWords(env: ContributionEnv, ceilingId: string, bound: Bounded, monthlyCeiling: number | undefined, lower: number | undefined): string {
  const { params, partial } = env;
  // A whole month's ceiling reads the same for every employee: cited once per period.
  let text = partial ? undefined : params.periodText(ceilingId);
  if (text === undefined) {
    text =
      monthlyCeiling !== undefined
        ? `plafond ${eur(monthlyCeiling)}${env.prorataText} (${bound.ref} : ${params.source(ceilingId)})`
        : `plafond inconnu, au moins ${eur(lower!)}`;
    if (!partial) params.keepPeriodText(ceilingId, text);
  }
  return text;
}

/** The line of one tranche (TA: i = 0, TB: i = 1) and its regularisation line, when there is something to print. */
function trancheLines(env: ContributionEnv, req: FamilyRequest, rule: FamilyRule, split: TrancheResult, ws: string, ceilingText: string, i: 0 | 1): void {
  const code = req.codes[i];
  const r = req.rates[i];
  if (!code || !r) return;
  const { base, baseText } = req;
  const monthly = i === 0 ? split.monthlyTa : split.monthlyTb;
  const retained = i === 0 ? split.ta : split.tb;
  if (monthly !== 0 || (retained === monthly && i === 0 && base > 0)) {
    // Worded only for a line that is printed (most pay stays under the ceiling: no TB line).
    const explanation =
      i === 0
        ? `${baseText} ${eur(base)} limité au ${ceilingText} ; ${r.text}`
        : `${baseText} ${eur(base)} entre le plafond et ${rule.tbMultiple} fois le plafond ; ${r.text}`;
    env.lines.push(contributionLine(code, monthly, r, explanation));
  }
  if (retained !== monthly) {
    env.lines.push(
      contributionLine(
        code,
        retained - monthly,
        r,
        `Régularisation progressive du plafond ${req.family} depuis le ${ws.slice(8, 10)}/${ws.slice(5, 7)}/${ws.slice(0, 4)} : base cumulée ${eur(split.carry.base)}, plafond cumulé ${eur(split.carry.ceiling)} ; base retenue ce mois ${eur(retained)} au lieu de ${eur(monthly)}`,
        { label: `Régul. ${contributionCode(code).label}`, regularisation: true },
      ),
    );
  }
}

/** Splits a family's base and emits its lines; a missing or undecidable ceiling is reported, not guessed. */
export function familyLines(env: ContributionEnv, req: FamilyRequest): TrancheResult {
  const { params, input } = env;
  const { family: f, base, ceilingId } = req;
  const rule = FAMILIES[f];
  const bound = params.bounded(ceilingId);
  const monthlyCeiling = bound.value !== undefined ? prorated(env, bound.value) : undefined;
  const lower = bound.atLeast !== undefined ? prorated(env, bound.atLeast) : undefined;
  const mode = input.company.regularisation?.[f] ?? rule.defaultMode;
  const ws = windowStart(input.period, rule.windowStartMonth);
  const split = splitTranches({ base, ceiling: monthlyCeiling, atLeast: lower, tbMultiple: rule.tbMultiple, mode, windowStart: ws, carry: env.carry[f] });
  if (monthlyCeiling === undefined && lower === undefined) return split; // missing parameter already reported
  if (split.undetermined) {
    env.error(
      "PARAM_MISSING",
      ceilingId,
      `${ceilingId} : plafond inconnu pour cette période et la base (${eur(base)}) peut le dépasser ; saisissez le plafond avec sa source`,
    );
    return split;
  }
  if (monthlyCeiling === undefined) {
    params.warnings.push({
      code: "PARAM_BOUND_ONLY",
      path: ceilingId,
      message: `${ceilingId} : plafond inconnu pour cette période, sans effet car la base reste sous ${eur(lower!)} (plafond connu précédent ; les plafonds n'ont jamais baissé)`,
    });
  }
  const ceilingText = ceilingWords(env, ceilingId, bound, monthlyCeiling, lower);
  trancheLines(env, req, rule, split, ws, ceilingText, 0);
  trancheLines(env, req, rule, split, ws, ceilingText, 1);
  return split;
}
