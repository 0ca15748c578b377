/** Reads an `.xlsx` back with ExcelJS, the way a test checks what a user would see: per sheet, each cell's value and format. */
import ExcelJS from "exceljs";

export interface ReadCell {
  address: string;
  value: ExcelJS.CellValue;
  numFmt: string | undefined;
  bold: boolean;
}

export interface ReadSheet {
  name: string;
  /** Non-empty cells by A1 address. */
  cells: Map<string, ReadCell>;
  /** Row number → the row's values (1-based columns, as ExcelJS gives them; holes are undefined). */
  rows: Map<number, ExcelJS.CellValue[]>;
}

export async function readXlsx(bytes: Uint8Array): Promise<ReadSheet[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  return workbook.worksheets.map((ws) => {
    const cells = new Map<string, ReadCell>();
    const rows = new Map<number, ExcelJS.CellValue[]>();
    ws.eachRow((row, n) => {
      rows.set(n, (row.values as ExcelJS.CellValue[]).slice(1));
      row.eachCell((cell) => {
        cells.set(cell.address, { address: cell.address, value: cell.value, numFmt: cell.numFmt, bold: cell.font?.bold === true });
      });
    });
    return { name: ws.name, cells, rows };
  });
}

export interface TableSheet {
  name: string;
  /** The table as Excel's `Range.values` gives it: header row first; date cells as 1900-system serials. */
  values: readonly (readonly unknown[])[];
  /** Column definitions (addin/workbook/columns.ts): each column gets its number format, and a number in a date column is written as a date. */
  columns?: readonly { header: string; type: string; numberFormat?: string }[];
  /** Top-left cell of the table, 0-based (default A1). */
  at?: { row: number; col: number };
  hidden?: boolean;
}

/** 1900-system serial → the Date ExcelJS writes back as that serial. */
const serialDate = (serial: number) => new Date(Math.round((serial - 25569) * 86_400_000));

/** A real workbook as Prepare lays it out and a user fills it, written by ExcelJS. */
export async function writeTablesXlsx(sheets: readonly TableSheet[], options: { date1904?: boolean } = {}): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  if (options.date1904) workbook.properties.date1904 = true;
  for (const sheet of sheets) {
    const ws = workbook.addWorksheet(sheet.name, sheet.hidden ? { state: "hidden" } : {});
    const header = (sheet.values[0] ?? []).map(String);
    const defs = header.map((h) => sheet.columns?.find((d) => d.header === h));
    sheet.values.forEach((row, r) => {
      row.forEach((value, c) => {
        if (value === "" || value === null || value === undefined) return;
        const cell = ws.getCell((sheet.at?.row ?? 0) + r + 1, (sheet.at?.col ?? 0) + c + 1);
        const def = r === 0 ? undefined : defs[c];
        if (def?.numberFormat) cell.numFmt = def.numberFormat;
        cell.value = def?.type === "date" && typeof value === "number" ? serialDate(value) : (value as ExcelJS.CellValue);
      });
    });
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
