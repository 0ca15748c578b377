/**
 * Reads a real `.xlsx` file (ExcelJS, pinned) into the sheets the task pane reads through Office.js, then builds the
 * month with the pane's own code (addin/workbook/month-sheets.ts): same parsing, same validation, same located
 * French issues. For the headless month (`paie month FILE.xlsx`, issue 12).
 *
 * Each sheet becomes what `getUsedRange(true).values` gives in Excel: the smallest rectangle holding every cell with
 * a value, its top-left position (0-based), and in it numbers as numbers, text as text (a date typed as text stays
 * text, and is judged by the pane's date rules), booleans, "" for an empty cell or the hidden part of a merged one,
 * a formula's last calculated value, an error as its Excel code ("#DIV/0!"), a hyperlink or rich text as its text,
 * and a date cell as its serial number in Excel's 1900 date system (a workbook saved in the 1904 system is converted,
 * so the pane's 1900 rules read the same day).
 * What only Excel can give is an issue, never a guess: a formula never calculated (no stored value; files written
 * by some tools) names its cell and asks for the file to be saved by Excel.
 */
import ExcelJS from "exceljs";
import type { MonthBuild } from "../addin/workbook/build.ts";
import type { CellValue } from "../addin/workbook/cells.ts";
import { buildMonthFromSheets, type MonthSources } from "../addin/workbook/month-sheets.ts";
import type { SheetData, SheetIssue } from "../addin/workbook/table.ts";

/** Larger than any payroll workbook of a 300-client bureau by far; refuses a file that would exhaust memory. */
export const MAX_XLSX_BYTES = 50 * 1024 * 1024;
const DAY_MS = 86_400_000;
/** 1970-01-01 in Excel's 1900 date system. */
const UNIX_EPOCH_SERIAL = 25_569;

export interface XlsxWorkbook {
  /** Sheets by lower-cased name: Excel's sheet names are unique whatever their case. */
  sheets: Map<string, SheetData>;
  issues: SheetIssue[];
}

function fileIssue(code: string, message: string): SheetIssue {
  return { sheet: "", row: 0, column: "", address: "", code, severity: "error", message };
}

/** ExcelJS turns a date-formatted number into a Date with (serial − 25569) days; this is its exact inverse. */
function dateToSerial(date: Date): number {
  return UNIX_EPOCH_SERIAL + date.getTime() / DAY_MS;
}

type Read = { value: CellValue } | { uncalculated: string };

function scalar(value: unknown): CellValue {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value;
  if (value instanceof Date) return dateToSerial(value);
  if (typeof value === "object") {
    const v = value as { error?: unknown; richText?: { text?: unknown }[]; text?: unknown };
    if (typeof v.error === "string") return v.error;
    if (Array.isArray(v.richText)) return v.richText.map((r) => String(r.text ?? "")).join("");
    if ("text" in v) return scalar(v.text);
  }
  return "";
}

function readCell(cell: ExcelJS.Cell): Read {
  switch (cell.type) {
    case ExcelJS.ValueType.Merge:
      return { value: "" };
    case ExcelJS.ValueType.Formula: {
      const f = cell.value as { formula?: string; sharedFormula?: string; result?: unknown };
      if (f.result === undefined || f.result === null) return { uncalculated: cell.formula ?? f.formula ?? "" };
      return { value: scalar(f.result) };
    }
    default:
      return { value: scalar(cell.value) };
  }
}

