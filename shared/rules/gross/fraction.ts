/** The part of the month under contract: the prorata every monthly amount (salary, seniority, ceilings) follows. */
import { prorate } from "../../core/fixed.ts";
import { addDays, daysBetweenInclusive, periodBounds } from "../../core/period.ts";
import type { PayslipInput } from "../../schema/payslip-input.ts";
import { conventionalHolidaySet, workingDays } from "../calendar.ts";

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
  const conventional = working ? conventionalHolidaySet(input.company.conventionalHolidays) : undefined;
  const count = (a: string, b: string) => (a > b ? 0 : working ? workingDays(a, b, conventional) : daysBetweenInclusive(a, b));
  const den = count(start, end);
  const beforeHire = hire > start ? count(start, addDays(hire, -1)) : 0;
  const afterExit = exit && exit < end ? count(addDays(exit, 1), end) : 0;
  return { num: den - beforeHire - afterExit, den, from, to, beforeHire, afterExit };
}

/** An amount of the whole month, prorated when the contract covers only part of it. */
export const partOfMonth = (amount: number, fraction: EmploymentFraction): number =>
  fraction.num < fraction.den ? prorate(amount, fraction.num, fraction.den) : amount;
