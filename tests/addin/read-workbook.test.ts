/**
 * A real `.xlsx` read as the pane reads the open workbook (bin/read-workbook.ts): the demo month written by ExcelJS
 * gives the same sheets and the same month as the tables Excel returns; hostile files give located French issues.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import ExcelJS from "exceljs";
import { buildMonth } from "../../addin/workbook/build.ts";
import { EMPLOYEE_COLUMNS, VARIABLE_COLUMNS } from "../../addin/workbook/columns.ts";
import { REPRISE_COLUMNS, REPRISE_SHEET } from "../../addin/workbook/reprise.ts";
import { buildMonthFromXlsx, describeIssue, monthsIn, readXlsxWorkbook } from "../../bin/read-workbook.ts";
import { DEMO_PERIOD, demoEngineCompany, demoWorkbook } from "../support/demo.ts";
import { type TableSheet, writeTablesXlsx } from "../support/xlsx.ts";

const employees = (values = demoWorkbook.employees): TableSheet => ({ name: "Salariés", values, columns: EMPLOYEE_COLUMNS });
const variables = (values = demoWorkbook.variables): TableSheet => ({ name: `Variables ${DEMO_PERIOD}`, values, columns: VARIABLE_COLUMNS });
const repriseTable = (demoWorkbook as unknown as { reprise: unknown[][] }).reprise;
const reprise: TableSheet = { name: REPRISE_SHEET, values: repriseTable, columns: REPRISE_COLUMNS };
const withCell = (table: unknown[][], row: number, header: string, value: unknown) =>
  table.map((r, i) => (i === row ? r.map((v, c) => (table[0]![c] === header ? value : v)) : r));

test("the demo month written as a real .xlsx reads back as Excel's values, and builds the same month", async () => {
  const bytes = await writeTablesXlsx([employees(), variables(), reprise]);
  const read = await readXlsxWorkbook(bytes);
  assert.deepEqual(read.issues, []);
  assert.deepEqual(read.sheets.get("salariés"), { name: "Salariés", values: demoWorkbook.employees, rowIndex: 0, columnIndex: 0 });
  assert.deepEqual(read.sheets.get(`variables ${DEMO_PERIOD}`)?.values, demoWorkbook.variables);
  assert.deepEqual(read.sheets.get("reprise")?.values, repriseTable);
  // The entry date 41275 was a date cell (dd/mm/yyyy): it comes back as its serial, as Range.values gives it.
  assert.equal(read.sheets.get("salariés")?.values[1]?.[6], 41275);
  assert.deepEqual(monthsIn(read), [DEMO_PERIOD]);

  const fromXlsx = await buildMonthFromXlsx(bytes, { company: demoEngineCompany });
  const fromTables = buildMonth({
    period: DEMO_PERIOD,
    employees: { name: "Salariés", values: demoWorkbook.employees as never, rowIndex: 0, columnIndex: 0 },
    variables: { name: `Variables ${DEMO_PERIOD}`, values: demoWorkbook.variables as never, rowIndex: 0, columnIndex: 0 },
    reprise: { name: REPRISE_SHEET, values: repriseTable as never, rowIndex: 0, columnIndex: 0 },
    company: demoEngineCompany,
  });
  assert.equal(fromXlsx.period, DEMO_PERIOD);
  // The opening cumuls of the Reprise sheet reached the inputs: every employee but D005, hired in August.
  assert.deepEqual(
    fromXlsx.build?.inputs.filter((i) => i.carry === undefined).map((i) => i.employee.id),
    ["D005"],
  );
  assert.equal(fromXlsx.build?.inputs.length, 6);
  assert.deepEqual(fromXlsx.build?.inputs, fromTables.inputs);
  assert.deepEqual(fromXlsx.build?.staff, fromTables.staff);
  assert.deepEqual(fromXlsx.issues, fromTables.issues);
});

test("a table away from A1, a 1904 workbook, hyperlinks, rich text, merged cells and formulas read as Excel gives them", async () => {
  const bytes = await writeTablesXlsx([{ ...employees(), at: { row: 2, col: 1 } }, variables()], { date1904: true });
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  const ws = workbook.getWorksheet("Salariés")!;
  ws.getCell("F4").value = { text: "elodie.rossi@demo.example", hyperlink: "mailto:elodie.rossi@demo.example" };
  ws.getCell("C5").value = { richText: [{ text: "Bian", font: { bold: true } }, { text: "chi" }] };
  ws.getCell("U4").value = { formula: "3700+25.64", result: 3725.64 };
  const extra = workbook.addWorksheet("Notes");
  extra.getCell("B2").value = "note";
  extra.mergeCells("B2:C3");
  extra.getCell("D4").value = "fin";
  const read = await readXlsxWorkbook(new Uint8Array(await workbook.xlsx.writeBuffer()));
  assert.deepEqual(read.issues, []);
  const staff = read.sheets.get("salariés")!;
  assert.deepEqual([staff.rowIndex, staff.columnIndex], [2, 1]);
  assert.deepEqual(staff.values, demoWorkbook.employees, "hyperlink, rich text and formula give their text and value; dates the 1900 serial");
  assert.deepEqual(read.sheets.get("notes"), {
    name: "Notes",
    values: [
      ["note", "", ""],
      ["", "", ""],
      ["", "", "fin"],
    ],
    rowIndex: 1,
    columnIndex: 1,
  });
  const month = await buildMonthFromXlsx(new Uint8Array(await workbook.xlsx.writeBuffer()), { company: demoEngineCompany });
  assert.equal(month.build?.inputs.length, 6);
  // Issues name the cells where they are, table offset included.
  assert.equal(month.build?.employees[0]?.employeeRow?.address, "B4");
});

test("a date typed as text that does not exist is refused with its cell, in the pane's words", async () => {
  const month = await buildMonthFromXlsx(await writeTablesXlsx([employees(withCell(demoWorkbook.employees, 5, "Date d'entrée", "31/02/2025")), variables()]), {
    company: demoEngineCompany,
  });
  const errors = month.issues.filter((i) => i.severity === "error");
  assert.deepEqual(errors.map(describeIssue), ["Salariés G6 Date d'entrée : « 31/02/2025 » n'est pas une date qui existe."]);
  assert.equal(month.build?.inputs.length, 5, "the other employees are still built");
});

test("a formula error is the pane's Excel-error issue at its cell; a formula never calculated is named, not guessed", async () => {
  const bytes = await writeTablesXlsx([employees(), variables()]);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  const ws = workbook.getWorksheet(`Variables ${DEMO_PERIOD}`)!;
  const hs125 = (demoWorkbook.variables[0] as string[]).indexOf("HS 125");
  ws.getCell(2, hs125 + 1).value = { formula: "4.5/0", result: { error: "#DIV/0!" } };
  ws.getCell(3, hs125 + 1).value = { formula: "2+2" } as ExcelJS.CellFormulaValue;
  const month = await buildMonthFromXlsx(new Uint8Array(await workbook.xlsx.writeBuffer()), { company: demoEngineCompany });
  const col = String.fromCharCode(65 + hs125);
  assert.deepEqual(month.issues.filter((i) => i.severity === "error").map(describeIssue), [
    `Variables 2025-08 ${col}3 Formule jamais calculée (=2+2) : ouvrez le classeur dans Excel et enregistrez-le, ou saisissez la valeur.`,
    `Variables 2025-08 ${col}2 HS 125 : la cellule contient l'erreur Excel #DIV/0! : corrigez la formule ou saisissez une valeur.`,
  ]);
});

test("a missing sheet, a file that is not a workbook and a workbook without a month are located French issues", async () => {
  const noStaff = await buildMonthFromXlsx(await writeTablesXlsx([variables()]));
  assert.deepEqual(noStaff.issues.filter((i) => i.severity === "error").map(describeIssue), [
    "Salariés Feuille « Salariés » introuvable : lancez « Préparer ».",
  ]);
  assert.equal(noStaff.build?.inputs.length, 0);

  for (const bytes of [new TextEncoder().encode("Matricule;Nom\nD001;Rossi\n"), new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])]) {
    const notXlsx = await buildMonthFromXlsx(bytes);
    assert.equal(notXlsx.build, undefined);
    assert.equal(notXlsx.issues.length, 1);
    assert.equal(notXlsx.issues[0]?.code, "not-xlsx");
    assert.match(
      notXlsx.issues[0]?.message ?? "",
      /^Le fichier n'est pas un classeur Excel \(\.xlsx\) lisible \(ni un \.xlsx enregistré par Excel, ni un \.xlsx complet\)\. Enregistrez-le au format « Classeur Excel \(\.xlsx\) »\.$/,
    );
  }

  const noMonth = await buildMonthFromXlsx(await writeTablesXlsx([employees()]));
  assert.deepEqual(noMonth.issues.map(describeIssue), ["Aucune feuille « Variables AAAA-MM » : indiquez le mois ou lancez « Préparer » dans Excel."]);
  const asked = await buildMonthFromXlsx(await writeTablesXlsx([employees()]), { period: "2025-09" });
  assert.ok(asked.issues.some((i) => describeIssue(i) === "Variables 2025-09 Feuille « Variables 2025-09 » introuvable : lancez « Préparer »."));
});
