/**
 * Where each field of an engine input was typed: the engine names a problem by its input path
 * (`variables.lines[1].amount`, `employee.exitDate`); the pane must name the cell (sheet, row, column letter) so a
 * click selects it. buildMonth records the origins of every input it makes; engineIssues turns the engine's
 * refusals into sheet issues with those cells.
 */

import type { Issue } from "../../shared/core/issue.ts";
import type { PayslipInput } from "../../shared/schema/payslip-input.ts";
import { type AbsenceEntry, engineAbsenceEntries } from "./absences.ts";
import { type ColumnDef, EMPLOYEE_COLUMNS, LINE_COLUMNS, RECALL_COLUMNS, VARIABLE_COLUMNS } from "./columns.ts";
import type { ParsedRow, ParsedTable, SheetIssue } from "./table.ts";

export interface CellOrigin {
  sheet: string;
  /** Excel row number (1-based). */
  row: number;
  /** Column header as shown in the sheet. */
  column: string;
  /** A1 address of the cell ("T3"). */
  address: string;
}

/** Input path → the cell it came from; parents ("variables.lines[0]") point at their row's first meaningful cell. */
export type InputOrigins = Record<string, CellOrigin>;

/** Engine field → column key of the `Salariés` sheet. */
const EMPLOYEE_FIELDS: Record<string, string> = {
  id: "id",
  lastName: "lastName",
  firstName: "firstName",
  sex: "sex",
  category: "category",
  director: "director",
  hireDate: "hireDate",
  exitDate: "exitDate",
  contractHours: "contractHours",
  monthlySalary: "monthlySalary",
  "affiliations.ac": "ac",
  "affiliations.rc": "rc",
  "affiliations.car": "car",
  seniority: "seniorityRate",
  "seniority.rate": "seniorityRate",
  "seniority.base": "seniorityBase",
  monacoAllowance: "monacoAllowance",
};
/** Engine variable → column key of the `Variables` sheet (same name unless said). */
const VARIABLE_FIELDS = ["overtime125", "overtime150", "holidayHours", "sundayHours", "mealTickets", "housing", "car", "meals", "deposit", "advance"];
const PAID_LEAVE_FIELDS: Record<string, string> = { days: "paidLeaveDays", hours: "paidLeaveHours", from: "paidLeaveFrom", to: "paidLeaveTo" };
const LINE_FIELDS = ["code", "label", "amount", "quantity", "rate"];
/** Engine recall field = column key of the `Rappels` sheet. */
const RECALL_FIELDS = ["period", "rubric", "amount", "label"];

function cell(table: ParsedTable, defs: readonly ColumnDef[], row: ParsedRow, key: string): CellOrigin | undefined {
  const exact = row.address[key];
  const address = exact ?? row.address.id;
  if (!address) return undefined;
  const column = exact ? (defs.find((d) => d.key === key)?.header ?? key) : (defs.find((d) => d.key === "id")?.header ?? "");
  return { sheet: table.sheet, row: row.row, column, address };
}

export interface InputSources {
  input: PayslipInput;
  employees: ParsedTable;
  master: ParsedRow;
  variables?: ParsedTable | undefined;
  vrow?: ParsedRow | undefined;
  lines?: ParsedTable | undefined;
  /** The `Lignes` rows of the input's extra lines, in order (they follow the bonus line, if any). */
  lineRows: readonly ParsedRow[];
  /** The employee's absence entries as read (engineAbsenceEntries gives the engine's order). */
  absences: readonly AbsenceEntry[];
  recalls?: ParsedTable | undefined;
  /** The `Rappels` rows of the input's recalls, in order. */
  recallRows?: readonly ParsedRow[];
}

