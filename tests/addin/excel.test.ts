import assert from "node:assert/strict";
import { test } from "node:test";
import { MARK_PREFIX, safeCell } from "../../addin/excel/io.ts";
import { FILL } from "../../addin/excel/marks.ts";
import { calculateWorkbook, prepareWorkbook, selectCell, validateWorkbook } from "../../addin/excel/operations.ts";
import { columnLetter } from "../../addin/workbook/cells.ts";
import { ABSENCE_COLUMNS, EMPLOYEE_COLUMNS, VARIABLE_COLUMNS } from "../../addin/workbook/columns.ts";
import { REPRISE_COLUMNS } from "../../addin/workbook/reprise.ts";
import { mockExcel } from "../support/fake-office/mock.ts";
import { FakeWorkbook } from "../support/fake-office/model.ts";
import { fakeCompute } from "./engine-double.ts";
import { bigWorkbook, employee, table, variables } from "./fixtures.ts";

const P = "2025-03";
const SENTINELS = ["Error, property was not loaded", "Error, context.sync() was not called"];

function noSentinels(wb: FakeWorkbook) {
  const text = JSON.stringify(wb.sheets.map((s) => s.cells)) + JSON.stringify(wb.comments);
  for (const s of SENTINELS) assert.ok(!text.includes(s), `sentinel leaked: ${s}`);
}

/** Each operation is one Excel.run: a fresh context (and fresh mock) over the same workbook. */
async function run<T>(wb: FakeWorkbook, op: (ctx: Excel.RequestContext) => Promise<T>): Promise<{ out: T; syncs: number }> {
  const { context, syncs } = mockExcel(wb);
  const out = await op(context);
  return { out, syncs: syncs() };
}

function workbookWith(emps: ReturnType<typeof employee>[], vars: ReturnType<typeof variables>[]) {
  const wb = new FakeWorkbook();
  wb.addSheet("Salariés", table(EMPLOYEE_COLUMNS, emps) as never);
  wb.addSheet(`Variables ${P}`, table(VARIABLE_COLUMNS, vars) as never);
  return wb;
}

test("prepare creates the six sheets as tables with lists, formats and a frozen header, in 3 syncs", async () => {
  const wb = new FakeWorkbook();
  const { out, syncs } = await run(wb, (c) => prepareWorkbook(c, P));
  assert.equal(syncs, 3);
  assert.deepEqual(out.created, ["Salariés", `Variables ${P}`, `Lignes ${P}`, `Absences ${P}`, `Rappels ${P}`, "Reprise"]);
  const s = wb.sheet("Salariés")!;
  assert.deepEqual(
    s.cells[0],
    EMPLOYEE_COLUMNS.map((d) => d.header),
  );
  assert.equal(s.frozenRows, 1);
  assert.deepEqual(s.tables, [{ name: "T_Salaries", address: `A1:${String.fromCharCode(64 + EMPLOYEE_COLUMNS.length)}2` }]);
  assert.equal(s.numberFormat.get("A2"), "@");
  assert.equal(s.numberFormat.get("G2"), "dd/mm/yyyy");
  const catCol = EMPLOYEE_COLUMNS.findIndex((d) => d.key === "category");
  assert.ok(s.validation.some((v) => v.source === "Cadre,Non-cadre" && v.address === `${String.fromCharCode(65 + catCol)}2`));
  assert.equal(wb.sheet(`Variables ${P}`)!.tables[0]!.name, "T_Variables_2025_03");
  // The absences template: one row per absence, types as a drop-down, dates and hours formatted.
  const a = wb.sheet(`Absences ${P}`)!;
  assert.deepEqual(a.cells[0], ["Matricule", "Type", "Du", "Au", "Heures", "Maintien", "Remarque"]);
  assert.deepEqual(a.tables, [{ name: "T_Absences_2025_03", address: "A1:G2" }]);
  assert.equal(a.frozenRows, 1);
  assert.deepEqual(a.validation, [{ address: "B2", source: "Maladie,Accident du travail,Maternité,Paternité,Non payée,Congé sans solde,Événement familial" }]);
  assert.deepEqual(
    ["A2", "C2", "D2", "E2", "F2"].map((c) => a.numberFormat.get(c)),
    ["@", "dd/mm/yyyy", "dd/mm/yyyy", "0.00", "#,##0.00"],
  );
  assert.equal(ABSENCE_COLUMNS.length, 7);
  // The recalls template: one row per rappel, the recalled rubric as a drop-down, the period kept as text.
  const rp = wb.sheet(`Rappels ${P}`)!;
  assert.deepEqual(rp.cells[0], ["Matricule", "Période concernée", "Rubrique", "Montant", "Libellé"]);
  assert.deepEqual(rp.tables, [{ name: "T_Rappels_2025_03", address: "A1:E2" }]);
  assert.deepEqual(rp.validation, [
    {
      address: "C2",
      source:
        "Salaire de base,Prime d'ancienneté,Heures supplémentaires 125 %,Heures supplémentaires 150 %,Heures complémentaires,Prime,Prime exceptionnelle,13e mois,Commissions",
    },
  ]);
  assert.deepEqual(
    ["A2", "B2", "D2"].map((c) => rp.numberFormat.get(c)),
    ["@", "@", "#,##0.00"],
  );
  // The takeover template: one row per employee, the opening cumuls as of a month's end.
  const r = wb.sheet("Reprise")!;
  assert.deepEqual(
    r.cells[0],
    REPRISE_COLUMNS.map((d) => d.header),
  );
  assert.deepEqual(r.cells[0]!.slice(0, 3), ["Matricule", "Arrêté au", "Brut cumulé"]);
  assert.equal(r.tables[0]!.name, "T_Reprise");
  assert.deepEqual(
    ["A2", "B2", "C2"].map((c) => r.numberFormat.get(c)),
    ["@", "dd/mm/yyyy", "#,##0.00"],
  );
  noSentinels(wb);
});

