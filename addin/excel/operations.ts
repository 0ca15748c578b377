/// <reference types="office-js" />
/**
 * The add-in's operations on the open workbook, each a fixed number of context.sync() calls whatever the number of
 * employees (asserted in tests/addin/excel.test.ts): prepare (3), validate (3), calculate (3, more only when the
 * results exceed one payload). Errors from Office propagate: callers show them; nothing is swallowed here.
 */

import type { CarryInput } from "../../shared/core/carry.ts";
import { periodBounds } from "../../shared/core/period.ts";
import type { ComputeOutcome } from "../../shared/core/result.ts";
import type { ChartOfAccounts } from "../../shared/documents/journal.ts";
import type { CompanyInfo } from "../../shared/documents/types.ts";
import type { ParameterSet } from "../../shared/rates/parameter-set.ts";
import type { CompanyInput, PayslipInput } from "../../shared/schema/payslip-input.ts";
import type { MonthBuild } from "../workbook/build.ts";
import { type CellValue, toIsoDate, toMatricule } from "../workbook/cells.ts";
import {
  ABSENCE_COLUMNS,
  type ColumnDef,
  EMPLOYEE_COLUMNS,
  LINE_COLUMNS,
  normaliseHeader,
  PREFILL_KEYS,
  RECALL_COLUMNS,
  VARIABLE_COLUMNS,
} from "../workbook/columns.ts";
import { buildMonthFromSheets, monthSheets } from "../workbook/month-sheets.ts";
import { engineIssues } from "../workbook/origins.ts";
import {
  absencesSheet,
  carrySheet,
  EMPLOYEES_SHEET,
  linesSheet,
  previousPeriod,
  recallsSheet,
  resultSheet,
  tableNameFor,
  variablesSheet,
} from "../workbook/period.ts";
import { REPRISE_COLUMNS, REPRISE_SHEET } from "../workbook/reprise.ts";
import { chargesRows, detailRows, journalRows, type NamedResult, payslipRows, type Totals, totals } from "../workbook/results.ts";
import type { SheetData, SheetIssue } from "../workbook/table.ts";
import { queueGrid, readSheets, writeGridBatched } from "./io.ts";
import { planMarks, queueMarks } from "./marks.ts";

export type Compute = (input: PayslipInput) => ComputeOutcome;

const RESULT_KINDS = ["Bulletins", "Détail", "Charges", "Journal"] as const;

export interface ValidateOutcome {
  build: MonthBuild;
  marked: number;
}

/** What the server knows when the user is signed in; each part falls back to the workbook when absent. */
export interface MonthContext {
  /** The company's engine settings (contracts, paid-leave system…). */
  company?: CompanyInput;
  /** Last month's year-to-date state per matricule, as stored by the server: preferred to the hidden Cumuls sheet. */
  carries?: ReadonlyMap<string, CarryInput>;
  /** Identity and chart of accounts for the Journal sheet, as the server's journal uses them. */
  companyInfo?: CompanyInfo;
  chart?: ChartOfAccounts;
  /** The parameter set to compute with (the server's, loaded by the pane); absent: the bundled baseline. */
  parameters?: ParameterSet;
}

async function readAndBuild(context: Excel.RequestContext, period: string, month: MonthContext, extra: string[] = []) {
  const read = await readSheets(context, [...monthSheets(period), ...extra]);
  const build = buildMonthFromSheets(period, (name) => read.sheets.get(name) ?? null, {
    ...(month.company ? { company: month.company } : {}),
    ...(month.carries ? { carries: month.carries } : {}),
    ...(month.companyInfo ? { employerNumber: month.companyInfo.ccssEmployerNumber } : {}),
  });
  const existing = new Set([...read.sheets].filter(([, d]) => d !== null).map(([n]) => n));
  return { read, build, existing };
}

export async function validateWorkbook(context: Excel.RequestContext, period: string, month: MonthContext = {}): Promise<ValidateOutcome> {
  const { read, build, existing } = await readAndBuild(context, period, month);
  const plan = planMarks(build.issues, read.comments, existing);
  queueMarks(context, plan);
  await context.sync();
  return { build, marked: plan.add.length };
}

export interface CalculateOutcome {
  build: MonthBuild;
  results: NamedResult[];
  /** Engine refusals per employee, each on the cell its input path came from (workbook/origins.ts). */
  refused: SheetIssue[];
  totals: Totals;
  written: boolean;
}

