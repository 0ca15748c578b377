/** Runs a reference case month after month (each month's carry feeds the next) and lists every difference. */

import type { CarryInput } from "../core/carry.ts";
import { centsToEuros, fromHundredths, fromRate4, toCents, toHundredths, toRate4 } from "../core/fixed.ts";
import type { Issue } from "../core/issue.ts";
import type { ContributionLine, PayLine, PayslipResult } from "../core/result.ts";
import { computePayslip } from "../engine/compute.ts";
import { compileChecker } from "../schema/checker.ts";
import type { PayslipInput } from "../schema/payslip-input.ts";
import { toFieldPath } from "../schema/validate.ts";
import { type Expected, ReferenceCase } from "./case-format.ts";

export interface Difference {
  period: string;
  field: string;
  expected: string;
  got: string;
}

export interface CaseOutcome {
  id: string;
  passed: boolean;
  differences: Difference[];
  errors: Issue[];
  results: PayslipResult[];
}

const checkCase = compileChecker(ReferenceCase);

// Differences print as the case files write figures (a dot, no grouping), so that they can be searched in the file.
const euros = (cents: number | undefined) => (cents === undefined ? "—" : centsToEuros(cents).toFixed(2));
const hundredths = (v: number | undefined) => (v === undefined ? "—" : fromHundredths(v).toFixed(2));
const rate = (v: number | undefined) => (v === undefined ? "—" : String(fromRate4(v)));

export function validateCase(raw: unknown): { ok: true; value: ReferenceCase } | { ok: false; errors: Issue[] } {
  if (checkCase.Check(raw)) return { ok: true, value: raw };
  const errors = [...checkCase.Errors(raw)]
    .slice(0, 20)
    .map((e) => ({ code: "INVALID_CASE", path: toFieldPath(e.path), message: `${toFieldPath(e.path)} : ${e.message}` }));
  return { ok: false, errors };
}

function compareLines(period: string, section: string, expected: Expected["lines"], got: PayLine[], diffs: Difference[]) {
  if (!expected) return;
  const remaining = [...got];
  for (const exp of expected) {
    const i = remaining.findIndex((l) => l.code === exp.code);
    if (i < 0) {
      diffs.push({ period, field: `${section}[${exp.code}]`, expected: `${exp.amount}`, got: "ligne absente" });
      continue;
    }
    const line = remaining.splice(i, 1)[0]!;
    const amount = exp.deduct ? -toCents(exp.amount) : toCents(exp.amount);
    if (line.amount !== amount) diffs.push({ period, field: `${section}[${exp.code}].amount`, expected: euros(amount), got: euros(line.amount) });
    if (exp.quantity !== undefined && line.quantity !== undefined && line.rateKind !== "percent" && line.quantity !== toHundredths(exp.quantity)) {
      diffs.push({ period, field: `${section}[${exp.code}].quantity`, expected: hundredths(toHundredths(exp.quantity)), got: hundredths(line.quantity) });
    }
    if (exp.rate !== undefined && line.rate !== toRate4(exp.rate)) {
      diffs.push({ period, field: `${section}[${exp.code}].rate`, expected: String(exp.rate), got: rate(line.rate) });
    }
  }
  for (const extra of remaining) diffs.push({ period, field: `${section}[${extra.code}]`, expected: "pas de ligne", got: euros(extra.amount) });
}

function compareContributions(period: string, expected: Expected["contributions"], got: ContributionLine[], diffs: Difference[]) {
  if (!expected) return;
  const remaining = [...got];
  for (const exp of expected) {
    const i = remaining.findIndex((c) => c.code === exp.code);
    if (i < 0) {
      diffs.push({ period, field: `contributions[${exp.code}]`, expected: `base ${exp.base}`, got: "ligne absente" });
      continue;
    }
    const c = remaining.splice(i, 1)[0]!;
    const f = `contributions[${exp.code}]`;
    if (c.base !== toCents(exp.base)) diffs.push({ period, field: `${f}.base`, expected: euros(toCents(exp.base)), got: euros(c.base) });
    const pairs: [string, number | undefined, number | undefined, (v: number | undefined) => string, (v: number) => number][] = [
      ["employeeRate", exp.employeeRate, c.employeeRate, rate, toRate4],
      ["employeeAmount", exp.employeeAmount, c.employeeAmount, euros, toCents],
      ["employerRate", exp.employerRate, c.employerRate, rate, toRate4],
      ["employerAmount", exp.employerAmount, c.employerAmount, euros, toCents],
    ];
    for (const [name, e, g, fmt, scaled] of pairs) {
      const want = e === undefined ? undefined : scaled(e);
      if (want !== g) diffs.push({ period, field: `${f}.${name}`, expected: fmt(want), got: fmt(g) });
    }
  }
  for (const extra of remaining) diffs.push({ period, field: `contributions[${extra.code}]`, expected: "pas de ligne", got: `base ${euros(extra.base)}` });
}

