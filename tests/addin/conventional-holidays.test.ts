/**
 * A company's conventional holiday (issue 13 item 1) inside an absence: the pane's blank-hours rule schedules no
 * hours on it, as on a Monaco legal holiday, and the engine values the shorter absence.
 *
 * September 2025: Monday 1 – Friday 5 is five working days, no Monaco legal holiday; Wednesday 3 September
 * (Libération, CCNT art. 11) is the company's conventional holiday. Salary 3 000,00 € on 169 h → 17,7515 €/h;
 * daily schedule 169 × 12 / 52 / 5 = 7,80 h.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { scheduledHours } from "../../addin/workbook/absences.ts";
import { buildMonth } from "../../addin/workbook/build.ts";
import { computePayslip } from "../../shared/engine/compute.ts";
import type { CompanyInput } from "../../shared/schema/payslip-input.ts";
import { absencesSheetData, employee, employeesSheet, variablesSheetData } from "./fixtures.ts";

const P = "2025-09";
const liberation: CompanyInput = { conventionalHolidays: [{ date: "2025-09-03", label: "Libération" }] };

function unpaidWeek(company: CompanyInput | undefined) {
  const build = buildMonth({
    period: P,
    employees: employeesSheet([employee("001")]),
    variables: variablesSheetData(P, [{ id: "001", lastName: "NOM001", firstName: "Prénom" }]),
    absences: absencesSheetData(P, [{ id: "001", kind: "Non payée", from: "01/09/2025", to: "05/09/2025" }]),
    ...(company ? { company } : {}),
  });
  assert.deepEqual(
    build.issues.filter((i) => i.severity === "error"),
    [],
  );
  const input = build.inputs[0]!;
  const out = computePayslip(input);
  assert.ok(out.ok, JSON.stringify(!out.ok && out.errors));
  return { absence: input.variables!.absences![0]!, result: out.result };
}

test("scheduledHours skips the company's conventional holidays", () => {
  assert.equal(scheduledHours("2025-09-01", "2025-09-05", 169), 3_900);
  assert.equal(scheduledHours("2025-09-01", "2025-09-05", 169, new Set(["2025-09-03"])), 3_120);
  // A conventional holiday on a Saturday changes nothing: 6 September 2025.
  assert.equal(scheduledHours("2025-09-01", "2025-09-05", 169, new Set(["2025-09-06"])), 3_900);
});

test("an unpaid week holding the conventional holiday: 4 days × 7,80 h = 31,20 h instead of 39,00 h", () => {
  const legal = unpaidWeek(undefined);
  assert.equal(legal.absence.hours, 39);
  // 39,00 h × 17,7515 = 692,3085 → −692,31
  assert.deepEqual(
    legal.result.lines.filter((l) => l.rubric === "3001").map((l) => l.amount),
    [-69_231],
  );
  const own = unpaidWeek(liberation);
  assert.equal(own.absence.hours, 31.2);
  // 31,20 h × 17,7515 = 553,8468 → −553,85; the holiday itself is paid.
  assert.deepEqual(
    own.result.lines.filter((l) => l.rubric === "3001").map((l) => l.amount),
    [-55_385],
  );
  assert.equal(own.result.gross, 300_000 - 55_385);
});
