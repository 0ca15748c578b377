/**
 * The earnings part of the payslip: salary (prorated on entry/exit), seniority bonus, overtime, holidays,
 * Sundays, absences valued with the seniority bonus, the employer's complements, paid leave, benefits in kind,
 * entered rubrics and exit indemnities. Hourly rates carry 4 decimals, as on the reference payslips.
 */
import { findRubric } from "../catalogue/catalogue.ts";
import { date, eur, pct, qty, rate4 } from "../core/explain.ts";
import {
  applyPercent,
  applyUnitPrice,
  type Cents,
  divRound,
  type Hundredths,
  prorate,
  type Rate4,
  toCents,
  toHundredths,
  toRate4,
  unitPrice,
} from "../core/fixed.ts";
import { formatNumber } from "../core/format.ts";
import { addDays, daysBetweenInclusive, periodBounds } from "../core/period.ts";
import type { PayLine } from "../core/result.ts";
import type { ParameterReader } from "../rates/reader.ts";
import type { PayslipInput } from "../schema/payslip-input.ts";
import { workingDays } from "./calendar.ts";
import { type CodeMap, kindLine, makeLine } from "./lines.ts";
import { type LeaveState, takeDays, tenthOf } from "./paid-leave.ts";

export interface EmploymentFraction {
  num: number;
  den: number;
  from: string;
  to: string;
  /** Units before the hire date and after the exit date (days of the chosen method). */
  beforeHire: number;
  afterExit: number;
}

export function employmentFraction(input: PayslipInput): EmploymentFraction {
  const { start, end } = periodBounds(input.period);
  const hire = input.employee.hireDate;
  const exit = input.employee.exitDate;
  const from = hire > start ? hire : start;
  const to = exit && exit < end ? exit : end;
  const working = input.company.prorata === "working-days";
  if (hire <= start && (!exit || exit >= end) && !working) {
    // The common case, without date arithmetic: the whole month under contract.
    const days = +end.slice(8, 10);
    return { num: days, den: days, from, to, beforeHire: 0, afterExit: 0 };
  }
  const count = (a: string, b: string) => (a > b ? 0 : working ? workingDays(a, b) : daysBetweenInclusive(a, b));
  const den = count(start, end);
  const beforeHire = hire > start ? count(start, addDays(hire, -1)) : 0;
  const afterExit = exit && exit < end ? count(addDays(exit, 1), end) : 0;
  return { num: den - beforeHire - afterExit, den, from, to, beforeHire, afterExit };
}

export interface GrossContext {
  input: PayslipInput;
  params: ParameterReader;
  codes: CodeMap;
  fraction: EmploymentFraction;
  leave: LeaveState;
  warn: (code: string, path: string, message: string) => void;
}

export interface GrossOutcome {
  lines: PayLine[];
  afterNet: PayLine[];
  hoursPaid: number;
  /** Salary and seniority of the month (cents): a leave day's value at maintenance is this ÷ the month's days. */
  leaveBase: Cents;
  /** Daily value of a leave day by salary maintenance (1e-4 €); 0 when no leave is taken this month. */
  leaveDayValue: number;
  leaveHoursPerDay: number;
  leaveDaysTaken: number;
}

const ABSENCE_KIND: Record<string, { absence: string; complement: string; label: string }> = {
  sick: { absence: "absence-sick", complement: "complement-sick", label: "maladie" },
  unpaid: { absence: "absence-unpaid", complement: "complement", label: "absence non rémunérée" },
  "unpaid-leave": { absence: "absence-unpaid-leave", complement: "complement", label: "congé sans solde" },
  maternity: { absence: "absence-maternity", complement: "complement-maternity", label: "maternité" },
  "work-accident": { absence: "absence-work-accident", complement: "complement-work-accident", label: "accident du travail" },
  // Loi n° 1.309 du 29 mai 2006 (21 or 28 calendar days since Loi n° 1.552 du 7 décembre 2023): the contract is
  // suspended and the CCSS pays the allowances, so the hours are deducted like maternity's.
  paternity: { absence: "absence-paternity", complement: "complement-paternity", label: "paternité" },
};