test("prepare adds the absences sheet to a month prepared before it existed, and validate reads it", async () => {
  const wb = workbookWith([employee("001")], [variables("001")]);
  wb.addSheet(`Lignes ${P}`, [["Matricule", "Code rubrique", "Libellé", "Quantité", "Taux", "Montant"]] as never);
  const { out } = await run(wb, (c) => prepareWorkbook(c, P));
  assert.deepEqual(out.created, [`Absences ${P}`, `Rappels ${P}`, "Reprise"]);
  wb.write(`Absences ${P}`, 1, 0, [
    ["001", "Maladie", "03/03/2025", "04/03/2025", 15.6, ""],
    ["001", "Non payée", "04/03/2025", "04/03/2025", 7.8, ""],
  ]);
  const { out: checked, syncs } = await run(wb, (c) => validateWorkbook(c, P));
  assert.equal(syncs, 3);
  const overlap = checked.build.issues.find((i) => i.code === "absence-overlap")!;
  assert.equal(overlap.sheet, `Absences ${P}`);
  assert.equal(overlap.address, "C3");
  assert.equal(wb.sheet(`Absences ${P}`)!.fill.get("C3"), FILL.error);
  assert.deepEqual(checked.build.inputs, []);
});

test("validate reads the Rappels sheet: a recall for a future month is refused on its cell, a valid one reaches the input", async () => {
  const wb = workbookWith([employee("001"), employee("002")], [variables("001"), variables("002")]);
  await run(wb, (c) => prepareWorkbook(c, P));
  wb.write(`Rappels ${P}`, 1, 0, [
    ["001", "2025-02", "Salaire de base", 150, "Augmentation de février"],
    ["002", "2025-04", "Prime", 50, ""],
  ]);
  const { out: checked } = await run(wb, (c) => validateWorkbook(c, P));
  const future = checked.build.issues.find((i) => i.code === "recall-not-past")!;
  assert.equal(future.sheet, `Rappels ${P}`);
  assert.equal(future.address, "B3");
  assert.equal(future.column, "Période concernée");
  assert.equal(wb.sheet(`Rappels ${P}`)!.fill.get("B3"), FILL.error);
  assert.deepEqual(
    checked.build.inputs.map((i) => [i.employee.id, i.variables?.recalls]),
    [["001", [{ period: "2025-02", rubric: "0003", amount: 150, label: "Augmentation de février" }]]],
  );
});

