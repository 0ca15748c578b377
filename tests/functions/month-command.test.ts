/**
 * `paie month FILE.xlsx` (issue 12 item 6): a real workbook's month end to end on the embedded local stack. The
 * sample ships as a real .xlsx (samples/demo-workbook-2025-08.xlsx: Salariés, Variables, Absences, Reprise); the
 * command writes the documents, the .eml files and a COPY of the workbook with the result sheets; the original is
 * untouched. A broken workbook stops before anything is stored, naming the cell in the pane's words.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import ExcelJS from "exceljs";
import { EMPLOYEE_COLUMNS, VARIABLE_COLUMNS } from "../../addin/workbook/columns.ts";
import { main } from "../../bin/cli.ts";
import { runMonthFile } from "../../bin/month.ts";
import { DEMO_PERIOD, demoWorkbook } from "../support/demo.ts";
import { readXlsx, writeTablesXlsx } from "../support/xlsx.ts";

const SAMPLE = path.resolve(import.meta.dirname, "../../samples/demo-workbook-2025-08.xlsx");
const sha = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

test("the sample workbook's month: documents, mails and a copy of the workbook with its results", async () => {
  const out = mkdtempSync(path.join(tmpdir(), "month-out-"));
  const before = sha(SAMPLE);
  const lines: string[] = [];
  const summary = await runMonthFile(SAMPLE, { out, log: (l) => lines.push(l) });
  assert.equal(sha(SAMPLE), before, "the original workbook is not touched");
  assert.equal(summary.status, "mailed");
  assert.equal(summary.mails.sent, 6);
  assert.equal(readdirSync(path.join(out, "outbox")).filter((f) => f.endsWith(".eml")).length, 7, "6 payslips and the admins' summary");
  assert.equal(readdirSync(path.join(out, DEMO_PERIOD, "v1", "payslips")).length, 6);
  assert.ok(existsSync(path.join(out, DEMO_PERIOD, "v1", "dsm.xml")));

  // The copy holds the month's result sheets, as Calculate writes them in Excel, and still its own sheets.
  const sheets = await readXlsx(new Uint8Array(readFileSync(summary.workbook)));
  const names = sheets.map((s) => s.name);
  for (const n of [
    "Salariés",
    `Variables ${DEMO_PERIOD}`,
    "Reprise",
    `Bulletins ${DEMO_PERIOD}`,
    `Détail ${DEMO_PERIOD}`,
    `Charges ${DEMO_PERIOD}`,
    `Journal ${DEMO_PERIOD}`,
  ]) {
    assert.ok(names.includes(n), `${n} in ${names.join(", ")}`);
  }
  const slips = sheets.find((s) => s.name === `Bulletins ${DEMO_PERIOD}`)!;
  const rows = [...slips.rows.values()];
  assert.equal(rows.length, 7, "header and six employees");
  assert.equal(rows[0]![0], "Matricule");
  assert.deepEqual(
    rows
      .slice(1)
      .map((r) => r[0])
      .sort(),
    ["D001", "D002", "D003", "D004", "D005", "D006"],
  );
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(readFileSync(summary.workbook) as unknown as ExcelJS.Buffer);
  assert.equal(book.getWorksheet(`Cumuls ${DEMO_PERIOD}`)?.state, "hidden", "next month's carry, hidden as in Excel");
  assert.ok(
    lines.some((l) => l.includes("Classeur avec les résultats")),
    lines.join("\n"),
  );
});

test("a workbook with an impossible date stops before anything is stored, naming the cell", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "month-bad-"));
  const file = path.join(dir, "classeur.xlsx");
  const col = (demoWorkbook.employees[0] as string[]).indexOf("Date d'entrée");
  const employees = demoWorkbook.employees.map((r, i) => (i === 5 ? r.map((v, c) => (c === col ? "31/02/2025" : v)) : r));
  writeFileSync(
    file,
    await writeTablesXlsx([
      { name: "Salariés", values: employees, columns: EMPLOYEE_COLUMNS },
      { name: `Variables ${DEMO_PERIOD}`, values: demoWorkbook.variables, columns: VARIABLE_COLUMNS },
    ]),
  );
  const out: string[] = [];
  const code = await main(["month", file, "--out", path.join(dir, "out")], (l) => out.push(l));
  assert.equal(code, 1);
  assert.ok(out.includes("    ✗ Salariés G6 Date d'entrée : « 31/02/2025 » n'est pas une date qui existe."), out.join("\n"));
  assert.match(out.at(-1)!, /^1 erreur\(s\) dans classeur\.xlsx : rien n'a été soumis\.$/);
  assert.ok(!existsSync(path.join(dir, "out")), "nothing written");
});

test("usage and missing files are said in French", async () => {
  const out: string[] = [];
  assert.equal(await main(["month"], (l) => out.push(l)), 2);
  assert.match(out[0]!, /^Usage : paie month CLASSEUR\.xlsx/);
  assert.equal(await main(["month", "/nonexistent/x.xlsx"], (l) => out.push(l)), 1);
  assert.equal(out.at(-1), "Classeur introuvable : /nonexistent/x.xlsx");
  assert.equal(await main(["month", "/nonexistent/x.xlsx", "--period", "2025-13"], (l) => out.push(l)), 1);
  assert.equal(out.at(-1), "--period « 2025-13 » : un mois AAAA-MM est attendu (par exemple 2025-08).");
});
