/**
 * The sheets a month is read from, and the month built from them: one function shared by the task pane
 * (addin/excel/operations.ts, sheets read through Office.js) and the headless reader of `.xlsx` files
 * (bin/read-workbook.ts, sheets read with ExcelJS), so both run the same parsing and validation.
 */

import type { CarryInput } from "../../shared/core/carry.ts";
import type { CompanyInput } from "../../shared/schema/payslip-input.ts";
import { buildMonth, type MonthBuild } from "./build.ts";
import { toMatricule } from "./cells.ts";
import { absencesSheet, carrySheet, EMPLOYEES_SHEET, linesSheet, previousPeriod, recallsSheet, variablesSheet } from "./period.ts";
import { REPRISE_SHEET } from "./reprise.ts";
import type { SheetData, SheetIssue } from "./table.ts";

export function monthSheets(period: string): string[] {
  return [
    EMPLOYEES_SHEET,
    variablesSheet(period),
    variablesSheet(previousPeriod(period)),
    linesSheet(period),
    absencesSheet(period),
    recallsSheet(period),
    carrySheet(previousPeriod(period)),
    REPRISE_SHEET,
  ];
}

/** Last month's hidden `Cumuls` sheet: matricule → carried state (JSON written by the previous calculation). */
export function parseCarries(data: SheetData | null | undefined): { carries: Map<string, CarryInput>; issues: SheetIssue[] } {
  const carries = new Map<string, CarryInput>();
  const issues: SheetIssue[] = [];
  if (!data) return { carries, issues };
  data.values.slice(1).forEach((row, i) => {
    const id = toMatricule(row[0]);
    if (!id.ok || !id.value || typeof row[1] !== "string") return;
    try {
      carries.set(id.value, JSON.parse(row[1]) as CarryInput);
    } catch {
      issues.push({
        sheet: data.name,
        row: data.rowIndex + i + 2,
        column: "Cumuls",
        address: "",
        code: "bad-carry",
        severity: "error",
        employeeId: id.value,
        message: `Cumuls du mois précédent illisibles pour ${id.value} : recalculez le mois précédent.`,
      });
    }
  });
  return { carries, issues };
}

export interface MonthSources {
  /** The company's engine settings (contracts, paid-leave system…). */
  company?: CompanyInput;
  /** Last month's carried state per matricule as the server stores it: preferred to the hidden Cumuls sheet. */
  carries?: ReadonlyMap<string, CarryInput>;
  /** The company's CCSS employer number when the server is known. */
  employerNumber?: string;
}

/** The month from its sheets (`get` gives null for a sheet the workbook does not have). */
export function buildMonthFromSheets(period: string, get: (name: string) => SheetData | null, month: MonthSources = {}): MonthBuild {
  const { company } = month;
  const { carries, issues } = month.carries ? { carries: month.carries, issues: [] } : parseCarries(get(carrySheet(previousPeriod(period))));
  const build = buildMonth({
    period,
    employees: get(EMPLOYEES_SHEET),
    variables: get(variablesSheet(period)),
    previousVariables: get(variablesSheet(previousPeriod(period))),
    lines: get(linesSheet(period)),
    absences: get(absencesSheet(period)),
    recalls: get(recallsSheet(period)),
    reprise: get(REPRISE_SHEET),
    carries,
    ...(company ? { company } : {}),
    ...(month.employerNumber !== undefined ? { employerNumber: month.employerNumber } : {}),
  });
  build.issues.push(...issues);
  // A carried-over employee with a broken carry must not be computed from zero year-to-date figures.
  const broken = new Set(issues.map((i) => i.employeeId));
  build.inputs = build.inputs.filter((i) => !broken.has(i.employee.id));
  return build;
}
