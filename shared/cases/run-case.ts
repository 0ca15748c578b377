/** Runs a reference case month after month (each month's carry feeds the next) and lists every difference. */
import { computePayslip } from "../engine/compute.ts";
import type { ContributionLine, Issue, PayLine, PayslipResult } from "../engine/result.ts";
import type { CarryInput, PayslipInput } from "../schema/payslip-input.ts";
import { toFieldPath } from "../schema/validate.ts";
import { compileChecker } from "../schema/checker.ts";
import { ReferenceCase, type Expected } from "./case-format.ts";

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

const euros = (cents: number | undefined) => (cents === undefined ? "—" : (cents / 100).toFixed(2));
const hundredths = (v: number | undefined) => (v === undefined ? "—" : (v / 100).toFixed(2));
const rate = (v: number | undefined) => (v === undefined ? "—" : String(v / 10_000));
const fromEuros = (v: number) => Math.round(v * 100);

export function validateCase(raw: unknown): { ok: true; value: ReferenceCase } | { ok: false; errors: Issue[] } {
  if (checkCase.Check(raw)) return { ok: true, value: raw };
  const errors = [...checkCase.Errors(raw)].slice(0, 20).map((e) => ({ code: "INVALID_CASE", path: toFieldPath(e.path), message: `${toFieldPath(e.path)} : ${e.message}` }));
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
    const amount = exp.deduct ? -fromEuros(exp.amount) : fromEuros(exp.amount);
    if (line.amount !== amount) diffs.push({ period, field: `${section}[${exp.code}].amount`, expected: euros(amount), got: euros(line.amount) });
    if (exp.quantity !== undefined && line.quantity !== undefined && line.rateKind !== "percent" && line.quantity !== fromEuros(exp.quantity)) {
      diffs.push({ period, field: `${section}[${exp.code}].quantity`, expected: hundredths(fromEuros(exp.quantity)), got: hundredths(line.quantity) });
    }
    if (exp.rate !== undefined && line.rate !== Math.round(exp.rate * 10_000)) {
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
    if (c.base !== fromEuros(exp.base)) diffs.push({ period, field: `${f}.base`, expected: euros(fromEuros(exp.base)), got: euros(c.base) });
    const pairs: [string, number | undefined, number | undefined, (v: number | undefined) => string, number][] = [
      ["employeeRate", exp.employeeRate, c.employeeRate, rate, 10_000],
      ["employeeAmount", exp.employeeAmount, c.employeeAmount, euros, 100],
      ["employerRate", exp.employerRate, c.employerRate, rate, 10_000],
      ["employerAmount", exp.employerAmount, c.employerAmount, euros, 100],
    ];
    for (const [name, e, g, fmt, scale] of pairs) {
      const want = e === undefined ? undefined : Math.round(e * scale);
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
  for (const [name, e, g] of totals) if (e !== undefined && fromEuros(e) !== g) diffs.push({ period, field: name, expected: euros(fromEuros(e)), got: euros(g) });
  if (expected.hoursPaid !== undefined && fromEuros(expected.hoursPaid) !== r.hoursPaid) {
    diffs.push({ period, field: "hoursPaid", expected: hundredths(fromEuros(expected.hoursPaid)), got: hundredths(r.hoursPaid) });
  }
  for (const [name, e] of Object.entries(expected.ytd ?? {})) {
    const g = r.ytd[name as keyof typeof r.ytd];
    if (e !== undefined && fromEuros(e) !== g) diffs.push({ period, field: `ytd.${name}`, expected: (fromEuros(e) / 100).toFixed(2), got: (g / 100).toFixed(2) });
  }
  for (const [label, e] of Object.entries(expected.paidLeave ?? {})) {
    const counter = [r.leave.previous, r.leave.current].find((c) => c.label === label);
    if (!counter) {
      diffs.push({ period, field: `paidLeave[${label}]`, expected: "compteur", got: "absent" });
      continue;
    }
    for (const k of ["acquired", "taken", "remaining"] as const) {
      const got = Math.round(counter[k] / 100); // 1e-4 days → hundredths, as printed
      if (got !== fromEuros(e[k])) diffs.push({ period, field: `paidLeave[${label}].${k}`, expected: e[k].toFixed(2), got: (got / 100).toFixed(2) });
    }
  }
  return diffs;
}

export function runCase(c: ReferenceCase): CaseOutcome {
  const differences: Difference[] = [];
  const results: PayslipResult[] = [];
  let carry: CarryInput | undefined = c.opening;
  let employee = c.employee;
  for (const month of c.months) {
    employee = { ...employee, ...(month.employee ?? {}) } as typeof employee;
    const input: PayslipInput = {
      period: month.period,
      company: c.company,
      employee,
      ...(month.payDate ? { payDate: month.payDate } : {}),
      ...(month.variables ? { variables: month.variables } : {}),
      ...(carry ? { carry } : {}),
      ...(c.parameterOverrides ? { parameterOverrides: c.parameterOverrides } : {}),
    };
    const outcome = computePayslip(input);
    if (!outcome.ok) return { id: c.id, passed: false, differences, errors: outcome.errors, results };
    results.push(outcome.result);
    if (month.expected) differences.push(...compareResult(month.period, month.expected, outcome.result));
    carry = outcome.result.carry;
  }
  return { id: c.id, passed: differences.length === 0, differences, errors: [], results };
}
