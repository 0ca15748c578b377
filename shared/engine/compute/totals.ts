/** Gross and every base in one pass over the lines (the catalogue says which line goes where), and the contribution totals. */
import type { ContributionLine, PayLine } from "../../core/result.ts";
import { rubricOf } from "../../rules/lines.ts";

export interface LineTotals {
  gross: number;
  monacoBase: number;
  otherBase: number;
  paidLeaveBase: number;
  taxableGross: number;
}

export function lineTotals(lines: readonly PayLine[]): LineTotals {
  let gross = 0;
  let monacoBase = 0;
  let otherBase = 0;
  let paidLeaveBase = 0;
  let taxableGross = 0;
  for (const l of lines) {
    const r = rubricOf(l);
    gross += l.amount;
    if (r.monaco) monacoBase += l.amount;
    if (r.other) otherBase += l.amount;
    if (r.paidLeaveBase) paidLeaveBase += l.amount;
    if (r.taxable) taxableGross += l.amount;
  }
  return { gross, monacoBase, otherBase, paidLeaveBase, taxableGross };
}

export function contributionTotals(lines: readonly ContributionLine[]): { employee: number; employer: number } {
  let employee = 0;
  let employer = 0;
  for (const c of lines) {
    employee += c.employeeAmount ?? 0;
    employer += c.employerAmount ?? 0;
  }
  return { employee, employer };
}