export function inputOrigins(src: InputSources): InputOrigins {
  const out: InputOrigins = {};
  const set = (path: string, origin: CellOrigin | undefined) => {
    if (origin) out[path] = origin;
  };
  const { input, employees, master, variables, vrow } = src;
  set("employee", cell(employees, EMPLOYEE_COLUMNS, master, "id"));
  for (const [field, key] of Object.entries(EMPLOYEE_FIELDS)) set(`employee.${field}`, cell(employees, EMPLOYEE_COLUMNS, master, key));
  // The month's exit date, when typed in Variables, is the one the input carries.
  if (variables && vrow?.fields.exitDate !== undefined) set("employee.exitDate", cell(variables, VARIABLE_COLUMNS, vrow, "exitDate"));
  if (variables && vrow) {
    set("variables", cell(variables, VARIABLE_COLUMNS, vrow, "id"));
    for (const key of VARIABLE_FIELDS) set(`variables.${key}`, cell(variables, VARIABLE_COLUMNS, vrow, key));
    set("variables.paidLeave[0]", cell(variables, VARIABLE_COLUMNS, vrow, "paidLeaveDays"));
    for (const [field, key] of Object.entries(PAID_LEAVE_FIELDS)) set(`variables.paidLeave[0].${field}`, cell(variables, VARIABLE_COLUMNS, vrow, key));
  }
  const lines = input.variables?.lines ?? [];
  const bonusLines = lines.length - src.lineRows.length;
  if (variables && vrow && bonusLines === 1) {
    set("variables.lines[0]", cell(variables, VARIABLE_COLUMNS, vrow, "bonus"));
    set("variables.lines[0].code", cell(variables, VARIABLE_COLUMNS, vrow, "bonusKind"));
    set("variables.lines[0].amount", cell(variables, VARIABLE_COLUMNS, vrow, "bonus"));
  }
  if (src.lines) {
    for (const [i, row] of src.lineRows.entries()) {
      const path = `variables.lines[${bonusLines + i}]`;
      set(path, cell(src.lines, LINE_COLUMNS, row, "code"));
      for (const key of LINE_FIELDS) set(`${path}.${key}`, cell(src.lines, LINE_COLUMNS, row, key));
    }
  }
  if (src.recalls) {
    for (const [i, row] of (src.recallRows ?? []).entries()) {
      const path = `variables.recalls[${i}]`;
      set(path, cell(src.recalls, RECALL_COLUMNS, row, "period"));
      for (const key of RECALL_FIELDS) set(`${path}.${key}`, cell(src.recalls, RECALL_COLUMNS, row, key));
    }
  }
  for (const [i, e] of engineAbsenceEntries(src.absences).entries()) {
    const { table, defs, keys } = e.origin;
    const path = `variables.absences[${i}]`;
    set(path, cell(table, defs, e.row, keys.kind));
    set(`${path}.kind`, cell(table, defs, e.row, keys.kind));
    set(`${path}.hours`, cell(table, defs, e.row, keys.hours));
    set(`${path}.from`, cell(table, defs, e.row, keys.from));
    set(`${path}.to`, cell(table, defs, e.row, keys.to));
    set(`${path}.complement`, cell(table, defs, e.row, keys.maintien));
  }
  return out;
}

/** The cell of `path`, or of its nearest parent that has one ("variables.lines[1]" for "variables.lines[1].code"). */
export function originOf(origins: InputOrigins | undefined, path: string): CellOrigin | undefined {
  let p = path;
  while (origins && p) {
    const found = origins[p];
    if (found) return found;
    const cut = Math.max(p.lastIndexOf("."), p.lastIndexOf("["));
    if (cut <= 0) return undefined;
    p = p.slice(0, cut);
  }
  return undefined;
}

/**
 * The engine's refusals of one employee's input as sheet issues on the cells they came from; a path with no cell
 * (company settings, the carried state) falls back to `fallback`, the employee's row.
 */
export function engineIssues(employeeId: string, errors: readonly Issue[], origins: InputOrigins | undefined, fallback: CellOrigin): SheetIssue[] {
  return errors.map((e) => {
    const found = originOf(origins, e.path);
    const at = found ?? fallback;
    // The engine's message starts with its path; the pane says the column and the cell instead.
    const reason = e.message.startsWith(`${e.path} : `) ? e.message.slice(e.path.length + 3) : e.message;
    const cellText = at.address ? `${at.sheet}, cellule ${at.address}` : at.sheet;
    return {
      sheet: at.sheet,
      row: at.row,
      column: found ? found.column : e.path,
      address: at.address,
      code: e.code,
      severity: "error",
      employeeId,
      message: `${employeeId} — ${found ? found.column : e.path} (${cellText}) : ${reason}`,
    };
  });
}