const BENEFITS = [
  ["housing", "benefit-housing", "benefit-housing-deduction", "logement"],
  ["car", "benefit-car", "benefit-car-deduction", "voiture"],
] as const;

function span(from?: string, to?: string): string | undefined {
  if (from && to) return `du ${date(from)} au ${date(to)}`;
  if (from) return `à partir du ${date(from)}`;
  if (to) return `jusqu'au ${date(to)}`;
  return undefined;
}

export function buildGross(ctx: GrossContext): GrossOutcome {
  const { input, params, codes, fraction } = ctx;
  const e = input.employee;
  const v = input.variables ?? {};
  const lines: PayLine[] = [];
  const afterNet: PayLine[] = [];

  const salary = toCents(e.monthlySalary);
  const hours = toHundredths(e.contractHours);
  const hourly = unitPrice(salary, hours);
  const partial = fraction.num < fraction.den;
  const unit = input.company.prorata === "working-days" ? "jours ouvrés" : "jours calendaires";

  lines.push(
    kindLine("salary", codes, salary, `Salaire mensuel du contrat pour ${qty(hours)} h ; taux horaire ${rate4(hourly)} € = ${eur(salary)} ÷ ${qty(hours)} h`, {
      quantity: hours,
    }),
  );
  if (fraction.beforeHire > 0) {
    const amount = -prorate(salary, fraction.beforeHire, fraction.den);
    lines.push(
      kindLine(
        "entry-deduction",
        codes,
        amount,
        `Entrée le ${date(e.hireDate)} : ${fraction.beforeHire} ${unit} non travaillés sur ${fraction.den} × ${eur(salary)}`,
        {
          quantity: fraction.beforeHire * 100,
        },
      ),
    );
  }
  if (fraction.afterExit > 0 && e.exitDate) {
    const amount = -prorate(salary, fraction.afterExit, fraction.den);
    lines.push(
      kindLine(
        "exit-deduction",
        codes,
        amount,
        `Sortie le ${date(e.exitDate)} : ${fraction.afterExit} ${unit} non travaillés sur ${fraction.den} × ${eur(salary)}`,
        {
          quantity: fraction.afterExit * 100,
        },
      ),
    );
  }

  // Seniority bonus: its full monthly value also enters the absence and leave rates (BS2021-05: 20,3929 €/h).
  let seniority = 0;
  if (e.seniority) {
    if ("amount" in e.seniority) {
      seniority = toCents(e.seniority.amount);
      const amount = partial ? prorate(seniority, fraction.num, fraction.den) : seniority;
      lines.push(kindLine("seniority", codes, amount, `Montant fixe de ${eur(seniority)}${partial ? `, au prorata ${fraction.num}/${fraction.den}` : ""}`));
    } else {
      let base: number | undefined;
      let baseText = "";
      if (e.seniority.base === "smic") {
        const smic = params.get("smic.hourly");
        const legalHours = smic !== undefined ? params.constant("work.legal_monthly_hours") : undefined;
        if (smic !== undefined && legalHours !== undefined) {
          const monthly = applyUnitPrice(toHundredths(legalHours), toRate4(smic));
          base = monthly;
          baseText =
            params.periodText("seniority.smic") ??
            params.keepPeriodText(
              "seniority.smic",
              `SMIC mensuel ${eur(monthly)} = ${rate4(toRate4(smic))} € × ${formatNumber(legalHours)} h (smic.hourly : ${params.source("smic.hourly")})`,
            );
        }
      } else if (e.seniority.base === "salary") {
        base = salary;
        baseText = `salaire mensuel ${eur(base)}`;
      } else {
        base = toCents(e.seniority.base);
        baseText = `base de référence ${eur(base)}`;
      }
      if (base !== undefined) {
        const rate = toRate4(e.seniority.rate);
        seniority = applyPercent(base, rate);
        const amount = partial ? prorate(seniority, fraction.num, fraction.den) : seniority;
        lines.push(
          kindLine("seniority", codes, amount, `${pct(rate)} × ${baseText}${partial ? `, au prorata ${fraction.num}/${fraction.den}` : ""}`, {
            quantity: base,
            rate: rate,
            rateKind: "percent",
          }),
        );
      }
    }
  }

  const hourlyLine = (kind: string, quantity: number | undefined, percent: number, why: string) => {
    if (!quantity) return;
    const q = toHundredths(quantity);
    const rate = percent === 100 ? hourly : divRound(hourly * percent, 100);
    const amount = applyUnitPrice(q, rate);
    lines.push(
      kindLine(kind, codes, amount, `${qty(q)} h × ${rate4(rate)} € (taux horaire ${rate4(hourly)} €${percent === 100 ? "" : ` × ${percent} %`}) — ${why}`, {
        quantity: q,
        rate,
        rateKind: "unit",
      }),
    );
    return q;
  };
  let extraHours = 0;
  extraHours += hourlyLine("overtime125", v.overtime125, 125, "8 premières heures au-delà de 39 h par semaine") ?? 0;
  extraHours += hourlyLine("overtime150", v.overtime150, 150, "au-delà de 8 heures supplémentaires par semaine") ?? 0;
  extraHours += hourlyLine("overtime200", v.overtime200, 200, "heures supplémentaires à 200 %") ?? 0;
  extraHours += hourlyLine("complementary", v.complementaryHours, 100, "heures complémentaires") ?? 0;
  hourlyLine("holiday100", v.holidayHours, 100, "jour férié travaillé payé en plus du salaire (Loi n° 800)");
  hourlyLine("holiday200", v.holidayHours200, 200, "jour férié travaillé à 200 %");
  hourlyLine("sunday", v.sundayHours, 100, "majoration des heures du dimanche (Loi n° 1.471)");

  // Absences are valued with the seniority bonus included in the hourly rate.
  const absenceRate = unitPrice(salary + seniority, hours);
  let absentHours = 0;
  (v.absences ?? []).forEach((a) => {
    const kinds = ABSENCE_KIND[a.kind]!;
    const q = toHundredths(a.hours);
    absentHours += q;
    const amount = -applyUnitPrice(q, absenceRate);
    const detail = span(a.from, a.to);
    lines.push(
      kindLine(kinds.absence, codes, amount, `${qty(q)} h × ${rate4(absenceRate)} € = (${eur(salary)} + ancienneté ${eur(seniority)}) ÷ ${qty(hours)} h`, {
        quantity: q,
        rate: absenceRate,
        rateKind: "unit",
        ...(detail ? { detail } : {}),
      }),
    );
    if (a.complement) {
      const c = toCents(a.complement);
      lines.push(
        kindLine(
          kinds.complement,
          codes,
          c,
          `Complément de salaire versé par l'employeur (${kinds.label}) ; hors assiettes CCSS, CAR et chômage`,
          detail ? { detail } : {},
        ),
      );
    }
  });

  // Paid leave: the absence at salary maintenance, the indemnity at the larger of maintenance and 1/10.
  const leaveBase = salary + seniority;
  let leaveDayValue = 0;
  let leaveHoursPerDay = 0;
  let leaveDaysTaken = 0;
  const leaves = v.paidLeave ?? [];
  const month = leaves.length ? leaveMonth(ctx) : undefined; // read only when leave is valued: a missing value is an error
  if (month) {
    leaveDayValue = unitPrice(leaveBase, month.days);
    leaveHoursPerDay = divRound(hours * 100, month.days); // hundredths of an hour
    const days = leaves.reduce((s, l) => s + toHundredths(l.days), 0);
    leaveDaysTaken = days;
    const maintenance = applyUnitPrice(days, leaveDayValue);
    const split = takeDays(ctx.leave, days);
    const tenthPrev = split.fromPrevious ? tenthOf(ctx.leave.previous, split.fromPrevious) : 0;
    const tenthCur = split.fromCurrent ? tenthOf(ctx.leave.current, split.fromCurrent) : 0;
    const tenth = tenthPrev === undefined || tenthCur === undefined ? undefined : tenthPrev + tenthCur;
    if (tenth === undefined) {
      ctx.warn(
        "LEAVE_TENTH_UNKNOWN",
        "carry.leave",
        "indemnité de congés payés au maintien de salaire : la base de référence (1/10) n'est pas connue (cumuls de congés absents)",
      );
    }
    const indemnity = tenth !== undefined && tenth > maintenance ? tenth : maintenance;
    const detail = leaves
      .map((l) => span(l.from, l.to))
      .filter(Boolean)
      .join(", ");
    const dailyText = `${qty(days)} j × ${rate4(leaveDayValue)} € = (${eur(salary)} + ancienneté ${eur(seniority)}) ÷ ${month.words}`;
    lines.push(
      kindLine("paid-leave-absence", codes, -maintenance, `Absence pour congés payés : ${dailyText}`, {
        quantity: days,
        ...(detail ? { detail: `Congés payés ${detail}` } : {}),
      }),
    );
    lines.push(
      kindLine(
        "paid-leave-indemnity",
        codes,
        indemnity,
        `Indemnité = le plus favorable du maintien (${eur(maintenance)}) et du dixième (${tenth === undefined ? "inconnu" : eur(tenth)}) de la période de référence`,
        { quantity: days },
      ),
    );
    if (ctx.leave.previous.taken > ctx.leave.previous.acquired && ctx.leave.current.taken > ctx.leave.current.acquired) {
      ctx.warn("LEAVE_OVERDRAWN", "variables.paidLeave", "plus de jours de congés pris que de jours acquis");
    }
  }

  // Benefits in kind: in gross and in every base, recovered after net.
  if (v.meals) {
    const q = toHundredths(v.meals);
    const value = input.company.mealValue !== undefined ? toRate4(input.company.mealValue) : toRate4(params.get("benefit.meal_value") ?? 0);
    const source = input.company.mealValue !== undefined ? "valeur de l'entreprise" : `benefit.meal_value : ${params.source("benefit.meal_value")}`;
    lines.push(
      kindLine("benefit-meals", codes, applyUnitPrice(q, value), `${qty(q)} repas × ${rate4(value)} € (${source})`, {
        quantity: q,
        rate: value,
        rateKind: "unit",
      }),
    );
    const deducted = v.mealsDeducted !== undefined ? toHundredths(v.mealsDeducted) : q;
    if (deducted) {
      afterNet.push(
        kindLine("benefit-meals-deduction", codes, -applyUnitPrice(deducted, value), `${qty(deducted)} repas fournis × ${rate4(value)} € repris après le net`, {
          quantity: deducted,
          rate: value,
          rateKind: "unit",
        }),
      );
    }
  } else if (v.mealsDeducted) {
    ctx.warn("MEALS_DEDUCTED_WITHOUT_BENEFIT", "variables.mealsDeducted", "repas repris après le net sans avantage en nature repas dans le brut");
  }
  for (const [field, kind, back, label] of BENEFITS) {
    const value = v[field];
    if (!value) continue;
    const c = toCents(value);
    lines.push(kindLine(kind, codes, c, `Avantage en nature ${label} ajouté au brut et aux assiettes`));
    afterNet.push(kindLine(back, codes, -c, `Avantage en nature ${label} repris après le net (fourni en nature)`));
  }

  // Entered rubrics (bonuses, commissions, indemnities…), by catalogue code or alias.
  for (const entered of v.lines ?? []) {
    const rubric = findRubric(entered.code)!;
    let amount: number;
    let explanation: string;
    const extra: Partial<PayLine> & { enteredCode: string } = { enteredCode: entered.code };
    if (entered.amount !== undefined) {
      amount = toCents(entered.amount);
      explanation = `Montant saisi (rubrique ${rubric.code} ${rubric.label})`;
    } else {
      const q = toHundredths(entered.quantity!);
      const r = toRate4(entered.rate!);
      amount = applyUnitPrice(q, r);
      explanation = `${qty(q)} × ${rate4(r)} € saisis`;
      extra.quantity = q;
      extra.rate = r;
      extra.rateKind = "unit";
    }
    if (entered.label) extra.label = entered.label;
    const line = makeLine(rubric, codes, amount, explanation, extra);
    (rubric.section === "after-net" ? afterNet : lines).push(line);
  }
  if (v.notice) lines.push(kindLine("notice", codes, toCents(v.notice), "Indemnité compensatrice de préavis saisie"));
  if (v.dismissal) lines.push(kindLine("dismissal", codes, toCents(v.dismissal), "Indemnité de licenciement saisie"));

  if (v.mealTickets) {
    const q = toHundredths(v.mealTickets);
    const share = toRate4(v.mealTicketEmployeeShare ?? input.company.mealTicketEmployeeShare ?? 0);
    afterNet.push(
      kindLine(
        "meal-tickets",
        codes,
        -applyUnitPrice(q, share),
        `${qty(q)} tickets × part salariale ${rate4(share)} € ; la part patronale n'entre dans aucune assiette`,
        {
          quantity: q,
          rate: share,
          rateKind: "unit",
        },
      ),
    );
  }
  if (v.advance) afterNet.push(kindLine("advance", codes, -toCents(v.advance), "Avance sur salaire déjà versée"));
  if (v.deposit) afterNet.push(kindLine("deposit", codes, -toCents(v.deposit), "Acompte déjà versé"));

  const hoursPaid = prorate(hours, fraction.num, fraction.den) - absentHours + extraHours;
  return { lines, afterNet, hoursPaid, leaveBase, leaveDayValue, leaveHoursPerDay, leaveDaysTaken };
}