export function compareResult(period: string, expected: Expected, r: PayslipResult): Difference[] {
  const diffs: Difference[] = [];
  compareLines(period, "lines", expected.lines, r.lines, diffs);
  compareContributions(period, expected.contributions, r.contributions, diffs);
  compareLines(period, "afterNet", expected.afterNet, r.afterNet, diffs);
  const totals: [string, number | undefined, number][] = [
    ["gross", expected.gross, r.gross],
    ["employeeTotal", expected.employeeTotal, r.employeeTotal],
    ["employerTotal", expected.employerTotal, r.employerTotal],
    ["net", expected.net, r.net],
    ["netPaid", expected.netPaid, r.netPaid],
    ["taxableNet", expected.taxableNet, r.taxableNet],
    ["employerCost", expected.employerCost, r.employerCost],
  ];
  for (const [name, e, g] of totals) if (e !== undefined && toCents(e) !== g) diffs.push({ period, field: name, expected: euros(toCents(e)), got: euros(g) });
  if (expected.hoursPaid !== undefined && toHundredths(expected.hoursPaid) !== r.hoursPaid) {
    diffs.push({ period, field: "hoursPaid", expected: hundredths(toHundredths(expected.hoursPaid)), got: hundredths(r.hoursPaid) });
  }
  for (const [name, e] of Object.entries(expected.ytd ?? {})) {
    const g = r.ytd[name as keyof typeof r.ytd];
    if (e !== undefined && toCents(e) !== g) diffs.push({ period, field: `ytd.${name}`, expected: euros(toCents(e)), got: euros(g) });
  }
  for (const [label, e] of Object.entries(expected.paidLeave ?? {})) {
    const counter = [r.leave.previous, r.leave.current].find((c) => c.label === label);
    if (!counter) {
      diffs.push({ period, field: `paidLeave[${label}]`, expected: "compteur", got: "absent" });
      continue;
    }
    for (const k of ["acquired", "taken", "remaining"] as const) {
      const got = Math.round(counter[k] / 100); // 1e-4 days → hundredths, as printed
      if (got !== toHundredths(e[k])) diffs.push({ period, field: `paidLeave[${label}].${k}`, expected: e[k].toFixed(2), got: hundredths(got) });
    }
  }
  return diffs;
}

/** The engine input of month `index` of a case: the employee as changed up to that month, with last month's carry. */
export function caseMonthInput(c: ReferenceCase, index: number, carry: CarryInput | undefined): PayslipInput {
  let employee = c.employee;
  for (let i = 0; i <= index; i++) employee = { ...employee, ...(c.months[i]!.employee ?? {}) } as typeof employee;
  const month = c.months[index]!;
  return {
    period: month.period,
    company: c.company,
    employee,
    ...(month.payDate ? { payDate: month.payDate } : {}),
    ...(month.variables ? { variables: month.variables } : {}),
    ...(carry ? { carry } : {}),
    ...(c.parameterOverrides ? { parameterOverrides: c.parameterOverrides } : {}),
  };
}

export function runCase(c: ReferenceCase): CaseOutcome {
  const differences: Difference[] = [];
  const results: PayslipResult[] = [];
  let carry: CarryInput | undefined = c.opening;
  for (const [index, month] of c.months.entries()) {
    const outcome = computePayslip(caseMonthInput(c, index, carry));
    if (!outcome.ok) return { id: c.id, passed: false, differences, errors: outcome.errors, results };
    results.push(outcome.result);
    if (month.expected) differences.push(...compareResult(month.period, month.expected, outcome.result));
    carry = outcome.result.carry;
  }
  return { id: c.id, passed: differences.length === 0, differences, errors: [], results };
}
