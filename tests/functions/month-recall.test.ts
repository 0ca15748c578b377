/**
 * A recall end to end on the embedded local stack (issue 12 item 4, "a recall in the next month"): the sample
 * workbook with a `Rappels 2025-08` sheet — 150,00 € of July's salary for D001 — goes through `paie month`
 * (validate → calculate → submit → documents → mails); the stored payslip PDF, read with poppler, prints the line.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import ExcelJS from "exceljs";
import { RECALL_COLUMNS } from "../../addin/workbook/columns.ts";
import { runMonthFile } from "../../bin/month.ts";
import { DEMO_PERIOD } from "../support/demo.ts";

const SAMPLE = path.resolve(import.meta.dirname, "../../samples/demo-workbook-2025-08.xlsx");

test("paie month with a Rappels row: D001's stored payslip prints « Rappel de salaire de juillet 2025 »", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "month-recall-"));
  const file = path.join(dir, "classeur.xlsx");
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(readFileSync(SAMPLE) as unknown as ExcelJS.Buffer);
  const sheet = book.addWorksheet(`Rappels ${DEMO_PERIOD}`);
  sheet.addRow(RECALL_COLUMNS.map((c) => c.header));
  sheet.addRow(["D001", "2025-07", "Salaire de base", 150, "Augmentation de juillet"]);
  await book.xlsx.writeFile(file);

  const out = path.join(dir, "out");
  const log: string[] = [];
  const summary = await runMonthFile(file, { out, log: (l) => log.push(l) });
  assert.equal(summary.status, "mailed", log.join("\n"));
  const slips = path.join(out, DEMO_PERIOD, "v1", "payslips");
  const d001 = readdirSync(slips).filter((f) => f.includes("D001"));
  assert.equal(d001.length, 1, readdirSync(slips).join(", "));
  const text = execFileSync("pdftotext", ["-layout", path.join(slips, d001[0]!), "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
  assert.match(text, /Rappel de salaire de juillet 2025 150,00/);
  // The others' payslips carry no recall.
  for (const f of readdirSync(slips).filter((f) => !f.includes("D001"))) {
    const other = execFileSync("pdftotext", [path.join(slips, f), "-"], { encoding: "utf8" });
    assert.doesNotMatch(other, /Rappel de salaire/, f);
  }
});