export async function calculateWorkbook(context: Excel.RequestContext, period: string, compute: Compute, month: MonthContext = {}): Promise<CalculateOutcome> {
  const names = [...RESULT_KINDS.map((k) => resultSheet(k, period)), carrySheet(period)];
  const { read, build, existing } = await readAndBuild(context, period, month, names);
  const results: NamedResult[] = [];
  const refused: SheetIssue[] = [];
  const blocking = build.issues.some((i) => i.severity === "error");
  if (!blocking) {
    for (const input of build.inputs) {
      const out = compute(input);
      const ref = build.employees.find((e) => e.id === input.employee.id);
      if (out.ok) {
        const named: NamedResult = { result: out.result };
        if (input.employee.lastName) named.lastName = input.employee.lastName;
        if (input.employee.firstName) named.firstName = input.employee.firstName;
        results.push(named);
      } else {
        const row = ref?.variablesRow ?? ref?.employeeRow;
        const fallback = { sheet: row?.sheet ?? EMPLOYEES_SHEET, row: row?.row ?? 0, column: "", address: row?.address ?? "" };
        refused.push(...engineIssues(input.employee.id, out.errors, build.origins[input.employee.id], fallback));
      }
    }
  }
  const written = !blocking && refused.length === 0;
  const journal = written
    ? journalRows(results, { period, ...(month.companyInfo ? { company: month.companyInfo } : {}), ...(month.chart ? { chart: month.chart } : {}) })
    : undefined;
  const issues = [...build.issues, ...refused];
  if (journal?.error) {
    issues.push({
      sheet: resultSheet("Journal", period),
      row: 0,
      column: "",
      address: "",
      code: "journal-unbalanced",
      severity: "warning",
      message: journal.error,
    });
  }
  const plan = planMarks(issues, read.comments, existing);
  queueMarks(context, plan);
  if (written && journal) {
    context.application.suspendApiCalculationUntilNextSync();
    const budget = { chars: 0 };
    const grids = { Bulletins: payslipRows(results), Détail: detailRows(results), Charges: chargesRows(results), Journal: journal.grid };
    for (const kind of RESULT_KINDS) {
      const name = resultSheet(kind, period);
      if (existing.has(name)) context.workbook.worksheets.getItem(name).delete();
      const ws = context.workbook.worksheets.add(name);
      await writeGridBatched(context, ws, grids[kind], budget);
      ws.getRangeByIndexes(0, 0, 1, grids[kind][0]!.length).format.font.bold = true;
      ws.freezePanes.freezeRows(1);
    }
    const carryName = carrySheet(period);
    if (existing.has(carryName)) context.workbook.worksheets.getItem(carryName).delete();
    const carryWs = context.workbook.worksheets.add(carryName);
    await writeGridBatched(context, carryWs, [["Matricule", "Cumuls"], ...results.map((r) => [r.result.employeeId, JSON.stringify(r.result.carry)])], budget);
    carryWs.visibility = "Hidden";
    await context.sync();
  } else {
    await context.sync();
  }
  return { build: { ...build, issues }, results, refused, totals: totals(results), written };
}

export interface PrepareOutcome {
  created: string[];
  repaired: string[];
  prefilledFrom?: string;
  rows: number;
}

function bodyFormats(defs: readonly ColumnDef[], present: readonly string[], rows: number): { formats: string[][] } {
  return { formats: Array.from({ length: rows }, () => present.map((h) => defs.find((d) => d.header === h)?.numberFormat ?? "General")) };
}

/** Creates missing sheets with their table, validation lists, number formats and frozen header; repairs headers. */
export async function prepareWorkbook(context: Excel.RequestContext, period: string): Promise<PrepareOutcome> {
  const targets: { name: string; defs: readonly ColumnDef[] }[] = [
    { name: EMPLOYEES_SHEET, defs: EMPLOYEE_COLUMNS },
    { name: variablesSheet(period), defs: VARIABLE_COLUMNS },
    { name: linesSheet(period), defs: LINE_COLUMNS },
    { name: absencesSheet(period), defs: ABSENCE_COLUMNS },
    { name: recallsSheet(period), defs: RECALL_COLUMNS },
    { name: REPRISE_SHEET, defs: REPRISE_COLUMNS },
  ];
  const read = await readSheets(context, [...targets.map((t) => t.name), variablesSheet(previousPeriod(period))]);
  const outcome: PrepareOutcome = { created: [], repaired: [], rows: 0 };

  for (const { name, defs } of targets) {
    const data = read.sheets.get(name) ?? null;
    if (data && data.values.length > 0 && data.values[0]!.some((v) => v !== "")) {
      repairHeaders(context, data, defs, outcome);
      continue;
    }
    const rows = name === variablesSheet(period) ? prefillVariables(read.sheets, period, outcome) : [];
    const ws = data ? context.workbook.worksheets.getItem(name) : context.workbook.worksheets.add(name);
    const headers = defs.map((d) => d.header);
    queueGrid(ws, 0, 0, [headers, ...rows]);
    const bodyRows = Math.max(rows.length, 1);
    const body = ws.getRangeByIndexes(1, 0, bodyRows, headers.length);
    body.numberFormat = bodyFormats(defs, headers, bodyRows).formats;
    // Number formats are set before the values they describe would be re-typed by Excel (matricules stay text).
    defs.forEach((d, i) => {
      if (!d.list) return;
      const col = ws.getRangeByIndexes(1, i, bodyRows, 1);
      col.dataValidation.clear();
      col.dataValidation.rule = { list: { inCellDropDown: true, source: d.list.join(",") } };
    });
    const table = ws.tables.add(ws.getRangeByIndexes(0, 0, bodyRows + 1, headers.length), true);
    table.name = tableNameFor(name);
    ws.getRangeByIndexes(0, 0, 1, headers.length).format.font.bold = true;
    ws.freezePanes.freezeRows(1);
    ws.getRangeByIndexes(0, 0, bodyRows + 1, headers.length).format.autofitColumns();
    outcome.created.push(name);
  }
  await context.sync();
  return outcome;
}

