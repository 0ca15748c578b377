/**
 * Minimal SpreadsheetML (XLSX) writer: inline strings, a handful of number formats, no shared strings, no formulas.
 * Text is always an inline string (never evaluated); formula-like text also carries the quotePrefix style, Excel's
 * own mark for a cell typed as '=…, so it stays text when someone edits it (shared/documents/formula-cells.ts).
 * Written by hand rather than with a spreadsheet library so the output is byte-for-byte reproducible
 * (fixed zip timestamps, fixed part order) and the browser bundle stays small.
 */
import { strToU8, zipSync } from "fflate";
import { formatScaled } from "../core/format.ts";
import { isFormulaLike } from "./formula-cells.ts";
import { escapeXml } from "./xml.ts";

/** Value written as a number, given as an integer scaled by 10^scale so no float ever carries money. */
export interface ScaledNumber {
  scaled: number;
  scale: number;
  /** Display format. */
  format: "money" | "dec2" | "rate" | "int";
}

export type Cell = string | ScaledNumber | null | undefined;

export interface Row {
  cells: Cell[];
  bold?: boolean;
}

export interface Sheet {
  /** Sheet tab name (max 31 characters, no []:*?/\). */
  name: string;
  columnWidths?: number[];
  rows: Row[];
}

export const money = (cents: number): ScaledNumber => ({ scaled: cents, scale: 2, format: "money" });
export const dec2 = (hundredths: number): ScaledNumber => ({ scaled: hundredths, scale: 2, format: "dec2" });
export const days4 = (days: number): ScaledNumber => ({ scaled: days, scale: 4, format: "dec2" });
export const rate4 = (rate: number): ScaledNumber => ({ scaled: rate, scale: 4, format: "rate" });
export const int = (value: number): ScaledNumber => ({ scaled: value, scale: 0, format: "int" });

// Style ids in styles.xml below: [normal, bold] × [text, money, dec2, rate, int, quoted text].
const STYLE_INDEX: Record<ScaledNumber["format"] | "text" | "quoted", [number, number]> = {
  text: [0, 1],
  money: [2, 3],
  dec2: [4, 5],
  rate: [6, 7],
  int: [8, 9],
  quoted: [10, 11],
};

const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="2"><numFmt numFmtId="164" formatCode="#,##0.00"/><numFmt numFmtId="165" formatCode="0.00##"/></numFmts>
<fonts count="2"><font><sz val="10"/><name val="Calibri"/></font><font><b/><sz val="10"/><name val="Calibri"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="12">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="164" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/>
<xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="2" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/>
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="165" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/>
<xf numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="1" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/>
<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" quotePrefix="1"/>
<xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1" quotePrefix="1"/>
</cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>`;

function columnName(index: number): string {
  let n = index + 1;
  let name = "";
  while (n > 0) {
    const rem = (n - 1) % 26;
    name = String.fromCharCode(65 + rem) + name;
    n = Math.floor((n - 1) / 26);
  }
  return name;
}

function cellXml(cell: Cell, ref: string, bold: boolean): string {
  if (cell === null || cell === undefined || cell === "") return "";
  const b = bold ? 1 : 0;
  if (typeof cell === "string") {
    const style = STYLE_INDEX[isFormulaLike(cell) ? "quoted" : "text"][b];
    return `<c r="${ref}" t="inlineStr" s="${style}"><is><t xml:space="preserve">${escapeXml(cell)}</t></is></c>`;
  }
  const value = formatScaled(cell.scaled, cell.scale, cell.scale, { group: "", decimal: "." });
  return `<c r="${ref}" s="${STYLE_INDEX[cell.format][b]}"><v>${value}</v></c>`;
}

function sheetXml(sheet: Sheet): string {
  const cols = sheet.columnWidths?.length
    ? `<cols>${sheet.columnWidths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`).join("")}</cols>`
    : "";
  const rows = sheet.rows
    .map((row, r) => {
      const cells = row.cells.map((c, i) => cellXml(c, `${columnName(i)}${r + 1}`, row.bold === true)).join("");
      return `<row r="${r + 1}">${cells}</row>`;
    })
    .join("");
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${cols}<sheetData>${rows}</sheetData></worksheet>`;
}

function safeSheetName(name: string, used: Set<string>): string {
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

/** Fixed zip entry date: the format cannot store dates before 1980, and a constant keeps the bytes stable. */
const ZIP_DATE = new Date(Date.UTC(1980, 0, 1, 12, 0, 0));

export function writeXlsx(sheets: Sheet[]): Uint8Array {
  if (sheets.length === 0) throw new Error("writeXlsx: at least one sheet is required");
  const used = new Set<string>();
  const names = sheets.map((s) => safeSheetName(s.name, used));
  const files: Record<string, Uint8Array> = {};
  files["[Content_Types].xml"] = strToU8(
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>${sheets
      .map(
        (_, i) =>
          `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
      )
      .join("")}</Types>`,
  );
  files["_rels/.rels"] = strToU8(
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  );
  files["xl/workbook.xml"] = strToU8(
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>${names
      .map((n, i) => `<sheet name="${escapeXml(n)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
      .join("")}</sheets></workbook>`,
  );
  files["xl/_rels/workbook.xml.rels"] = strToU8(
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets
      .map(
        (_, i) =>
          `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
      )
      .join(
        "",
      )}<Relationship Id="rId${sheets.length + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`,
  );
  files["xl/styles.xml"] = strToU8(STYLES);
  sheets.forEach((s, i) => {
    files[`xl/worksheets/sheet${i + 1}.xml`] = strToU8(sheetXml(s));
  });
  return zipSync(files, { level: 6, mtime: ZIP_DATE });
}