test("prepare pre-fills a new month from last month, dropping leavers, and repairs renamed/missing columns", async () => {
  const wb = new FakeWorkbook();
  const emps = [employee("001"), employee("002", { exitDate: "15/02/2025" }), employee("003", { hireDate: "01/05/2025" })];
  wb.addSheet(
    "Salariés",
    table(EMPLOYEE_COLUMNS, emps)
      .map((r, i) => (i === 0 ? r.map((h) => (h === "Heures contrat" ? "Base heures" : h)) : r))
      .map((r) => r.slice(0, -1)) as never,
  );
  wb.addSheet("Variables 2025-02", table(VARIABLE_COLUMNS, [variables("001", { housing: 500, overtime125: 9 }), variables("002")]) as never);
  const { out, syncs } = await run(wb, (c) => prepareWorkbook(c, P));
  assert.equal(syncs, 3);
  assert.deepEqual(out.repaired, ["Salariés"]);
  assert.equal(out.prefilledFrom, "Variables 2025-02");
  const head = wb.sheet("Salariés")!.cells[0]!;
  assert.ok(head.includes("Heures contrat") && !head.includes("Base heures"));
  assert.equal(head.at(-1), "Remise papier");
  const rows = wb.records(`Variables ${P}`);
  assert.deepEqual(
    rows.map((r) => r.Matricule),
    ["001"],
  );
  assert.equal(rows[0]!["Avantage logement"], 500);
  assert.equal(rows[0]!["HS 125"], "");
});

test("validate: 1,000 employees in 3 syncs; errors marked with fill and comment; fixing clears the marks", async () => {
  const { emps, vars } = bigWorkbook(1000);
  emps[10]!.monthlySalary = "deux mille";
  vars[20]!.absenceHours = 12;
  const wb = workbookWith(emps, vars);
  wb.addComment("Salariés", "B3", "Note de la gestionnaire");
  const first = await run(wb, (c) => validateWorkbook(c, P));
  assert.ok(first.syncs <= 6, `syncs ${first.syncs}`);
  assert.equal(first.syncs, 3);
  const errors = first.out.build.issues.filter((i) => i.severity === "error");
  assert.deepEqual(errors.map((i) => `${i.sheet}!${i.address}:${i.code}`).sort(), [`Salariés!T12:invalid-value`, `Variables ${P}!I22:absence-kind-missing`]);
  assert.equal(wb.sheet("Salariés")!.fill.get("T12"), FILL.error);
  const comment = wb.comments.find((c) => c.sheet === "Salariés" && c.address === "T12")!;
  assert.ok(comment.content.startsWith(MARK_PREFIX) && comment.content.includes("deux mille"));
  assert.ok(wb.comments.some((c) => c.content === "Note de la gestionnaire"));
  assert.equal(first.out.build.inputs.length, 998);
  noSentinels(wb);

  wb.write("Salariés", 11, 19, [[3000]]);
  wb.write(`Variables ${P}`, 21, 8, [["Maladie"]]);
  const second = await run(wb, (c) => validateWorkbook(c, P));
  assert.equal(second.syncs, 3);
  assert.deepEqual(
    second.out.build.issues.filter((i) => i.severity === "error"),
    [],
  );
  assert.equal(wb.sheet("Salariés")!.fill.get("T12"), undefined);
  assert.ok(!wb.comments.some((c) => c.content.startsWith(MARK_PREFIX) && c.address === "T12"));
  assert.ok(
    wb.comments.some((c) => c.content === "Note de la gestionnaire"),
    "the user's comment is kept",
  );
  assert.equal(second.out.build.inputs.length, 1000);
});

test("a cell holding the user's comment gets the colour but not a second comment", async () => {
  const wb = workbookWith([employee("001", { monthlySalary: "x" })], [variables("001")]);
  wb.addComment("Salariés", "T2", "à voir avec le client");
  const { out } = await run(wb, (c) => validateWorkbook(c, P));
  assert.equal(out.marked, 1);
  assert.equal(wb.sheet("Salariés")!.fill.get("T2"), FILL.error);
  assert.deepEqual(
    wb.comments.map((c) => c.content),
    ["à voir avec le client"],
  );
});