function repairHeaders(context: Excel.RequestContext, data: SheetData, defs: readonly ColumnDef[], outcome: PrepareOutcome) {
  const header = (data.values[0] ?? []).map((v) => String(v ?? ""));
  const ws = context.workbook.worksheets.getItem(data.name);
  let changed = false;
  const seen = new Set<string>();
  header.forEach((text, i) => {
    const def = defs.find((d) => [d.header, ...(d.aliases ?? [])].some((h) => normaliseHeader(h) === normaliseHeader(text)));
    if (!def || seen.has(def.key)) return;
    seen.add(def.key);
    if (text.trim() !== def.header) {
      ws.getRangeByIndexes(data.rowIndex, data.columnIndex + i, 1, 1).values = [[def.header]];
      changed = true;
    }
  });
  const missing = defs.filter((d) => !seen.has(d.key));
  if (missing.length > 0) {
    // Appended after the last column: existing data never moves, so formulas pointing at it stay right.
    ws.getRangeByIndexes(data.rowIndex, data.columnIndex + header.length, 1, missing.length).values = [missing.map((d) => d.header)];
    const rows = Math.max(data.values.length - 1, 1);
    ws.getRangeByIndexes(data.rowIndex + 1, data.columnIndex + header.length, rows, missing.length).numberFormat = Array.from({ length: rows }, () =>
      missing.map((d) => d.numberFormat),
    );
    changed = true;
  }
  if (changed) outcome.repaired.push(data.name);
}

/** Identity and recurring benefits from last month's table, else active employees from Salariés. */
function prefillVariables(sheets: Map<string, SheetData | null>, period: string, outcome: PrepareOutcome): CellValue[][] {
  const { start, end } = periodBounds(period);
  const prevName = variablesSheet(previousPeriod(period));
  const prev = sheets.get(prevName);
  const staff = sheets.get(EMPLOYEES_SHEET);
  const column = (data: SheetData, defs: readonly ColumnDef[], key: string) => {
    const def = defs.find((d) => d.key === key)!;
    const names = [def.header, ...(def.aliases ?? [])].map(normaliseHeader);
    return (data.values[0] ?? []).findIndex((h) => names.includes(normaliseHeader(String(h ?? ""))));
  };
  const leftBefore = new Set<string>();
  const notYet = new Set<string>();
  if (staff && staff.values.length > 1) {
    const idCol = column(staff, EMPLOYEE_COLUMNS, "id");
    const exitCol = column(staff, EMPLOYEE_COLUMNS, "exitDate");
    const hireCol = column(staff, EMPLOYEE_COLUMNS, "hireDate");
    for (const row of staff.values.slice(1)) {
      const id = toMatricule(row[idCol]);
      if (!id.ok || !id.value) continue;
      const exit = exitCol >= 0 ? toIsoDate(row[exitCol]) : undefined;
      const hire = hireCol >= 0 ? toIsoDate(row[hireCol]) : undefined;
      if (exit?.ok && exit.value && exit.value < start) leftBefore.add(id.value);
      if (hire?.ok && hire.value && hire.value > end) notYet.add(id.value);
    }
  }
  const order = VARIABLE_COLUMNS.map((d) => d.key);
  const source =
    prev && prev.values.length > 1
      ? { data: prev, defs: VARIABLE_COLUMNS, keys: PREFILL_KEYS as readonly string[] }
      : staff && staff.values.length > 1
        ? { data: staff, defs: EMPLOYEE_COLUMNS, keys: ["id", "lastName", "firstName"] }
        : undefined;
  if (!source) return [];
  outcome.prefilledFrom = source.data.name;
  const cols = source.keys.map((k) => [k, column(source.data, source.defs, k)] as const);
  const rows: CellValue[][] = [];
  for (const row of source.data.values.slice(1)) {
    const id = toMatricule(row[cols[0]![1]]);
    if (!id.ok || !id.value || leftBefore.has(id.value) || notYet.has(id.value)) continue;
    const out: CellValue[] = order.map(() => "");
    for (const [key, idx] of cols) if (idx >= 0) out[order.indexOf(key)] = key === "id" ? id.value : (row[idx] ?? "");
    rows.push(out);
  }
  outcome.rows = rows.length;
  return rows;
}

export async function selectCell(context: Excel.RequestContext, sheet: string, address: string): Promise<void> {
  const ws = context.workbook.worksheets.getItem(sheet);
  ws.activate();
  ws.getRange(address || "A1").select();
  await context.sync();
}
