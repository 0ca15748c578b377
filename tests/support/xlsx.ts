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
