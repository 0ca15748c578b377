/**
 * Engine issue paths mapped back to the workbook cell they came from (addin/workbook/origins.ts), and the workbook's
 * column limits taken from the engine's schema (addin/workbook/columns.ts). The refusals here are the real
 * validator's, on inputs the workbook built and a test then pushed past the schema's limit.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { buildMonth } from "../../addin/workbook/build.ts";
import { columnLetter } from "../../addin/workbook/cells.ts";
import { ABSENCE_COLUMNS, type ColumnDef, EMPLOYEE_COLUMNS, LINE_COLUMNS, VARIABLE_COLUMNS } from "../../addin/workbook/columns.ts";
import { engineIssues, originOf } from "../../addin/workbook/origins.ts";
import { MAX_EUROS } from "../../shared/core/primitives.ts";
import { validatePayslipInput } from "../../shared/schema/validate.ts";
import { absencesSheetData, employee, employeesSheet, linesSheetData, variables, variablesSheetData } from "./fixtures.ts";

const P = "2025-03";
/** A1 address of `key` in a fixture table (every column, in the definitions' order) at Excel row `row`. */
const at = (defs: readonly ColumnDef[], key: string, row: number) => `${columnLetter(defs.findIndex((d) => d.key === key))}${row}`;

function build() {
  return buildMonth({
    period: P,
    employees: employeesSheet([employee("001"), employee("002")]),
    variables: variablesSheetData(P, [variables("001", { bonus: 200, bonusKind: "13e mois", paidLeaveDays: 1 }), variables("002")]),
    lines: linesSheetData(P, [
      { id: "002", code: "9851", amount: 10 },
      { id: "001", code: "9851", amount: 30 },
      { id: "001", code: "9852", amount: 40 },
    ]),
    // Typed out of date order: the engine's absences are sorted by date, the origins follow the sort.
    absences: absencesSheetData(P, [
      { id: "001", kind: "Maladie", from: "17/03/2025", to: "17/03/2025", hours: 7, maintien: 20 },
      { id: "001", kind: "Non payée", from: "03/03/2025", to: "03/03/2025", hours: 7 },
    ]),
  });
}

test("each engine path of an input names the cell it was typed in", () => {
  const out = build();
  assert.deepEqual(
    out.issues.filter((i) => i.severity === "error"),
    [],
  );
  const o = out.origins["001"];
  assert.ok(o);
  const input = out.inputs.find((i) => i.employee.id === "001")!;
  assert.deepEqual(
    input.variables!.absences!.map((a) => a.from),
    ["2025-03-03", "2025-03-17"],
  );
  // Salariés: 001 on row 2.
  assert.deepEqual(o["employee.monthlySalary"], { sheet: "Salariés", row: 2, column: "Salaire mensuel", address: at(EMPLOYEE_COLUMNS, "monthlySalary", 2) });
  assert.equal(o["employee.hireDate"]!.address, at(EMPLOYEE_COLUMNS, "hireDate", 2));
  // Variables: the bonus is lines[0]; the Lignes rows of 001 (rows 3 and 4) follow it.
  assert.equal(o["variables.overtime125"]!.address, at(VARIABLE_COLUMNS, "overtime125", 2));
  assert.equal(o["variables.lines[0].amount"]!.address, at(VARIABLE_COLUMNS, "bonus", 2));
  assert.equal(o["variables.lines[0].code"]!.address, at(VARIABLE_COLUMNS, "bonusKind", 2));
  assert.deepEqual(o["variables.lines[1].amount"], { sheet: `Lignes ${P}`, row: 3, column: "Montant", address: at(LINE_COLUMNS, "amount", 3) });
  assert.equal(o["variables.lines[2].code"]!.address, at(LINE_COLUMNS, "code", 4));
  assert.equal(o["variables.paidLeave[0].days"]!.address, at(VARIABLE_COLUMNS, "paidLeaveDays", 2));
  // Absences: the engine's first is the sheet's second row (Excel row 3).
  assert.deepEqual(o["variables.absences[0].hours"], { sheet: `Absences ${P}`, row: 3, column: "Heures", address: at(ABSENCE_COLUMNS, "hours", 3) });
  assert.equal(o["variables.absences[1].from"]!.address, at(ABSENCE_COLUMNS, "from", 2));
  assert.equal(o["variables.absences[1].complement"]!.address, at(ABSENCE_COLUMNS, "maintien", 2));
  // A field with no cell of its own falls back to its nearest parent that has one.
  assert.equal(originOf(o, "variables.absences[1].nothing"), o["variables.absences[1]"]);
  assert.equal(originOf(o, "company.contracts[0].code"), undefined);
  // 002's only Lignes row is its lines[0] (no bonus).
  assert.equal(out.origins["002"]!["variables.lines[0].amount"]!.address, at(LINE_COLUMNS, "amount", 2));
});

