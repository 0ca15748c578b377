/**
 * Contribution lines: CAR, CCSS (employer only; directors on a flat base equal to the CCSS ceiling), unemployment
 * insurance TA/TB (none for directors), CMRC TA/TB from 2024 or AGIRC-ARRCO before, and the company's contracts.
 * Each line is base × rate rounded half-up to the cent, per side. A progressive ceiling that changes a base
 * produces an explicit regularisation line.
 */
import { contributionCode } from "../catalogue/catalogue.ts";
import { eur, pct } from "../core/explain.ts";
import { applyPercent, divRound, prorate, toCents, toRate4 } from "../core/fixed.ts";
import type { ContributionLine } from "../core/result.ts";
import { FAMILIES, type FamilyId } from "../rates/parameters.ts";
import type { ParameterReader, Rates } from "../rates/reader.ts";
import type { PayslipInput } from "../schema/payslip-input.ts";
import { windowStart } from "./calendar.ts";
import { type CeilingCarryCents, splitTranches } from "./ceilings.ts";
import type { EmploymentFraction } from "./gross.ts";
import { sortSmall } from "./lines.ts";

export interface ContributionContext {
  input: PayslipInput;
  params: ParameterReader;
  fraction: EmploymentFraction;
  monacoBase: number;
  otherBase: number;
  carry: Partial<Record<FamilyId, CeilingCarryCents>>;
  error: (code: string, path: string, message: string) => void;
}

export interface ContributionOutcome {
  lines: ContributionLine[];
  carry: Partial<Record<FamilyId, CeilingCarryCents>>;
  bases: { ccss: number; car: number; cmrcTA: number; cmrcTB: number; acTA: number; acTB: number };
}

function makeLine(
  code: string,
  base: number,
  rates: Pick<Rates, "employee" | "employer">,
  explanation: string,
  options: { label?: string; regularisation?: boolean; organism?: string; family?: string } = {},
): ContributionLine {
  // A company contract names itself; a statutory line takes its words from the contribution catalogue.
  const known = options.family === undefined || options.organism === undefined || options.label === undefined ? contributionCode(code) : undefined;
  const line: ContributionLine = {
    code,
    label: options.label ?? known!.label,
    organism: options.organism ?? known!.organism,
    family: options.family ?? known!.family,
    base,
    explanation,
  };
  if (rates.employee !== undefined) {
    line.employeeRate = rates.employee;
    line.employeeAmount = applyPercent(base, rates.employee);
  }
  if (rates.employer !== undefined) {
    line.employerRate = rates.employer;
    line.employerAmount = applyPercent(base, rates.employer);
  }
  if (options.regularisation) line.regularisation = true;
  return line;
}

const byCodeThenRegularisation = (a: ContributionLine, b: ContributionLine) =>
  a.code < b.code ? -1 : a.code > b.code ? 1 : a.regularisation === b.regularisation ? 0 : a.regularisation ? 1 : -1;

