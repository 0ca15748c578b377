/** Bad input gets a structured, located, French error — never NaN, never an exception. */

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { PayslipResult } from "../../shared/core/result.ts";
import { computePayslip } from "../../shared/engine/compute.ts";
import { input } from "./helpers.ts";

function errorsOf(value: unknown) {
  const outcome = computePayslip(value);
  assert.equal(outcome.ok, false, "expected errors");
  return outcome.ok ? [] : outcome.errors;
}

test("an unknown rubric code is refused with its path", () => {
  const [e] = errorsOf(input({ variables: { lines: [{ code: "9999", amount: 10 }] } }));
  assert.equal(e?.code, "UNKNOWN_RUBRIC");
  assert.equal(e?.path, "variables.lines[0].code");
  assert.match(e!.message, /rubrique inconnue « 9999 »/);
});

test("a computed rubric cannot be typed as a free line", () => {
  const [e] = errorsOf(input({ variables: { lines: [{ code: "2001", amount: 10 }] } }));
  assert.equal(e?.code, "COMPUTED_RUBRIC");
});

test("negative or impossible quantities are refused", () => {
  let [e] = errorsOf(input({ variables: { overtime125: -3 } }));
  assert.equal(e?.path, "variables.overtime125");
  assert.equal(e?.code, "INVALID_NUMBER");
  [e] = errorsOf(
    input({
      variables: {
        absences: [
          { kind: "sick", hours: 120 },
          { kind: "unpaid", hours: 60 },
        ],
      },
    }),
  );
  assert.equal(e?.code, "IMPOSSIBLE_HOURS");
  [e] = errorsOf(input({ variables: { overtime125: 95 } }));
  assert.equal(e?.code, "IMPOSSIBLE_HOURS");
  [e] = errorsOf(input({ variables: { paidLeave: [{ days: 20 }, { days: 15 }] } }));
  assert.equal(e?.code, "IMPOSSIBLE_DAYS");
  [e] = errorsOf(input({ employee: { monthlySalary: 3000.123 } }));
  assert.equal(e?.path, "employee.monthlySalary");
  assert.match(e!.message, /2 décimales/);
  // Contract hours that round to 0,00 h (a stray 1e-9 in a cell) would divide the salary by zero: refused, located.
  for (const contractHours of [0, 1e-9, 0.004]) {
    [e] = errorsOf(input({ employee: { contractHours } }));
    assert.equal(e?.path, "employee.contractHours", `contractHours ${contractHours}`);
    assert.equal(e?.code, contractHours === 0.004 ? "INVALID_NUMBER" : "OUT_OF_RANGE");
  }
});

test("dates outside the period or the contract are refused", () => {
  let [e] = errorsOf(input({ variables: { absences: [{ kind: "sick", hours: 7, from: "2025-09-02", to: "2025-09-03" }] } }));
  assert.equal(e?.code, "DATE_OUTSIDE_PERIOD");
  assert.equal(e?.path, "variables.absences[0].from");
  [e] = errorsOf(input({ variables: { paidLeave: [{ days: 1, from: "2025-02-03", to: "2025-02-03" }] } }));
  assert.equal(e?.code, "DATE_OUTSIDE_PERIOD");
  [e] = errorsOf(input({ variables: { absences: [{ kind: "sick", hours: 7, from: "2025-08-10", to: "2025-08-02" }] } }));
  assert.equal(e?.code, "INVALID_RANGE");
  [e] = errorsOf(input({ employee: { hireDate: "2025-09-01" } }));
  assert.equal(e?.code, "NOT_HIRED_YET");
  [e] = errorsOf(input({ employee: { exitDate: "2025-07-31" } }));
  assert.equal(e?.code, "LEFT_BEFORE_PERIOD");
  [e] = errorsOf(input({ employee: { hireDate: "2025-02-30" } }));
  assert.equal(e?.code, "INVALID_DATE");
  [e] = errorsOf(input({ period: "2025-13" }));
  assert.equal(e?.code, "INVALID_PERIOD");
});

