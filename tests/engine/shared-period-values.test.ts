/**
 * The engine works out what a month's parameters say (values, citations, warnings, a whole month's ceiling text)
 * once and shares it between the payslips of that month. These tests pin the promise that makes this safe: a
 * payslip's result never depends on which payslips were computed before it, and what is shared cannot be changed.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import type { PayslipInput } from "../../shared/schema/payslip-input.ts";
import { compute, contribution, input } from "./helpers.ts";

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

// Each test uses its own period so that it is the first to touch that month's shared values in this process.
const full = (period: string) => input({ period, employee: { id: "FULL", monthlySalary: 9000, category: "cadre" } });
const entrant = (period: string) => input({ period, employee: { id: "NEW", monthlySalary: 9000, category: "cadre", hireDate: `${period}-16` } });
const director = (period: string) => input({ period, employee: { id: "DIR", monthlySalary: 2000, director: true } });
const household = (period: string) => input({ period, company: { employerKind: "household" }, employee: { id: "HH", monthlySalary: 1900 } });
const overridden = (period: string): PayslipInput => ({
  ...input({ period, employee: { id: "OVR", monthlySalary: 9000 } }),
  parameterOverrides: [{ id: "pmss", from: `${period}-01`, value: 4321, source: "valeur de test" }],
});

test("a whole month's ceiling citation is shared, an entrant's prorated one is not", () => {
  const first = compute(full("2024-03"));
  const second = compute(entrant("2024-03"));
  assert.match(contribution(first, "7001")!.explanation, /plafond 3 864,00 € \(pmss du 01\/01\/2024/);
  assert.doesNotMatch(contribution(first, "7001")!.explanation, /proratisé/);
  // 16 days of 31 under contract: the ceiling and its words are the entrant's own.
  assert.match(contribution(second, "7001")!.explanation, /plafond 1 994,32 € proratisé 16\/31/);
});

test("the same input gives the same result whatever was computed before it, in any order", () => {
  const period = "2024-06";
  const make = [full, entrant, director, household, overridden].map((f) => () => f(period));
  const alone = make.map((m) => clone(compute(m())));
  const forward = make.map((m) => clone(compute(m())));
  const backward = [...make]
    .reverse()
    .map((m) => clone(compute(m())))
    .reverse();
  const interleaved = make.map((m, i) => {
    compute(make[(i + 2) % make.length]!());
    return clone(compute(m()));
  });
  for (const [i, r] of alone.entries()) {
    assert.deepEqual(forward[i], r, `forward ${r.employeeId}`);
    assert.deepEqual(backward[i], r, `backward ${r.employeeId}`);
    assert.deepEqual(interleaved[i], r, `interleaved ${r.employeeId}`);
  }
});

test("a company's own value stays its own: it never leaks into another payslip of the month", () => {
  const period = "2024-09";
  const withOverride = compute(overridden(period));
  const plain = compute(full(period));
  assert.ok(withOverride.parameters.some((p) => p.id === "pmss" && p.value === 4321 && p.source.includes("valeur de test")));
  assert.match(contribution(withOverride, "7001")!.explanation, /plafond 4 321,00 €.*valeur saisie: valeur de test/);
  assert.ok(plain.parameters.some((p) => p.id === "pmss" && p.value === 3864));
  assert.doesNotMatch(JSON.stringify(plain), /4 321|valeur de test/);
});

test("what the payslips of a month share cannot be changed through one result", () => {
  // 2026-12 is past the last verified date of several values: their warnings are shared between payslips.
  const r = compute(full("2026-12"));
  assert.ok(r.warnings.length > 0 && r.parameters.length > 0);
  const shared = r.warnings.find((w) => w.code === "PARAM_STALE")!;
  assert.ok(shared, "a stale-parameter warning");
  assert.throws(() => {
    (shared as { message: string }).message = "changé";
  }, TypeError);
  assert.throws(() => {
    (r.parameters[0] as { value: number | string }).value = 0;
  }, TypeError);
  const again = compute(full("2026-12"));
  assert.deepEqual(clone(again.warnings), clone(r.warnings));
});