function sheetData(ws: ExcelJS.Worksheet, issues: SheetIssue[]): SheetData {
  const found: { row: number; col: number; value: CellValue }[] = [];
  ws.eachRow((row) => {
    row.eachCell((cell) => {
      const read = readCell(cell);
      const position = { row: Number(cell.row) - 1, col: Number(cell.col) - 1 };
      if ("uncalculated" in read) {
        issues.push({
          sheet: ws.name,
          row: position.row + 1,
          column: "",
          address: cell.address,
          code: "uncalculated-formula",
          severity: "error",
          message: `Formule jamais calculée (=${read.uncalculated}) : ouvrez le classeur dans Excel et enregistrez-le, ou saisissez la valeur.`,
        });
        found.push({ ...position, value: "" });
      } else if (read.value !== "") found.push({ ...position, value: read.value });
    });
  });
  if (found.length === 0) return { name: ws.name, values: [], rowIndex: 0, columnIndex: 0 };
  const top = Math.min(...found.map((c) => c.row));
  const left = Math.min(...found.map((c) => c.col));
  const height = Math.max(...found.map((c) => c.row)) - top + 1;
  const width = Math.max(...found.map((c) => c.col)) - left + 1;
  const values: CellValue[][] = Array.from({ length: height }, () => Array.from({ length: width }, () => "" as CellValue));
  for (const c of found) values[c.row - top]![c.col - left] = c.value;
  return { name: ws.name, values, rowIndex: top, columnIndex: left };
}

/** Every sheet of the file (hidden ones included: last month's `Cumuls` is hidden), or the reason it cannot be read. */
export async function readXlsxWorkbook(bytes: Uint8Array): Promise<XlsxWorkbook> {
  const sheets = new Map<string, SheetData>();
  if (bytes.length > MAX_XLSX_BYTES) {
    return { sheets, issues: [fileIssue("xlsx-too-large", `Fichier trop volumineux (${Math.round(bytes.length / 1048576)} Mo, 50 Mo au plus).`)] };
  }
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length) as unknown as ExcelJS.Buffer);
  } catch {
    // The library's reason is English and technical (zip directories): the user only needs what to do.
    return {
      sheets,
      issues: [
        fileIssue(
          "not-xlsx",
          "Le fichier n'est pas un classeur Excel (.xlsx) lisible (ni un .xlsx enregistré par Excel, ni un .xlsx complet). Enregistrez-le au format « Classeur Excel (.xlsx) ».",
        ),
      ],
    };
  }
  if (workbook.worksheets.length === 0) {
    return { sheets, issues: [fileIssue("not-xlsx", "Le fichier ne contient aucune feuille de calcul : est-ce bien un classeur Excel (.xlsx) ?")] };
  }
  const issues: SheetIssue[] = [];
  for (const ws of workbook.worksheets) sheets.set(ws.name.toLowerCase(), sheetData(ws, issues));
  return { sheets, issues };
}

/** The months the workbook holds (`Variables AAAA-MM` sheets), oldest first. */
export function monthsIn(workbook: XlsxWorkbook): string[] {
  return [...workbook.sheets.values()]
    .map((s) => /^Variables (\d{4}-(0[1-9]|1[0-2]))$/i.exec(s.name.trim())?.[1])
    .filter((p): p is string => p !== undefined)
    .sort();
}

export interface XlsxMonth {
  /** The month read: the one asked for, else the workbook's latest; undefined when there is none. */
  period?: string;
  /** Undefined when the file could not be read or holds no month. */
  build?: MonthBuild;
  /** The reader's issues and the month's, as the pane lists them. */
  issues: SheetIssue[];
}

/** The month of an `.xlsx` file, built as the pane builds it from the open workbook. */
export async function buildMonthFromXlsx(bytes: Uint8Array, options: MonthSources & { period?: string } = {}): Promise<XlsxMonth> {
  const workbook = await readXlsxWorkbook(bytes);
  if (workbook.sheets.size === 0) return { issues: workbook.issues };
  const { period: asked, ...sources } = options;
  const period = asked ?? monthsIn(workbook).at(-1);
  if (period === undefined) {
    return {
      issues: [...workbook.issues, fileIssue("no-month", "Aucune feuille « Variables AAAA-MM » : indiquez le mois ou lancez « Préparer » dans Excel.")],
    };
  }
  const build = buildMonthFromSheets(period, (name) => workbook.sheets.get(name.toLowerCase()) ?? null, sources);
  build.issues.unshift(...workbook.issues);
  return { period, build, issues: build.issues };
}

/** One issue on one line, as a person reads it: "Salariés G6 Date d'entrée : « 31/02/2025 » n'est pas une date qui existe." */
export function describeIssue(issue: SheetIssue): string {
  return [issue.sheet, issue.address, issue.message].filter((p) => p !== "").join(" ");
}
