/**
 * The payroll engine: one employee, one month. Input validated by schema, parameters read for the period's last
 * day, then gross → bases → contributions → net, each line rounded half-up to the cent, every line explained.
 * Pure: no I/O, no clock, no randomness — the same input always gives the same result.
 */

import type { CarryInput } from "../core/carry.ts";
import { eur, pct } from "../core/explain.ts";
import { applyPercent, centsToEuros, divRound, fromHundredths, prorate, sum, toCents, toHundredths, toRate4 } from "../core/fixed.ts";
import type { Issue } from "../core/issue.ts";
import { periodBounds } from "../core/period.ts";
import type { ComputeOutcome, DsmEvent, PayLine, PayslipResult } from "../core/result.ts";
import type { ParameterSet } from "../rates/parameter-set.ts";
import type { FamilyId } from "../rates/parameters.ts";
import { ParameterReader } from "../rates/reader.ts";
import { leaveYearStart } from "../rules/calendar.ts";
import type { CeilingCarryCents } from "../rules/ceilings.ts";
import { buildContributions } from "../rules/contributions.ts";
import { buildGross, compensatoryLeave, employmentFraction, type GrossContext } from "../rules/gross.ts";
import { byCode, kindLine, rubricOf, sortSmall } from "../rules/lines.ts";
import { counter, DAY, openLeaveState } from "../rules/paid-leave.ts";
import type { PayslipInput } from "../schema/payslip-input.ts";
import { validatePayslipInput } from "../schema/validate.ts";

const BONUS_RUBRICS = new Set(["2023", "2031", "2033", "2041", "2053", "2061"]);
// The order buildContributions fills the families in, kept in the carried ceilings.
const FAMILY_ORDER = ["CAR", "CCSS", "AC", "CMRC", "RC"] as const satisfies readonly FamilyId[];
// A family added to FamilyId without being listed here fails to compile.
const everyFamilyListed: Exclude<FamilyId, (typeof FAMILY_ORDER)[number]> extends never ? true : never = true;
void everyFamilyListed;

/** `parameters`: the parameter set to compute with (shared/rates/parameter-set.ts); the bundled baseline by default. */
export function computePayslip(raw: unknown, parameters?: ParameterSet): ComputeOutcome {
  const validation = validatePayslipInput(raw);
  if (!validation.ok) return { ok: false, errors: validation.errors };
  try {
    return computeValidated(validation.value, parameters);
  } catch (error) {
    // A defect in the engine must still come back as a located error, never as a crash of the caller.
    return { ok: false, errors: [{ code: "INTERNAL_ERROR", path: "(moteur)", message: `erreur interne du moteur : ${(error as Error).message}` }] };
  }
}

function carryCeilingsToCents(carry: CarryInput | undefined): Partial<Record<FamilyId, CeilingCarryCents>> {
  const out: Partial<Record<FamilyId, CeilingCarryCents>> = {};
  const ceilings = carry?.ceilings;
  if (!ceilings) return out;
  for (const family of FAMILY_ORDER) {
    const c = ceilings[family];
    if (c) out[family] = { windowStart: c.windowStart, base: toCents(c.base), ceiling: toCents(c.ceiling), ta: toCents(c.ta), tb: toCents(c.tb) };
  }
  return out;
}

/** The running ceilings to carry, in the order the families are computed. */
function ceilingsToEuros(carry: Partial<Record<FamilyId, CeilingCarryCents>>): CarryInput["ceilings"] {
  const out: CarryInput["ceilings"] = {};
  for (const family of FAMILY_ORDER) {
    const cc = carry[family];
    if (cc)
      out[family] = {
        windowStart: cc.windowStart,
        base: centsToEuros(cc.base),
        ceiling: centsToEuros(cc.ceiling),
        ta: centsToEuros(cc.ta),
        tb: centsToEuros(cc.tb),
      };
  }
  return out;
}

