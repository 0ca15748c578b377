/** What every earnings formula reads (the input, the period's parameters, the company's codes…) and what gross returns. */
import { date } from "../../core/explain.ts";
import type { Cents } from "../../core/fixed.ts";
import type { PayLine } from "../../core/result.ts";
import type { ParameterReader } from "../../rates/reader.ts";
import type { PayslipInput } from "../../schema/payslip-input.ts";
import type { CodeMap } from "../lines.ts";
import type { LeaveState } from "../paid-leave.ts";
import type { EmploymentFraction } from "./fraction.ts";

export interface GrossContext {
  input: PayslipInput;
  /** The parameters in force on the period's last day. */
  params: ParameterReader;
  codes: CodeMap;
  fraction: EmploymentFraction;
  /** The leave counters: taking leave this month updates them (the only state a formula changes). */
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

/** The monthly salary and contract hours every hourly rate derives from. */
export interface Contract {
  salary: Cents;
  /** Contract hours of the month, hundredths. */
  hours: number;
  /** salary ÷ hours, 1e-4 €. */
  hourly: number;
}

/** "du 04/08/2025 au 05/08/2025", "à partir du …", "jusqu'au …" or nothing. */
export function span(from?: string, to?: string): string | undefined {
  if (from && to) return `du ${date(from)} au ${date(to)}`;
  if (from) return `à partir du ${date(from)}`;
  if (to) return `jusqu'au ${date(to)}`;
  return undefined;
}
