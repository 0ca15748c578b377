/**
 * Gaps found by mutation testing (issue 11): the 5 % Monaco allowance's base (every gross line but the exceptional
 * bonus 2023) and its half-up rounding to the cent, for both kinds.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { compute, input, line } from "./helpers.ts";

test("5 % allowance above the minimum: on gross without 2023, rounded half-up, contributory", () => {
  // base = 3 001,10 salary + 100,00 commission (2061) = 3 101,10; the 500,00 exceptional bonus (2023) is left out.
  // 5 % × 3 101,10 = 155,055 → 155,06 (half-up; truncation would give 155,05)
  const r = compute(
    input({
      employee: { monthlySalary: 3001.1, monacoAllowance: "above-minimum" },
      variables: {
        lines: [
          { code: "2023", amount: 500 },
          { code: "2061", amount: 100 },
        ],
      },
    }),
  );
  const allowance = line(r, "9993");
  assert.equal(allowance?.amount, 15_506);
  assert.equal(allowance?.quantity, 310_110);
  assert.equal(allowance?.rate, 50_000);
  assert.equal(r.gross, 300_110 + 50_000 + 10_000 + 15_506);
  assert.equal(r.bases.monaco, r.gross);
  assert.equal(r.netAdditions.length, 0);
  assert.equal(r.net, r.gross - r.employeeTotal);
});

test("5 % allowance on the minimum: outside the bases, added to net, taxable net and employer cost; rounded half-up", () => {
  // base = 2 007,70 (the 300,00 exceptional bonus left out); 5 % × 2 007,70 = 100,385 → 100,39
  const r = compute(input({ employee: { monthlySalary: 2007.7, monacoAllowance: "minimum" }, variables: { lines: [{ code: "2023", amount: 300 }] } }));
  const allowance = line(r, "7301");
  assert.equal(allowance?.amount, 10_039);
  assert.equal(allowance?.quantity, 200_770);
  assert.equal(r.gross, 200_770 + 30_000);
  assert.equal(r.bases.monaco, r.gross);
  assert.equal(r.net, r.gross - r.employeeTotal + 10_039);
  assert.equal(r.taxableNet, r.gross - r.employeeTotal + 10_039);
  assert.equal(r.employerCost, r.gross + r.employerTotal + 10_039);
  assert.equal(r.netPaid, r.net);
  // no allowance, no line
  const none = compute(input({ employee: { monthlySalary: 2007.7, monacoAllowance: "none" } }));
  assert.equal(line(none, "7301"), undefined);
  assert.equal(line(none, "9993"), undefined);
});
