/**
 * Paid-leave acquisition for the month (Loi n° 619): the year's days × the hours of effective work over the
 * contract's hours, twelfth by twelfth; the months of the leave year; the gross that is the 1/10 rule's reference.
 */
import { divRound, prorate, toHundredths } from "../core/fixed.ts";
import type { PayLine } from "../core/result.ts";
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

/** The days (1e-4) acquired this month, in proportion of the hours of effective work. */
export function leaveAcquired(input: PayslipInput, fraction: EmploymentFraction, yearStart: string): number {
  const contractHours = toHundredths(input.employee.contractHours);
  const employedHours = prorate(contractHours, fraction.num, fraction.den);
  const nonEffective = nonEffectiveHours(input, yearStart);
  const perMonth = input.company.paidLeaveSystem === "ouvres" ? divRound(25 * DAY, 12) : divRound(30 * DAY, 12);
  return contractHours > 0 ? Math.max(0, divRound(perMonth * (employedHours - nonEffective), contractHours)) : 0;
}

/** The gross of the lines that count towards the 1/10 reference (the catalogue's paidLeaveBase). */
export function leaveReferenceGross(lines: readonly PayLine[]): number {
  let total = 0;
  for (const l of lines) if (rubricOf(l).paidLeaveBase) total += l.amount;
  return total;
}

/** Adds the month to the current leave year: its days, one month if any day is under contract, its reference gross. */
export function accrueLeave(year: LeaveYearState, input: PayslipInput, fraction: EmploymentFraction, yearStart: string, lines: readonly PayLine[]): void {
  year.acquired += leaveAcquired(input, fraction, yearStart);
  // Months of the leave year, counted whole like the "Mois" column of the provision (a partial month counts).
  if (fraction.num > 0) year.months += DAY;
  year.referenceGross += leaveReferenceGross(lines);
}
