/**
 * Writes the export tables of shared/documents/spreadsheet.ts as an `.xlsx` package with ExcelJS (pinned in
 * package.json), which owns the SpreadsheetML: parts, relationships, shared strings, styles.
 *
 * Numbers: each cell gets the double that its exact decimal text denotes (`3439.49`, parsed once from the scaled
 * integer), the value Excel itself would store if the amount were typed; no arithmetic is done on it. Formats are
 * Excel codes ("#,##0.00"…), which Excel displays with the reader's locale: "3 439,49" in a French Excel.
 * Text is always a string cell, never a formula; formula-like text ("=…", "@…", shared/documents/formula-cells.ts)
 * also gets the Text number format "@", so it stays text when someone edits the cell (ExcelJS cannot write
 * quotePrefix; a Text-formatted cell gives the same protection in Excel).
 * Reproducible bytes: ExcelJS stamps its zip entries with the current time, so the parts it wrote are re-packed
 * with fflate under one fixed date, and the document dates are fixed too (re-running a period rewrites the same
 * content, functions/payroll/documents.ts).
 * Cost, measured (`npm run bench -- documents`, 300 employees, CPU ms, hand-written writer → ExcelJS): journal
 * 121–181 → 461–493, statement 13–14 → 80–99, provision 133–135 → 459–487, about 0.8 s more per month's run,
 * loading ExcelJS included; a background job pays it once per company month, so the maintained library is kept.
 */
import ExcelJS from "exceljs";
import { unzipSync, zipSync } from "fflate";
import { formatScaled } from "../../shared/core/format.ts";
import { isFormulaLike } from "../../shared/documents/formula-cells.ts";
import type { Cell, ScaledNumber, Sheet } from "../../shared/documents/spreadsheet.ts";

const NUMBER_FORMATS: Record<ScaledNumber["format"], string> = {
  money: "#,##0.00",
  dec2: "0.00",
  rate: "0.00##",
  int: "0",
};
const TEXT_FORMAT = "@";

/** Zip entries cannot be dated before 1980; a constant keeps the bytes stable. */
const FIXED_DATE = new Date(Date.UTC(1980, 0, 1, 12, 0, 0));

/** Excel refuses []:*?/\ in a tab name, more than 31 characters, and two names equal but for case. */
export function safeSheetName(name: string, used: Set<string>): string {
  const base =
    name
      .replace(/[[\]:*?/\\]/g, " ")
      .slice(0, 31)
      .trim() || "Feuille";
  let candidate = base;
  for (let i = 2; used.has(candidate.toLowerCase()); i++) candidate = `${base.slice(0, 28)} ${i}`;
  used.add(candidate.toLowerCase());
  return candidate;
}

/** The number an exact scaled integer denotes, through its decimal text (no float arithmetic on money). */
export function scaledValue(cell: ScaledNumber): number {
  return Number(formatScaled(cell.scaled, cell.scale, cell.scale, { group: "", decimal: "." }));
}

function fill(target: ExcelJS.Cell, cell: Cell, bold: boolean): void {
  if (cell === null || cell === undefined || cell === "") return;
  if (typeof cell === "string") {
    target.value = cell;
    if (isFormulaLike(cell)) target.numFmt = TEXT_FORMAT;
  } else {
    target.value = scaledValue(cell);
    target.numFmt = NUMBER_FORMATS[cell.format];
  }
  target.font = bold ? { name: "Calibri", size: 10, bold: true } : { name: "Calibri", size: 10 };
}

/** Re-packs the parts ExcelJS wrote, in its order, under the fixed date. */
function reproducible(bytes: Uint8Array): Uint8Array {
  return zipSync(unzipSync(bytes), { level: 6, mtime: FIXED_DATE });
}

export async function writeXlsx(sheets: readonly Sheet[]): Promise<Uint8Array> {
  if (sheets.length === 0) throw new Error("writeXlsx: at least one sheet is required");
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Paie Monaco";
  workbook.created = FIXED_DATE;
  workbook.modified = FIXED_DATE;
  const used = new Set<string>();
  for (const sheet of sheets) {
    const ws = workbook.addWorksheet(safeSheetName(sheet.name, used));
    sheet.columnWidths?.forEach((width, i) => {
      ws.getColumn(i + 1).width = width;
    });
    sheet.rows.forEach((row, r) => {
      const target = ws.getRow(r + 1);
      row.cells.forEach((cell, c) => {
        fill(target.getCell(c + 1), cell, row.bold === true);
      });
    });
  }
  return reproducible(new Uint8Array(await workbook.xlsx.writeBuffer()));
}