/**
 * The days of a month a leave day's salary maintenance divides by: 26 jours ouvrables or 21,67 jours ouvrés
 * (6 or 5 days × 52 / 12), parameters leave.month_days_ouvrables / _ouvres; undefined (error recorded) when unknown.
 */
function leaveMonth(ctx: GrossContext): { days: Hundredths; words: string } | undefined {
  const ouvres = ctx.input.company.paidLeaveSystem === "ouvres";
  const days = ctx.params.constant(ouvres ? "leave.month_days_ouvres" : "leave.month_days_ouvrables");
  if (days === undefined) return undefined;
  return { days: toHundredths(days), words: `${formatNumber(days)} ${ouvres ? "jours ouvrés" : "jours ouvrables"}` };
}

/** The compensatory indemnity for leave not taken, on the exit payslip (4303 N-1, 4311 N). */
export function compensatoryLeave(ctx: GrossContext, leaveBase: Cents): PayLine[] {
  const out: PayLine[] = [];
  const years = [
    ["compensatory-leave-previous", ctx.leave.previous],
    ["compensatory-leave-current", ctx.leave.current],
  ] as const;
  let leaveDayValue: Rate4 | undefined;
  for (const [kind, year] of years) {
    const days = year.acquired - year.taken; // 1e-4 days
    if (days <= 0) continue;
    if (leaveDayValue === undefined) {
      const month = leaveMonth(ctx);
      if (!month) return out;
      leaveDayValue = unitPrice(leaveBase, month.days);
    }
    const daysH = divRound(days, 100);
    const maintenance = applyUnitPrice(daysH, leaveDayValue);
    const tenth = tenthOf(year, days);
    const amount = tenth !== undefined && tenth > maintenance ? tenth : maintenance;
    year.taken += days;
    out.push(
      kindLine(
        kind,
        ctx.codes,
        amount,
        `${qty(daysH)} j restants : le plus favorable du maintien (${eur(maintenance)}) et du dixième (${tenth === undefined ? "inconnu" : eur(tenth)})`,
        {
          quantity: daysH,
        },
      ),
    );
  }
  return out;
}
