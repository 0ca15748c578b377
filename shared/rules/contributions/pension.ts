/**
 * Supplementary pension: the CMRC (from 2024, TA/TB) or, before it, AGIRC-ARRCO (RCU T1/T2, CEG, CET above the
 * PMSS, APEC for cadres); parameter pension.regime says which one the period's last day is under.
 */
import { eur } from "../../core/explain.ts";
import { periodEnd } from "../../core/period.ts";
import type { TrancheResult } from "../ceilings.ts";
import { cmrcTrancheARates } from "../company-settings.ts";
import { type ContributionEnv, capped, prorated } from "./context.ts";
import { familyLines } from "./family.ts";
import { contributionLine } from "./line.ts";

/** The CMRC base is taken as the Monaco base (the DSM carries one salary per employee) — monaco-rules §1.9. */
export function cmrcContributions(env: ContributionEnv): TrancheResult {
  const { params } = env;
  const legalTa = params.rates("cmrc.ta_employee_rate", "cmrc.ta_employer_rate");
  // A company's higher TA rate replaces the legal one from its date (shared/rules/company-settings.ts).
  const ta = env.input.company.cmrcTrancheARate
    ? cmrcTrancheARates(env.input.company, periodEnd(env.input.period), legalTa, (id) => params.source(id))
    : legalTa;
  const tb = params.rates("cmrc.tb_employee_rate", "cmrc.tb_employer_rate");
  return familyLines(env, {
    family: "CMRC",
    base: env.monacoBase,
    ceilingId: "cmrc.ta_ceiling",
    codes: ["1911", "1913"],
    rates: [ta, tb],
    baseText: "Salaire soumis",
  });
}

/** CEG on T1 and T2, then CET on T1 + T2 when pay exceeds one PMSS (monaco-rules §1.4). Returns the PMSS read. */
function cegAndCet(env: ContributionEnv, cadre: boolean, t1: number, t2: number): number | undefined {
  const { params, lines } = env;
  const ceg1 = params.rates("agirc.ceg_t1_employee_rate", "agirc.ceg_t1_employer_rate");
  const ceg2 = params.rates("agirc.ceg_t2_employee_rate", "agirc.ceg_t2_employer_rate");
  const cegCodes = cadre ? ["74A4", "74A6"] : ["74A0", "74A2"];
  if (ceg1 && t1 !== 0) lines.push(contributionLine(cegCodes[0]!, t1, ceg1, `Tranche 1 de la retraite complémentaire ${eur(t1)} ; ${ceg1.text}`));
  if (ceg2 && t2 !== 0) lines.push(contributionLine(cegCodes[1]!, t2, ceg2, `Tranche 2 de la retraite complémentaire ${eur(t2)} ; ${ceg2.text}`));
  // Read after the CEG rates: the order of first use is the order of a result's parameters and errors.
  const pmss = params.get("pmss");
  if (pmss !== undefined && env.otherBase > prorated(env, pmss)) {
    const cet = params.rates("agirc.cet_employee_rate", "agirc.cet_employer_rate");
    if (cet) lines.push(contributionLine(cadre ? "7424" : "7422", t1 + t2, cet, `Salaire supérieur au PMSS : CET sur T1 + T2 ${eur(t1 + t2)} ; ${cet.text}`));
  }
  return pmss;
}

/** APEC, cadres only: on pay up to 4 PMSS. */
function apec(env: ContributionEnv, pmss: number): void {
  const rates = env.params.rates("agirc.apec_employee_rate", "agirc.apec_employer_rate");
  const base = capped(env, env.otherBase, pmss, 4);
  if (rates && base) env.lines.push(contributionLine("79B6", base, rates, `Cadre : salaire limité à 4 PMSS ${eur(base)} ; ${rates.text}`));
}

export function agircArrcoContributions(env: ContributionEnv): TrancheResult {
  const { params } = env;
  const cadre = env.input.employee.category === "cadre";
  const rcu1 = params.rates("agirc.rcu_t1_employee_rate", "agirc.rcu_t1_employer_rate");
  const rcu2 = params.rates("agirc.rcu_t2_employee_rate", "agirc.rcu_t2_employer_rate");
  const split = familyLines(env, {
    family: "RC",
    base: env.otherBase,
    ceilingId: "pmss",
    codes: cadre ? ["74Q0", "74Q6"] : ["74N0", "74N6"],
    rates: [rcu1, rcu2],
    baseText: "Salaire soumis (retraite complémentaire)",
  });
  const pmss = cegAndCet(env, cadre, split.ta, split.tb);
  if (cadre && pmss !== undefined) apec(env, pmss);
  return split;
}
