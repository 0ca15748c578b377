/**
 * Generic table parsing: header row → column map (tolerating renamed columns through aliases), then each row's
 * cells converted with the column's type. Produces typed records plus issues located by sheet, Excel row and column.
 */

import { type CellValue, type Converted, columnLetter, isBlank, shorten, toIsoDate, toMatricule, toNumber, toPeriod, toText, toYesNo } from "./cells.ts";
import { type ColumnDef, normaliseHeader } from "./columns.ts";

export type Severity = "error" | "warning" | "confirm";

export interface SheetIssue {
  sheet: string;
  /** Excel row number (1-based) or 0 when the issue concerns the whole sheet. */
  row: number;
  /** Column header as shown in the sheet, or "" for a whole row/sheet. */
  column: string;
  /** A1 address of the cell to select/mark, or "" when there is none. */
  address: string;
  code: string;
  message: string;
  severity: Severity;
  employeeId?: string;
}

/** A used range as read from Excel: values plus the position of its top-left cell (0-based). */
export interface SheetData {
  name: string;
  values: CellValue[][];
  rowIndex: number;
  columnIndex: number;
}

export interface ParsedRow {
  /** Excel row number (1-based). */
  row: number;
  fields: Record<string, unknown>;
  /** A1 address of each known column's cell in this row. */
  address: Record<string, string>;
  /** True when one of the row's cells has an error-severity issue. */
  invalid: boolean;
}

export interface ParsedTable {
  sheet: string;
  rows: ParsedRow[];
  issues: SheetIssue[];
  /** Key → absolute 0-based column index, for the columns found. */
  columns: Map<string, number>;
  headerRow: number;
}

function convert(def: ColumnDef, value: CellValue): Converted<unknown> {
  switch (def.type) {
    case "matricule":
      return toMatricule(value);
    case "text":
    case "email": {
      const t = toText(value);
      if (!t.ok || t.value === undefined) return t;
      if (def.maxLength !== undefined && t.value.length > def.maxLength) {
        return { ok: false, reason: `texte trop long (${t.value.length} caractères, ${def.maxLength} au plus)` };
      }
      if (def.type === "email" && !/^[^\s@<>"',;]+@[^\s@<>"',;]+\.[a-z]{2,}$/i.test(t.value)) {
        return { ok: false, reason: `« ${shorten(t.value)} » n'est pas une adresse e-mail` };
      }
      return t;
    }
    case "date":
      return toIsoDate(value);
    case "period":
      return toPeriod(value);
    case "yesno":
      return toYesNo(value);
    case "list": {
      const t = toText(value);
      if (!t.ok || t.value === undefined) return t;
      const wanted = normaliseHeader(t.value);
      const match = def.list?.find((v) => normaliseHeader(v) === wanted);
      return match ? { ok: true, value: match } : { ok: false, reason: `« ${shorten(t.value)} » n'est pas une valeur permise (${def.list?.join(", ")})` };
    }
    case "seniorityBase": {
      if (typeof value === "string") {
        const n = normaliseHeader(value);
        if (n === "smic") return { ok: true, value: "smic" };
        if (n === "salaire") return { ok: true, value: "salary" };
      }
      const num = toNumber(value);
      if (!num.ok) return { ok: false, reason: "SMIC, Salaire ou un montant de référence attendu" };
      if (num.value !== undefined && num.value <= 0) return { ok: false, reason: "le montant de référence doit être positif" };
      return num;
    }
    default: {
      const num = toNumber(value);
      if (!num.ok || num.value === undefined) return num;
      const v = num.value;
      if (def.type === "count" && !Number.isInteger(v)) return { ok: false, reason: "un nombre entier est attendu" };
      if (def.type !== "percent" && Math.abs(v * 100 - Math.round(v * 100)) > 1e-6) {
        return { ok: false, reason: "2 décimales au plus" };
      }
      if (def.min !== undefined && v < def.min) return { ok: false, reason: `valeur trop petite (minimum ${def.min})` };
      if (def.max !== undefined && v > def.max) return { ok: false, reason: `valeur trop grande (maximum ${def.max})` };
      return num;
    }
  }
}

export function cellAddress(rowIndex0: number, colIndex0: number): string {
  return `${columnLetter(colIndex0)}${rowIndex0 + 1}`;
}

export function parseTable(data: SheetData, defs: readonly ColumnDef[]): ParsedTable {
  const issues: SheetIssue[] = [];
  const columns = new Map<string, number>();
  const headerRow = data.rowIndex + 1;
  const header = data.values[0] ?? [];
  const byName = new Map<string, ColumnDef>();
  for (const def of defs) for (const name of [def.header, ...(def.aliases ?? [])]) byName.set(normaliseHeader(name), def);

  header.forEach((cell, i) => {
    const abs = data.columnIndex + i;
    if (isBlank(cell)) return;
    const text = String(cell);
    const def = byName.get(normaliseHeader(text));
    const where = { sheet: data.name, row: headerRow, column: text, address: cellAddress(data.rowIndex, abs) };
    if (!def) {
      issues.push({ ...where, code: "unknown-column", severity: "warning", message: `Colonne « ${shorten(text)} » non reconnue : elle est ignorée.` });
    } else if (columns.has(def.key)) {
      issues.push({ ...where, code: "duplicate-column", severity: "error", message: `La colonne « ${def.header} » apparaît deux fois.` });
    } else {
      columns.set(def.key, abs);
      if (text.trim() !== def.header) {
        issues.push({
          ...where,
          code: "renamed-column",
          severity: "warning",
          message: `Colonne « ${shorten(text)} » lue comme « ${def.header} ». « Préparer » rétablit le nom attendu.`,
        });
      }
    }
  });
  for (const def of defs) {
    if (columns.has(def.key)) continue;
    issues.push({
      sheet: data.name,
      row: headerRow,
      column: def.header,
      address: "",
      code: def.required ? "missing-column" : "missing-optional-column",
      severity: def.required ? "error" : "warning",
      message: def.required
        ? `Colonne obligatoire « ${def.header} » absente. Lancez « Préparer » pour réparer la feuille.`
        : `Colonne « ${def.header} » absente : elle sera considérée vide.`,
    });
  }

  const rows: ParsedRow[] = [];
  for (let r = 1; r < data.values.length; r++) {
    const line = data.values[r] ?? [];
    if (line.every(isBlank)) continue;
    const excelRow = data.rowIndex + r + 1;
    const parsed: ParsedRow = { row: excelRow, fields: {}, address: {}, invalid: false };
    for (const def of defs) {
      const abs = columns.get(def.key);
      if (abs === undefined) continue;
      const address = cellAddress(data.rowIndex + r, abs);
      parsed.address[def.key] = address;
      const value = line[abs - data.columnIndex];
      const result = convert(def, value);
      const refuse = (code: string, message: string) => {
        parsed.invalid = true;
        issues.push({ sheet: data.name, row: excelRow, column: def.header, address, code, severity: "error", message: `${def.header} : ${message}.` });
      };
      if (!result.ok) {
        refuse("invalid-value", result.reason);
      } else if (result.value === undefined && def.required) {
        refuse("required", "valeur obligatoire");
      } else if (result.value !== undefined) {
        parsed.fields[def.key] = result.value;
      }
    }
    rows.push(parsed);
  }
  const id = (row: ParsedRow) => (typeof row.fields.id === "string" ? row.fields.id : undefined);
  for (const issue of issues) {
    const row = rows.find((r) => r.row === issue.row);
    const employeeId = row && id(row);
    if (employeeId) issue.employeeId = employeeId;
  }
  return { sheet: data.name, rows, issues, columns, headerRow };
}
