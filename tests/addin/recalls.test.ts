/**
 * The `Rappels AAAA-MM` table, from the sheet to the payslip: a recall row becomes the engine's recall and a gross
 * line « Rappel de salaire … » computed by the real engine; bad rows are refused with their sheet, row and cell, and
 * their employee is not calculated until they are fixed.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { buildMonth, type WorkbookSnapshot } from "../../addin/workbook/build.ts";
import { RECALL_COLUMNS } from "../../addin/workbook/columns.ts";
import { originOf } from "../../addin/workbook/origins.ts";
import { computePayslip } from "../../shared/engine/compute.ts";
import { employee, employeesSheet, type Row, table, variablesSheetData } from "./fixtures.ts";

const P = "2025-08";
const bare = (id: string): Row => ({ id, lastName: `NOM${id}`, firstName: "Prénom" });
const recallsSheetData = (period: string, rows: Row[]) => ({ name: `Rappels ${period}`, values: table(RECALL_COLUMNS, rows), rowIndex: 0, columnIndex: 0 });

function month(recalls: Row[], ids = ["001", "002"]) {
  const snapshot: WorkbookSnapshot = {
    period: P,
    employees: employeesSheet(ids.map((id) => employee(id))),
    variables: variablesSheetData(P, ids.map(bare)),
    recalls: recallsSheetData(P, recalls),
  };
  return buildMonth(snapshot);
}
const errors = (b: ReturnType<typeof buildMonth>) =>
  b.issues.filter((i) => i.severity === "error").map((i) => `${i.sheet} ${i.address} ${i.column} : ${i.message}`);

test("a Rappels row becomes a recall line of the current month's payslip", () => {
  const build = month([
    { id: "001", period: "2025-07", rubric: "Salaire de base", amount: 150, label: "Augmentation de juillet" },
    // Excel turns a typed "07/2025" into 01/07/2025 (serial 45839): its month is the period.
    { id: "001", period: 45839, rubric: "Heures supplémentaires 125 %", amount: "-20,50" },
    { id: "002", period: "06/2025", rubric: "Prime", amount: 80 },
  ]);
  assert.deepEqual(errors(build), []);
  const input = build.inputs.find((i) => i.employee.id === "001")!;
  assert.deepEqual(input.variables?.recalls, [
    { period: "2025-07", rubric: "0003", amount: 150, label: "Augmentation de juillet" },
    { period: "2025-07", rubric: "2001", amount: -20.5 },
  ]);
  const out = computePayslip(input);
  assert.ok(out.ok, JSON.stringify(!out.ok && out.errors));
  const recalls = out.result.lines.filter((l) => l.label.startsWith("Rappel")).map((l) => [l.rubric, l.label, l.amount]);
  assert.deepEqual(recalls, [
    ["0003", "Rappel de salaire de juillet 2025", 15000],
    ["2001", "Rappel de salaire de juillet 2025", -2050],
  ]);
  // Salary 3 000,00 + 150,00 − 20,50.
  assert.equal(out.result.gross, 312950);
  assert.deepEqual(build.inputs.find((i) => i.employee.id === "002")!.variables?.recalls, [{ period: "2025-06", rubric: "2041", amount: 80 }]);
  // The engine's paths map back to the cells (an engine refusal names the cell).
  assert.equal(originOf(build.origins["001"], "variables.recalls[1].amount")?.address, "D3");
  assert.equal(originOf(build.origins["001"], "variables.recalls[0]")?.address, "B2");
});

test("bad Rappels rows are refused with sheet, cell and column, in French; their employee is not calculated", () => {
  const build = month([
    { id: "001", period: "2025-08", rubric: "Salaire de base", amount: 10 },
    { id: "001", period: "2022-12", rubric: "Salaire de base", amount: 10 },
    { id: "999", period: "2025-07", rubric: "Salaire de base", amount: 10 },
    { id: "002", period: "2025-13", rubric: "Prime de Noël", amount: "cent euros" },
    { id: "002", period: "", rubric: "Prime", amount: 0 },
  ]);
  assert.deepEqual(errors(build), [
    "Rappels 2025-08 B5 Période concernée : Période concernée : « 2025-13 » n'est pas une période qui existe.",
    `Rappels 2025-08 C5 Rubrique : Rubrique : « Prime de Noël » n'est pas une valeur permise (${RECALL_COLUMNS[2]!.list!.join(", ")}).`,
    "Rappels 2025-08 D5 Montant : Montant : « cent euros » n'est pas un nombre.",
    "Rappels 2025-08 B6 Période concernée : Période concernée : valeur obligatoire.",
    "Rappels 2025-08 B2 Période concernée : « 2025-08 » : un rappel porte sur un mois antérieur à 2025-08.",
    "Rappels 2025-08 B3 Période concernée : « 2022-12 » est avant l'entrée du salarié le 01/01/2023.",
    "Rappels 2025-08 A4 Matricule : Matricule 999 absent de la feuille Salariés.",
    "Rappels 2025-08 D6 Montant : Rappel de 0,00 € : saisissez le montant à rappeler.",
  ]);
  assert.deepEqual(
    build.inputs.map((i) => i.employee.id),
    [],
  );
});

test("a month without a Rappels sheet or rows sends no recalls", () => {
  for (const build of [month([]), buildMonth({ period: P, employees: employeesSheet([employee("001")]), variables: variablesSheetData(P, [bare("001")]) })]) {
    assert.deepEqual(errors(build), []);
    assert.equal(build.inputs[0]!.variables?.recalls, undefined);
  }
});