test("calculate: 1,000 employees read, computed and written as whole ranges in ≤ 6 syncs", async () => {
  const { emps, vars } = bigWorkbook(1000);
  const wb = workbookWith(emps, vars);
  const { out, syncs } = await run(wb, (c) => calculateWorkbook(c, P, fakeCompute));
  assert.ok(syncs <= 6, `syncs ${syncs}`);
  assert.equal(out.written, true);
  assert.equal(out.results.length, 1000);
  const slips = wb.records(`Bulletins ${P}`);
  assert.equal(slips.length, 1000);
  assert.equal(slips[0]!.Matricule, "00001");
  assert.equal(slips[0]!.Brut, out.results[0]!.result.gross / 100);
  const sumNet = slips.reduce((s, r) => s + Math.round(Number(r["Net payé"]) * 100), 0);
  assert.equal(sumNet, out.totals.netPaid);
  const journal = wb.records(`Journal ${P}`);
  const debit = journal.reduce((s, r) => s + Math.round(Number(r.Débit || 0) * 100), 0);
  const credit = journal.reduce((s, r) => s + Math.round(Number(r.Crédit || 0) * 100), 0);
  assert.equal(debit, credit);
  assert.ok(!journal.some((r) => r.Compte === "471000"));
  assert.equal(
    wb.records(`Détail ${P}`).length,
    out.results.reduce((n, r) => n + r.result.lines.length + r.result.afterNet.length + r.result.contributions.length, 0),
  );
  assert.equal(wb.sheet(`Cumuls ${P}`)!.visibility, "Hidden");
  noSentinels(wb);

  // Next month reads this month's carry; a second calculation of the same month replaces the sheets.
  const again = await run(wb, (c) => calculateWorkbook(c, P, fakeCompute));
  assert.ok(again.syncs <= 6);
  assert.equal(wb.sheets.filter((s) => s.name === `Bulletins ${P}`).length, 1);
});

test("calculate refuses to write when validation has errors or the engine refuses an employee", async () => {
  const wb = workbookWith([employee("001"), employee("002", { monthlySalary: 950_000 })], [variables("001"), variables("002")]);
  const { out } = await run(wb, (c) => calculateWorkbook(c, P, fakeCompute));
  assert.equal(out.written, false);
  assert.equal(out.refused.length, 1);
  assert.equal(out.refused[0]!.employeeId, "002");
  // The engine's path employee.monthlySalary is shown on the salary's own cell of Salariés (row 3), not on the row.
  const salary = columnLetter(EMPLOYEE_COLUMNS.findIndex((d) => d.key === "monthlySalary"));
  assert.equal(out.refused[0]!.sheet, "Salariés");
  assert.equal(out.refused[0]!.address, `${salary}3`);
  assert.equal(out.refused[0]!.column, "Salaire mensuel");
  assert.equal(wb.sheet(`Bulletins ${P}`), undefined);
  assert.equal(wb.sheet("Salariés")!.fill.get(`${salary}3`), FILL.error);
});

test("formula-like text is written as text, never evaluated", async () => {
  const wb = workbookWith([employee("001", { lastName: '=HYPERLINK("http://evil","x")' })], [variables("001")]);
  await run(wb, (c) => calculateWorkbook(c, P, fakeCompute));
  assert.equal(wb.records(`Bulletins ${P}`)[0]!.Nom, '=HYPERLINK("http://evil","x")');
});

test("the workbook writes use the exports' formula rule: =, +, -, @, tab, CR lead to text; a plain negative number stays", () => {
  for (const t of ["=1+1", "+cmd", "-1+2", "-A1", "@SUM(A1)", "\t=1", "\r=1"]) assert.equal(safeCell(t), `'${t}`, JSON.stringify(t));
  for (const t of ["-5", "-12,50", "-3.25", "Dupont", "1+1"]) assert.equal(safeCell(t), t);
});

test("selectCell activates the sheet and selects the cell in one sync", async () => {
  const wb = workbookWith([employee("001")], [variables("001")]);
  const { syncs } = await run(wb, (c) => selectCell(c, "Salariés", "T2"));
  assert.equal(syncs, 1);
  assert.deepEqual(wb.selection, { sheet: "Salariés", address: "T2" });
  assert.equal(wb.active, "Salariés");
});