export function buildContributions(ctx: ContributionContext): ContributionOutcome {
  const { input, params, fraction } = ctx;
  const e = input.employee;
  const director = e.director === true;
  const aff = { ac: e.affiliations?.ac ?? !director, car: e.affiliations?.car ?? true, rc: e.affiliations?.rc ?? true };
  const lines: ContributionLine[] = [];
  const carry: Partial<Record<FamilyId, CeilingCarryCents>> = {};
  const bases = { ccss: 0, car: 0, cmrcTA: 0, cmrcTB: 0, acTA: 0, acTB: 0 };
  const partial = fraction.num < fraction.den;
  const prorated = (euros: number) => (partial ? prorate(toCents(euros), fraction.num, fraction.den) : toCents(euros));
  const prorataText = partial ? ` proratisé ${fraction.num}/${fraction.den}` : "";
  const modeOf = (f: FamilyId) => input.company.regularisation?.[f] ?? FAMILIES[f].defaultMode;

  /** Splits a family's base and emits its lines (plus regularisation lines where the running ceiling changes a base). */
  const family = (f: FamilyId, base: number, ceilingId: string, codes: [string, string?], rates: [Rates | undefined, Rates | undefined], baseText: string) => {
    const rule = FAMILIES[f];
    const bound = params.bounded(ceilingId);
    const ceilingEuros = bound.value;
    const monthlyCeiling = ceilingEuros !== undefined ? prorated(ceilingEuros) : undefined;
    const lower = bound.atLeast !== undefined ? prorated(bound.atLeast) : undefined;
    const mode = modeOf(f);
    const ws = windowStart(input.period, rule.windowStartMonth);
    const split = splitTranches({ base, ceiling: monthlyCeiling, atLeast: lower, tbMultiple: rule.tbMultiple, mode, windowStart: ws, carry: ctx.carry[f] });
    if (monthlyCeiling === undefined && lower === undefined) return split; // missing parameter already reported
    if (split.undetermined) {
      ctx.error(
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
    // A whole month's ceiling reads the same for every employee: cited once per period.
    let ceilingText = partial ? undefined : params.periodText(ceilingId);
    if (ceilingText === undefined) {
      ceilingText =
        monthlyCeiling !== undefined
          ? `plafond ${eur(monthlyCeiling)}${prorataText} (${bound.ref} : ${params.source(ceilingId)})`
          : `plafond inconnu, au moins ${eur(lower!)}`;
      if (!partial) params.keepPeriodText(ceilingId, ceilingText);
    }
    const tranche = (i: 0 | 1) => {
      const code = codes[i];
      const r = rates[i];
      if (!code || !r) return;
      const monthly = i === 0 ? split.monthlyTa : split.monthlyTb;
      const retained = i === 0 ? split.ta : split.tb;
      if (monthly !== 0 || (retained === monthly && i === 0 && base > 0)) {
        // Worded only for a line that is printed (most pay stays under the ceiling: no TB line).
        const explanation =
          i === 0
            ? `${baseText} ${eur(base)} limité au ${ceilingText} ; ${r.text}`
            : `${baseText} ${eur(base)} entre le plafond et ${rule.tbMultiple} fois le plafond ; ${r.text}`;
        lines.push(makeLine(code, monthly, r, explanation));
      }
      if (retained !== monthly) {
        const diff = retained - monthly;
        lines.push(
          makeLine(
            code,
            diff,
            r,
            `Régularisation progressive du plafond ${f} depuis le ${ws.slice(8, 10)}/${ws.slice(5, 7)}/${ws.slice(0, 4)} : base cumulée ${eur(split.carry.base)}, plafond cumulé ${eur(split.carry.ceiling)} ; base retenue ce mois ${eur(retained)} au lieu de ${eur(monthly)}`,
            { label: `Régul. ${contributionCode(code).label}`, regularisation: true },
          ),
        );
      }
    };
    tranche(0);
    tranche(1);
    return split;
  };

  // CAR
  if (aff.car) {
    const r = params.rates("car.employee_rate", "car.employer_rate");
    const s = family("CAR", ctx.monacoBase, "car.ceiling", ["1901"], [r, undefined], "Salaire soumis");
    carry.CAR = s.carry;
    bases.car = s.ta;
  }

  // CCSS: employer only; household employers may use 33 % of gross; directors pay on the ceiling itself.
  const household = input.company.employerKind === "household";
  const ccssRate = params.rates(undefined, household ? "ccss.household_rate" : "ccss.employer_rate");
  if (director) {
    const ceiling = params.get("ccss.ceiling");
    if (ceiling !== undefined && ccssRate) {
      const base = prorated(ceiling);
      bases.ccss = base;
      lines.push(
        makeLine(
          "9311",
          base,
          ccssRate,
          `Administrateur salarié : assiette forfaitaire égale au plafond CCSS ${eur(base)}${prorataText}${partial ? " (proratisation non confirmée par la CSM)" : ""}, quel que soit le salaire ; ${ccssRate.text}`,
        ),
      );
    }
  } else {
    const reduced = household && input.company.householdReducedBase === true;
    const base = reduced ? divRound(ctx.monacoBase * 33, 100) : ctx.monacoBase;
    const s = family("CCSS", base, "ccss.ceiling", ["9301"], [ccssRate, undefined], reduced ? "33 % du salaire soumis (gens de maison)" : "Salaire soumis");
    carry.CCSS = s.carry;
    bases.ccss = s.ta;
  }

  // Unemployment insurance: TA up to the PMSS, TB up to 4 PMSS; directors are not affiliated.
  if (aff.ac && !director) {
    const r = params.rates("ac.employee_rate", "ac.employer_rate");
    const s = family("AC", ctx.monacoBase, "pmss", ["7001", "7121"], [r, r], "Salaire soumis");
    carry.AC = s.carry;
    bases.acTA = s.ta;
    bases.acTB = s.tb;
  }

  const regime = params.getText("pension.regime");
  if (aff.rc && regime === "cmrc") {
    // The CMRC base is taken as the Monaco base (the DSM carries one salary per employee) — monaco-rules §1.9.
    const ta = params.rates("cmrc.ta_employee_rate", "cmrc.ta_employer_rate");
    const tb = params.rates("cmrc.tb_employee_rate", "cmrc.tb_employer_rate");
    const s = family("CMRC", ctx.monacoBase, "cmrc.ta_ceiling", ["1911", "1913"], [ta, tb], "Salaire soumis");
    carry.CMRC = s.carry;
    bases.cmrcTA = s.ta;
    bases.cmrcTB = s.tb;
  } else if (aff.rc && regime === "agirc-arrco") {
    const cadre = e.category === "cadre";
    const rcu1 = params.rates("agirc.rcu_t1_employee_rate", "agirc.rcu_t1_employer_rate");
    const rcu2 = params.rates("agirc.rcu_t2_employee_rate", "agirc.rcu_t2_employer_rate");
    const s = family("RC", ctx.otherBase, "pmss", cadre ? ["74Q0", "74Q6"] : ["74N0", "74N6"], [rcu1, rcu2], "Salaire soumis (retraite complémentaire)");
    carry.RC = s.carry;
    const ceg1 = params.rates("agirc.ceg_t1_employee_rate", "agirc.ceg_t1_employer_rate");
    const ceg2 = params.rates("agirc.ceg_t2_employee_rate", "agirc.ceg_t2_employer_rate");
    const t1 = s.ta;
    const t2 = s.tb;
    const cegCodes = cadre ? ["74A4", "74A6"] : ["74A0", "74A2"];
    if (ceg1 && t1 !== 0) lines.push(makeLine(cegCodes[0]!, t1, ceg1, `Tranche 1 de la retraite complémentaire ${eur(t1)} ; ${ceg1.text}`));
    if (ceg2 && t2 !== 0) lines.push(makeLine(cegCodes[1]!, t2, ceg2, `Tranche 2 de la retraite complémentaire ${eur(t2)} ; ${ceg2.text}`));
    // CET only when pay exceeds one PMSS (monaco-rules §1.4).
    const pmss = params.get("pmss");
    if (pmss !== undefined && ctx.otherBase > prorated(pmss)) {
      const cet = params.rates("agirc.cet_employee_rate", "agirc.cet_employer_rate");
      if (cet) lines.push(makeLine(cadre ? "7424" : "7422", t1 + t2, cet, `Salaire supérieur au PMSS : CET sur T1 + T2 ${eur(t1 + t2)} ; ${cet.text}`));
    }
    if (cadre && pmss !== undefined) {
      const apec = params.rates("agirc.apec_employee_rate", "agirc.apec_employer_rate");
      const base = Math.max(0, Math.min(ctx.otherBase, 4 * prorated(pmss)));
      if (apec && base) lines.push(makeLine("79B6", base, apec, `Cadre : salaire limité à 4 PMSS ${eur(base)} ; ${apec.text}`));
    }
  }

  // Company contracts (prévoyance, mutuelle), per category.
  for (const c of input.company.contracts ?? []) {
    if (c.appliesTo !== "all" && c.appliesTo !== e.category) continue;
    let base: number | undefined;
    let text = "";
    switch (c.base.kind) {
      case "gross":
        base = ctx.otherBase;
        text = `salaire brut ${eur(base)}`;
        break;
      case "ta": {
        const pmss = params.get("pmss");
        if (pmss !== undefined) {
          base = Math.max(0, Math.min(ctx.otherBase, prorated(pmss)));
          text = `salaire limité au PMSS${prorataText} ${eur(base)}`;
        }
        break;
      }
      case "ccss-capped": {
        const ceiling = params.get("ccss.ceiling");
        if (ceiling !== undefined) {
          base = Math.max(0, Math.min(ctx.otherBase, prorated(ceiling)));
          text = `salaire limité au plafond CCSS${prorataText} ${eur(base)}`;
        }
        break;
      }
      case "pmss-percent": {
        const pmss = params.get("pmss");
        if (pmss !== undefined) {
          base = applyPercent(toCents(pmss), toRate4(c.base.percent));
          text = `forfait ${pct(toRate4(c.base.percent))} du PMSS ${eur(toCents(pmss))}`;
        }
        break;
      }
      case "flat":
        base = toCents(c.base.amount);
        text = `base forfaitaire ${eur(base)}`;
        break;
    }
    if (base === undefined) continue;
    const rates: { employee?: number; employer?: number } = {};
    if (c.employeeRate !== undefined) rates.employee = toRate4(c.employeeRate);
    if (c.employerRate !== undefined) rates.employer = toRate4(c.employerRate);
    const parts = [
      rates.employee !== undefined ? `salarié ${pct(rates.employee)}` : "",
      rates.employer !== undefined ? `employeur ${pct(rates.employer)}` : "",
    ].filter(Boolean);
    lines.push(
      makeLine(c.code, base, rates, `Contrat de l'entreprise : ${text} ; ${parts.join(" ; ")}`, {
        label: c.label,
        organism: c.organism ?? "PREVOYANCE",
        family: "CONTRACT",
      }),
    );
  }

  sortSmall(lines, byCodeThenRegularisation);
  return { lines, carry, bases };
}