test("the real validator's refusals are shown on their cells, and a path without a cell on the fallback row", () => {
  const out = build();
  const input = structuredClone(out.inputs.find((i) => i.employee.id === "001")!);
  input.variables!.absences![1]!.hours = 500;
  input.variables!.lines![2]!.amount = MAX_EUROS * 2;
  input.company = { ...input.company, name: "x".repeat(500) };
  const v = validatePayslipInput(input);
  assert.ok(!v.ok);
  const fallback = { sheet: `Variables ${P}`, row: 2, column: "", address: "A2" };
  const issues = engineIssues("001", v.errors, out.origins["001"], fallback);
  const byPath = new Map(v.errors.map((e, i) => [e.path, issues[i]!]));
  const hours = byPath.get("variables.absences[1].hours");
  assert.ok(hours, JSON.stringify(v.errors));
  assert.equal(hours.sheet, `Absences ${P}`);
  assert.equal(hours.address, at(ABSENCE_COLUMNS, "hours", 2));
  assert.equal(hours.column, "Heures");
  assert.match(hours.message, new RegExp(`^001 — Heures \\(Absences ${P}, cellule ${hours.address}\\) : doit être`));
  const amount = byPath.get("variables.lines[2].amount");
  assert.equal(amount?.sheet, `Lignes ${P}`);
  assert.equal(amount?.address, at(LINE_COLUMNS, "amount", 4));
  const name = byPath.get("company.name");
  assert.equal(name?.address, "A2");
  assert.equal(name?.column, "company.name");
});

test("workbook column limits are the engine schema's (one source): the salary goes to the schema's 10 000 000", () => {
  const def = (defs: readonly ColumnDef[], key: string) => defs.find((d) => d.key === key)!;
  assert.equal(def(EMPLOYEE_COLUMNS, "monthlySalary").max, MAX_EUROS);
  assert.equal(def(EMPLOYEE_COLUMNS, "monthlySalary").min, 0);
  assert.equal(def(EMPLOYEE_COLUMNS, "contractHours").max, 260);
  assert.equal(def(EMPLOYEE_COLUMNS, "lastName").maxLength, 80);
  assert.equal(def(VARIABLE_COLUMNS, "bonus").min, -MAX_EUROS);
  assert.equal(def(VARIABLE_COLUMNS, "paidLeaveDays").max, 31);
  assert.equal(def(ABSENCE_COLUMNS, "hours").max, 400);
  assert.equal(def(LINE_COLUMNS, "label").maxLength, 60);
  // A salary the old column limit (1 000 000) refused and the engine takes is now built; one over the schema's is
  // refused on its cell by the workbook, before the engine.
  const ok = buildMonth({
    period: P,
    employees: employeesSheet([employee("001", { monthlySalary: 2_000_000 })]),
    variables: variablesSheetData(P, [variables("001", { mealTickets: "" })]),
  });
  assert.equal(ok.inputs[0]?.employee.monthlySalary, 2_000_000);
  assert.ok(validatePayslipInput(ok.inputs[0]).ok);
  const over = buildMonth({
    period: P,
    employees: employeesSheet([employee("001", { monthlySalary: MAX_EUROS + 1 })]),
    variables: variablesSheetData(P, [variables("001")]),
  });
  assert.equal(over.inputs.length, 0);
  const issue = over.issues.find((i) => i.severity === "error");
  assert.equal(issue?.address, at(EMPLOYEE_COLUMNS, "monthlySalary", 2));
});
