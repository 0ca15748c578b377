/**
 * The earnings part of the payslip, composed from the formulas of rules/gross/: salary (prorated on entry/exit),
 * seniority bonus, overtime, holidays, Sundays, absences valued with the seniority bonus, the employer's complements,
 * paid leave, benefits in kind, entered rubrics, recalls of past periods and exit indemnities. Hourly rates carry 4 decimals, as on the
 * reference payslips. The order the lines are built in is kept: lines of one code keep it once sorted.
 */
import { prorate, toCents, toHundredths, unitPrice } from "../core/fixed.ts";
import type { PayLine } from "../core/result.ts";
import { absenceLines } from "./gross/absences.ts";
import { benefitsInKind } from "./gross/benefits.ts";
import type { Contract, GrossContext, GrossOutcome } from "./gross/context.ts";
import { deductionsAfterNet, enteredLines } from "./gross/entered.ts";
import { extraHours } from "./gross/hours.ts";
import { paidLeaveLines } from "./gross/paid-leave.ts";
import { salaryLines } from "./gross/salary.ts";
import { seniority } from "./gross/seniority.ts";
import { recallLines } from "./recall.ts";

export type { GrossContext, GrossOutcome } from "./gross/context.ts";
export { type EmploymentFraction, employmentFraction } from "./gross/fraction.ts";
export { compensatoryLeave } from "./gross/paid-leave.ts";

const push = (to: PayLine[], from: readonly PayLine[]) => {
  for (let i = 0; i < from.length; i++) to.push(from[i]!);
};

export function buildGross(ctx: GrossContext): GrossOutcome {
  const { input, codes, fraction } = ctx;
  const e = input.employee;
  const v = input.variables ?? {};
  const salary = toCents(e.monthlySalary);
  const hours = toHundredths(e.contractHours);
  const contract: Contract = { salary, hours, hourly: unitPrice(salary, hours) };

  const lines = salaryLines(ctx, contract);
  const bonus = seniority(ctx, salary);
  if (bonus.line) lines.push(bonus.line);
  const extra = extraHours(codes, contract, v, { first: 125, beyond: 150 });
  push(lines, extra.lines);
  const absences = absenceLines(codes, contract, bonus.monthly, v.absences ?? []);
  push(lines, absences.lines);
  const leave = paidLeaveLines(ctx, contract, bonus.monthly, v.paidLeave ?? []);
  push(lines, leave.lines);
  const benefits = benefitsInKind(ctx);
  push(lines, benefits.lines);
  const entered = enteredLines(codes, v);
  push(lines, entered.lines);
  if (v.recalls) push(lines, recallLines(codes, v.recalls));

  const afterNet = benefits.afterNet;
  push(afterNet, entered.afterNet);
  push(afterNet, deductionsAfterNet(codes, input.company, v));

  const hoursPaid = prorate(hours, fraction.num, fraction.den) - absences.absentHours + extra.extraHours;
  return {
    lines,
    afterNet,
    hoursPaid,
    leaveBase: salary + bonus.monthly,
    leaveDayValue: leave.dayValue,
    leaveHoursPerDay: leave.hoursPerDay,
    leaveDaysTaken: leave.daysTaken,
  };
}
