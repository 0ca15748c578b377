/**
 * Paid-leave acquisition for the month (Loi n° 619): the year's days (parameters leave.year_days_ouvrables /
 * leave.year_days_ouvres) × the hours of effective work over the contract's hours, twelfth by twelfth; the months of
 * the leave year; the gross that is the 1/10 rule's reference.
 */
import { divRound, prorate, toHundredths } from "../core/fixed.ts";
import type { PayLine } from "../core/result.ts";
import type { ParameterReader } from "../rates/reader.ts";
import type { PayslipInput } from "../schema/payslip-input.ts";
import type { EmploymentFraction } from "./gross/fraction.ts";
import { rubricOf } from "./lines.ts";
import { DAY, type LeaveYearState } from "./paid-leave.ts";

/** Absences of this leave year that are not effective work (maternity, paternity, work accidents are: Loi n° 619 art. 3; monaco-rules §2.5). */
function nonEffectiveHours(input: PayslipInput, yearStart: string): number {
  let hours = 0;
  for (const a of input.variables?.absences ?? []) {
    if ((a.kind === "sick" || a.kind === "unpaid" || a.kind === "unpaid-leave") && (!a.from || a.from >= yearStart)) hours += toHundredths(a.hours);
  }
  return hours;
}

const MONTHS_PER_YEAR = 12;

/** The days (1e-4) a full month of effective work acquires: the year's days in the company's system, a twelfth of them. */
export function leavePerMonth(params: ParameterReader, system: PayslipInput["company"]["paidLeaveSystem"]): number | undefined {
  const yearDays = params.constant(system === "ouvres" ? "leave.year_days_ouvres" : "leave.year_days_ouvrables");
  return yearDays === undefined ? undefined : divRound(yearDays * DAY, MONTHS_PER_YEAR);
}

/** The days (1e-4) acquired this month, in proportion of the hours of effective work; 0 (error recorded) without the year's days. */
export function leaveAcquired(params: ParameterReader, input: PayslipInput, fraction: EmploymentFraction, yearStart: string): number {
  const perMonth = leavePerMonth(params, input.company.paidLeaveSystem);
  if (perMonth === undefined) return 0;
  const contractHours = toHundredths(input.employee.contractHours);
  const employedHours = prorate(contractHours, fraction.num, fraction.den);
  const nonEffective = nonEffectiveHours(input, yearStart);
  return contractHours > 0 ? Math.max(0, divRound(perMonth * (employedHours - nonEffective), contractHours)) : 0;
}

/** The gross of the lines that count towards the 1/10 reference (the catalogue's paidLeaveBase). */
export function leaveReferenceGross(lines: readonly PayLine[]): number {
  let total = 0;
  for (const l of lines) if (rubricOf(l).paidLeaveBase) total += l.amount;
  return total;
}

/** Adds the month to the current leave year: its days, one month if any day is under contract, its reference gross. */
export function accrueLeave(
  params: ParameterReader,
  year: LeaveYearState,
  input: PayslipInput,
  fraction: EmploymentFraction,
  yearStart: string,
  lines: readonly PayLine[],
): void {
  year.acquired += leaveAcquired(params, input, fraction, yearStart);
  // Months of the leave year, counted whole like the "Mois" column of the provision (a partial month counts).
  if (fraction.num > 0) year.months += DAY;
  year.referenceGross += leaveReferenceGross(lines);
}