test("wrong types, unknown fields and hostile strings are located", () => {
  let errors = errorsOf({ ...input(), employee: { ...input().employee, monthlySalary: "3000" } });
  assert.equal(errors[0]?.path, "employee.monthlySalary");
  assert.match(errors[0]!.message, /reçu le texte « 3000 »/);
  errors = errorsOf({ ...input(), surprise: 1 });
  assert.equal(errors[0]?.path, "surprise");
  assert.equal(errors[0]?.code, "UNKNOWN_FIELD");
  errors = errorsOf({ ...input(), employee: { ...input().employee, category: "<script>alert(1)</script>" } });
  assert.equal(errors[0]?.code, "INVALID_CHOICE");
  assert.match(errors[0]!.message, /cadre, non-cadre/);
  errors = errorsOf({ ...input(), employee: { ...input().employee, monthlySalary: Number.NaN } });
  assert.equal(errors[0]?.path, "employee.monthlySalary");
  errors = errorsOf(null);
  assert.equal(errors[0]?.code, "INVALID_TYPE");
  errors = errorsOf({ ...input(), employee: undefined });
  assert.equal(errors[0]?.path, "employee");
});

function assertFinite(r: PayslipResult) {
  const walk = (v: unknown, path: string): void => {
    if (typeof v === "number")
      assert.ok((Number.isFinite(v) && Number.isInteger(v)) || path.includes("carry") || path.includes("parameters"), `${path} = ${v}`);
    else if (Array.isArray(v)) for (const [i, x] of v.entries()) walk(x, `${path}[${i}]`);
    else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
  };
  walk({ ...r, carry: undefined, parameters: undefined }, "result");
  assert.equal(r.net, r.gross - r.employeeTotal + r.netAdditions.reduce((s, l) => s + l.amount, 0));
}

const money = fc.integer({ min: 0, max: 5_000_000 }).map((c) => c / 100);
const hours = fc.integer({ min: 0, max: 4000 }).map((h) => h / 100);
const validish = fc.record({
  period: fc.constantFrom("2019-03", "2019-10", "2020-06", "2022-11", "2023-12", "2024-01", "2024-10", "2025-05", "2025-10", "2026-02"),
  employee: fc.record({
    id: fc.string({ minLength: 1, maxLength: 10 }),
    category: fc.constantFrom("cadre", "non-cadre"),
    director: fc.boolean(),
    hireDate: fc.constantFrom("2010-01-01", "2019-01-15", "2024-06-10"),
    contractHours: fc.constantFrom(169, 151.67, 80, 0.01),
    monthlySalary: money,
    monacoAllowance: fc.constantFrom("none", "minimum", "above-minimum"),
  }),
  company: fc.record({ paidLeaveSystem: fc.constantFrom("ouvrables", "ouvres"), prorata: fc.constantFrom("calendar-days", "working-days") }),
  variables: fc.record({
    overtime125: hours,
    holidayHours: hours,
    absences: fc.array(fc.record({ kind: fc.constantFrom("sick", "unpaid", "unpaid-leave", "maternity", "work-accident"), hours, complement: money }), {
      maxLength: 3,
    }),
    paidLeave: fc.array(fc.record({ days: fc.integer({ min: 0, max: 1000 }).map((d) => d / 100) }), { maxLength: 2 }),
    lines: fc.array(fc.record({ code: fc.constantFrom("2041", "2023", "9881", "7301", "9851", "0000", "ZZZ"), amount: money }), { maxLength: 3 }),
    meals: hours,
    advance: money,
  }),
});

test("property: any well-typed month gives either a finite, balanced result or located errors (2 000 cases)", () => {
  let computed = 0;
  fc.assert(
    fc.property(validish, (value) => {
      const outcome = computePayslip(value);
      if (outcome.ok) {
        computed++;
        assertFinite(outcome.result);
      } else
        for (const e of outcome.errors) {
          assert.ok(e.path.length > 0 && e.message.length > 0 && e.code.length > 0);
          assert.notEqual(e.code, "INTERNAL_ERROR", e.message);
        }
    }),
    { numRuns: 2000, seed: 20261125 },
  );
  // The generator must exercise the computation, not only the validation.
  assert.ok(computed > 300, `only ${computed} of 2 000 generated months were computed`);
});

test("property: arbitrary JSON never crashes the engine (2 000 cases)", () => {
  fc.assert(
    fc.property(fc.anything(), (value) => {
      const outcome = computePayslip(value);
      assert.equal(outcome.ok, false);
    }),
    { numRuns: 2000, seed: 7 },
  );
});
