/**
 * Paid leave on the payslip (Loi n° 619): the absence at salary maintenance, the indemnity at the larger of
 * maintenance and 1/10 of the reference gross, and on exit the compensatory indemnity for the days left.
 */
import { eur, qty, rate4 } from "../../core/explain.ts";
import { applyUnitPrice, type Cents, divRound, type Hundredths, type Rate4, toHundredths, unitPrice } from "../../core/fixed.ts";
import { formatNumber } from "../../core/format.ts";
import type { PayLine } from "../../core/result.ts";
import type { ParameterReader } from "../../rates/reader.ts";
import type { CompanyInput, VariablesInput } from "../../schema/payslip-input.ts";
import { kindLine } from "../lines.ts";
import { takeDays, tenthOf } from "../paid-leave.ts";
import { type Contract, type GrossContext, span } from "./context.ts";

/**
 * The days of a month a leave day's salary maintenance divides by: 26 jours ouvrables or 21,67 jours ouvrés
 * (6 or 5 days × 52 / 12), parameters leave.month_days_ouvrables / _ouvres; undefined (error recorded) when unknown.
 */
export function leaveMonth(params: ParameterReader, system: CompanyInput["paidLeaveSystem"]): { days: Hundredths; words: string } | undefined {
  const ouvres = system === "ouvres";
  const days = params.constant(ouvres ? "leave.month_days_ouvres" : "leave.month_days_ouvrables");
  if (days === undefined) return undefined;
  return { days: toHundredths(days), words: `${formatNumber(days)} ${ouvres ? "jours ouvrés" : "jours ouvrables"}` };
}

export interface PaidLeave {
  lines: PayLine[];
  /** Daily value of a leave day by salary maintenance (1e-4 €); 0 when no leave is taken this month. */
  dayValue: number;
  hoursPerDay: number;
  daysTaken: number;
}

const noLeave = (): PaidLeave => ({ lines: [], dayValue: 0, hoursPerDay: 0, daysTaken: 0 });

/** The larger of salary maintenance and the tenth, the tenth unknown (undefined) without leave counters. */
const indemnityOf = (maintenance: Cents, tenth: Cents | undefined): Cents => (tenth !== undefined && tenth > maintenance ? tenth : maintenance);

/** The month's leave: the days are taken from the previous leave year first, then the current one. */
export function paidLeaveLines(ctx: GrossContext, contract: Contract, seniority: Cents, leaves: NonNullable<VariablesInput["paidLeave"]>): PaidLeave {
  if (!leaves.length) return noLeave();
  const month = leaveMonth(ctx.params, ctx.input.company.paidLeaveSystem); // read only when leave is valued: a missing value is an error
  if (!month) return noLeave();
  const { codes, leave } = ctx;
  const { salary, hours } = contract;
  const dayValue = unitPrice(salary + seniority, month.days);
  const hoursPerDay = divRound(hours * 100, month.days); // hundredths of an hour
  const days = leaves.reduce((s, l) => s + toHundredths(l.days), 0);
  const maintenance = applyUnitPrice(days, dayValue);
  const split = takeDays(leave, days);
  const tenthPrev = split.fromPrevious ? tenthOf(leave.previous, split.fromPrevious) : 0;
  const tenthCur = split.fromCurrent ? tenthOf(leave.current, split.fromCurrent) : 0;
  const tenth = tenthPrev === undefined || tenthCur === undefined ? undefined : tenthPrev + tenthCur;
  if (tenth === undefined) {
    ctx.warn(
      "LEAVE_TENTH_UNKNOWN",
      "carry.leave",
      "indemnité de congés payés au maintien de salaire : la base de référence (1/10) n'est pas connue (cumuls de congés absents)",
    );
  }
  const detail = leaves
    .map((l) => span(l.from, l.to))
    .filter(Boolean)
    .join(", ");
  const dailyText = `${qty(days)} j × ${rate4(dayValue)} € = (${eur(salary)} + ancienneté ${eur(seniority)}) ÷ ${month.words}`;
  const lines = [
    kindLine("paid-leave-absence", codes, -maintenance, `Absence pour congés payés : ${dailyText}`, {
      quantity: days,
      ...(detail ? { detail: `Congés payés ${detail}` } : {}),
    }),
    kindLine(
      "paid-leave-indemnity",
      codes,
      indemnityOf(maintenance, tenth),
      `Indemnité = le plus favorable du maintien (${eur(maintenance)}) et du dixième (${tenth === undefined ? "inconnu" : eur(tenth)}) de la période de référence`,
      { quantity: days },
    ),
  ];
  if (leave.previous.taken > leave.previous.acquired && leave.current.taken > leave.current.acquired) {
    ctx.warn("LEAVE_OVERDRAWN", "variables.paidLeave", "plus de jours de congés pris que de jours acquis");
  }
  return { lines, dayValue, hoursPerDay, daysTaken: days };
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
      const month = leaveMonth(ctx.params, ctx.input.company.paidLeaveSystem);
      if (!month) return out;
      leaveDayValue = unitPrice(leaveBase, month.days);
    }
    const daysH = divRound(days, 100);
    const maintenance = applyUnitPrice(daysH, leaveDayValue);
    const tenth = tenthOf(year, days);
    year.taken += days;
    out.push(
      kindLine(
        kind,
        ctx.codes,
        indemnityOf(maintenance, tenth),
        `${qty(daysH)} j restants : le plus favorable du maintien (${eur(maintenance)}) et du dixième (${tenth === undefined ? "inconnu" : eur(tenth)})`,
        { quantity: daysH },
      ),
    );
  }
  return out;
}