export function computeValidated(input: PayslipInput, parameters?: ParameterSet): ComputeOutcome {
  const { start, end, year } = periodBounds(input.period);
  const params = new ParameterReader(end, input.parameterOverrides ?? [], parameters?.files);
  const errors: Issue[] = [];
  const warnings: Issue[] = [];
  const warn = (code: string, path: string, message: string) => warnings.push({ code, path, message: `${path} : ${message}` });
  const codes = input.company.codes;
  const e = input.employee;
  const v = input.variables ?? {};

  const fraction = employmentFraction(input);
  const ys = leaveYearStart(input.period);
  const opened = openLeaveState(input.carry?.leave, ys);
  if (opened.rolledYears > 1)
    warn("LEAVE_CARRY_TOO_OLD", "carry.leave.yearStart", "les compteurs de congés reçus datent de plus d'un an : ils repartent de zéro");
  const leave = opened.state;

  const ctx: GrossContext = { input, params, codes, fraction, leave, warn };
  const gross = buildGross(ctx);
  const lines = gross.lines;

  // The 5 % Monaco allowance on pay above the minimum is ordinary contributory salary (9993).
  const allowanceKind = e.monacoAllowance ?? "none";
  const allowanceBase = () => {
    let total = 0;
    for (const l of lines) if (l.rubric !== "2023") total += l.amount;
    return total;
  };
  if (allowanceKind === "above-minimum") {
    const rate = params.get("monaco_allowance.rate");
    if (rate !== undefined) {
      const base = allowanceBase();
      lines.push(
        kindLine(
          "allowance-contributory",
          codes,
          applyPercent(base, toRate4(rate)),
          `${pct(toRate4(rate))} × ${eur(base)} (brut hors prime exceptionnelle) ; rémunération au-dessus des minima : soumise à cotisations`,
          { quantity: base, rate: toRate4(rate), rateKind: "percent" },
        ),
      );
    }
  }

  // Paid-leave acquisition for this month (before any exit indemnity, which pays what is left).
  const contractHours = toHundredths(e.contractHours);
  const employedHours = prorate(contractHours, fraction.num, fraction.den);
  let nonEffective = 0;
  // Maternity, paternity and work accidents count as effective work (Loi n° 619 art. 3; monaco-rules §2.5).
  for (const a of v.absences ?? []) {
    if ((a.kind === "sick" || a.kind === "unpaid" || a.kind === "unpaid-leave") && (!a.from || a.from >= ys)) nonEffective += toHundredths(a.hours);
  }
  const perMonth = input.company.paidLeaveSystem === "ouvres" ? divRound(25 * DAY, 12) : divRound(30 * DAY, 12);
  const acquiredNow = contractHours > 0 ? Math.max(0, divRound(perMonth * (employedHours - nonEffective), contractHours)) : 0;
  leave.current.acquired += acquiredNow;
  // Months of the leave year, counted whole like the "Mois" column of the provision (a partial month counts).
  if (fraction.num > 0) leave.current.months += DAY;
  for (const l of lines) if (rubricOf(l).paidLeaveBase) leave.current.referenceGross += l.amount;

  const leaving = e.exitDate !== undefined && e.exitDate <= end;
  if (leaving && v.compensatoryLeave !== false) lines.push(...compensatoryLeave(ctx, gross.leaveBase));
  sortSmall(lines, byCode);

  // One pass over the lines for gross and every base (the catalogue says which line goes where).
  let grossTotal = 0;
  let monacoBase = 0;
  let otherBase = 0;
  let paidLeaveBase = 0;
  let taxableGross = 0;
  for (const l of lines) {
    const r = rubricOf(l);
    grossTotal += l.amount;
    if (r.monaco) monacoBase += l.amount;
    if (r.other) otherBase += l.amount;
    if (r.paidLeaveBase) paidLeaveBase += l.amount;
    if (r.taxable) taxableGross += l.amount;
  }

  const contributions = buildContributions({
    input,
    params,
    fraction,
    monacoBase,
    otherBase,
    carry: carryCeilingsToCents(input.carry),
    error: (code, path, message) => errors.push({ code, path, message }),
  });
  let employeeTotal = 0;
  let employerTotal = 0;
  for (const c of contributions.lines) {
    employeeTotal += c.employeeAmount ?? 0;
    employerTotal += c.employerAmount ?? 0;
  }

  // The 5 % allowance on minimum wages: outside every base, added to net and to taxable net (R2019 9995).
  const netAdditions: PayLine[] = [];
  if (allowanceKind === "minimum") {
    const rate = params.get("monaco_allowance.rate");
    if (rate !== undefined) {
      const base = allowanceBase();
      netAdditions.push(
        kindLine(
          "allowance-minimum",
          codes,
          applyPercent(base, toRate4(rate)),
          `${pct(toRate4(rate))} × ${eur(base)} (brut hors prime exceptionnelle) ; versée sur les minima : non soumise à cotisations, imposable`,
          { quantity: base, rate: toRate4(rate), rateKind: "percent" },
        ),
      );
    }
  }
  const additions = sum(netAdditions.map((l) => l.amount));
  const net = grossTotal - employeeTotal + additions;
  const afterNet = sortSmall(gross.afterNet, byCode);
  const netPaid = net + sum(afterNet.map((l) => l.amount));
  const taxableNet = taxableGross - employeeTotal + sum(netAdditions.filter((l) => rubricOf(l).taxable).map((l) => l.amount));
  const employerCost = grossTotal + employerTotal + additions;

  // Year-to-date figures restart on 1 January.
  const pmss = params.get("pmss");
  const ceilingSS = pmss !== undefined ? prorate(toCents(pmss), fraction.num, fraction.den) : 0;
  const c = input.carry;
  const prior = c && c.year === year ? c.ytd : undefined;
  const ytd = {
    year,
    gross: toCents(prior?.gross ?? 0) + grossTotal,
    baseSS: toCents(prior?.baseSS ?? 0) + grossTotal,
    taxableNet: toCents(prior?.taxableNet ?? 0) + taxableNet,
    netPaid: toCents(prior?.netPaid ?? 0) + netPaid,
    ceilingSS: toCents(prior?.ceilingSS ?? 0) + ceilingSS,
    hours: toHundredths(prior?.hours ?? 0) + gross.hoursPaid,
    employeeContributions: toCents(prior?.employeeContributions ?? 0) + employeeTotal,
    employerContributions: toCents(prior?.employerContributions ?? 0) + employerTotal,
  };

  for (const issue of params.errors) errors.push(issue);
  if (errors.length) return { ok: false, errors };
  for (const issue of params.warnings) warnings.push(issue);

  if (e.monacoAllowance === undefined || e.monacoAllowance === "none") {
    const smic = params.get("smic.hourly");
    if (smic !== undefined && contractHours > 0) {
      const minimum = divRound(toRate4(smic) * contractHours, 10_000);
      if (toCents(e.monthlySalary) < minimum) {
        warn(
          "BELOW_SMIC",
          "employee.monthlySalary",
          `salaire mensuel ${eur(toCents(e.monthlySalary))} inférieur au SMIC pour ${e.contractHours} h (${eur(minimum)})`,
        );
      }
    }
  }

  const ceilings = ceilingsToEuros(contributions.carry);
  // A family this month did not use (a director's unemployment window…) keeps its running totals.
  const carried = input.carry?.ceilings;
  if (carried) for (const family in carried) if (!(family in ceilings)) ceilings[family] = carried[family]!;
  const leaveYear = (y: typeof leave.current) => ({
    acquired: y.acquired / DAY,
    taken: y.taken / DAY,
    months: y.months / DAY,
    referenceGross: centsToEuros(y.referenceGross),
  });
  const carry: CarryInput = {
    year,
    ytd: {
      gross: centsToEuros(ytd.gross),
      baseSS: centsToEuros(ytd.baseSS),
      taxableNet: centsToEuros(ytd.taxableNet),
      netPaid: centsToEuros(ytd.netPaid),
      ceilingSS: centsToEuros(ytd.ceilingSS),
      hours: fromHundredths(ytd.hours),
      employeeContributions: centsToEuros(ytd.employeeContributions),
      employerContributions: centsToEuros(ytd.employerContributions),
    },
    ceilings,
    leave: { yearStart: ys, current: leaveYear(leave.current), previous: leaveYear(leave.previous) },
  };

  const events: DsmEvent[] = [];
  for (const l of v.paidLeave ?? []) {
    const hours = l.hours !== undefined ? toHundredths(l.hours) : divRound(toHundredths(l.days) * gross.leaveHoursPerDay, 100);
    events.push({ kind: "congesPayes", hours, ...(l.from ? { from: l.from } : {}), ...(l.to ? { to: l.to } : {}) });
  }
  const eventKind = { sick: "maladie", "work-accident": "accidentTravail", "unpaid-leave": "congesSansSolde", maternity: "maternite" } as const;
  for (const a of v.absences ?? []) {
    if (a.kind === "unpaid") continue;
    if (a.kind === "paternity") {
      // The DSM 2.0 XSD is not published; no element name for paternity is known (monaco-rules §3): say so.
      warn("DSM_PATERNITY_UNDECLARED", "variables.absences", "congé de paternité non déclaré dans la DSM (élément inconnu, à confirmer avec la CCSS)");
      continue;
    }
    events.push({ kind: eventKind[a.kind], ...(a.from ? { from: a.from } : {}), ...(a.to ? { to: a.to } : {}) });
  }
  if (e.hireDate >= start && e.hireDate <= end) events.push({ kind: "entreeDuSalarie", from: e.hireDate });
  if (leaving && e.exitDate! >= start) events.push({ kind: "sortieDuSalarie", from: e.exitDate!, to: e.exitDate! });
  if (v.notice) events.push({ kind: "preavis", from: start, to: end });
  let bonus = 0;
  for (const l of lines) if (BONUS_RUBRICS.has(l.rubric)) bonus += l.amount;
  if (bonus) events.push({ kind: "prime", amount: bonus });

  const result: PayslipResult = {
    period: input.period,
    periodStart: start,
    periodEnd: end,
    payDate: input.payDate ?? end,
    employeeId: e.id,
    category: e.category,
    director: e.director === true,
    lines,
    gross: grossTotal,
    contributions: contributions.lines,
    employeeTotal,
    employerTotal,
    netAdditions,
    net,
    afterNet,
    netPaid,
    taxableNet,
    employerCost,
    hoursPaid: gross.hoursPaid,
    bases: {
      monaco: monacoBase,
      other: otherBase,
      paidLeave: paidLeaveBase,
      ccss: contributions.bases.ccss,
      car: contributions.bases.car,
      cmrcTA: contributions.bases.cmrcTA,
      cmrcTB: contributions.bases.cmrcTB,
      acTA: contributions.bases.acTA,
      acTB: contributions.bases.acTB,
    },
    leave: { previous: counter(leave.previous), current: counter(leave.current) },
    ytd,
    carry,
    events,
    // The resolved values are shared, frozen per month: no copy per payslip.
    parameters: params.used,
    warnings,
  };
  return { ok: true, result };
}
