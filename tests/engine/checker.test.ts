/** The interpreted checker (used under the task pane's CSP) gives the same answers as the compiled one. */

import assert from "node:assert/strict";
import { test } from "node:test";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import fc from "fast-check";
import { interpretedChecker } from "../../shared/schema/checker.ts";
import { PayslipInput } from "../../shared/schema/payslip-input.ts";
import { input } from "./helpers.ts";

test("compiled and interpreted checks agree on valid and broken inputs (1 000 cases)", () => {
  const compiled = TypeCompiler.Compile(PayslipInput);
  const interpreted = interpretedChecker(PayslipInput);
  const base = input({ variables: { overtime125: 3.5, absences: [{ kind: "sick", hours: 7 }] } });
  fc.assert(
    fc.property(
      fc.constantFrom("employee.monthlySalary", "variables.overtime125", "period", "employee.category", "company.paidLeaveSystem"),
      fc.anything(),
      (field, value) => {
        const copy = structuredClone(base) as unknown as Record<string, Record<string, unknown>>;
        const [a, b] = field.split(".") as [string, string?];
        if (b) copy[a]![b] = value;
        else (copy as Record<string, unknown>)[a] = value;
        assert.equal(interpreted.Check(copy), compiled.Check(copy));
        assert.deepEqual(
          [...interpreted.Errors(copy)].map((e) => e.path),
          [...compiled.Errors(copy)].map((e) => e.path),
        );
      },
    ),
    { numRuns: 1000, seed: 42 },
  );
  assert.ok(interpreted.Check(base));
});
