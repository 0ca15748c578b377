/** Workbook fixtures shared by the add-in tests: rows as Excel would return them from `Range.values`. */

import type { CellValue } from "../../addin/workbook/cells.ts";
import { ABSENCE_COLUMNS, EMPLOYEE_COLUMNS, LINE_COLUMNS, VARIABLE_COLUMNS } from "../../addin/workbook/columns.ts";

export type Row = Record<string, CellValue>;

export function table(defs: typeof EMPLOYEE_COLUMNS, rows: Row[]): CellValue[][] {
  return [defs.map((d) => d.header), ...rows.map((r) => defs.map((d) => r[d.key] ?? ""))];
}

export function employee(id: string, overrides: Row = {}): Row {
  return {
    id,
    lastName: `NOM${id}`,
    firstName: "Prénom",
    sex: "F",
    email: `p${id}@example.mc`,
    birthDate: 32874 /* 01/01/1990 */,
    hireDate: 44927 /* 01/01/2023 */,
    category: "Non-cadre",
    director: "Non",
    residence: "France",
    ac: "Oui",
    rc: "Oui",
    car: "Oui",
    ccss: `9${id}`.replace(/[^0-9A-Za-z]/g, "").slice(0, 20),
    monthlySalary: 3000,
    contractHours: 169,
    ...overrides,
  };
}

export function variables(id: string, overrides: Row = {}): Row {
  return { id, lastName: `NOM${id}`, firstName: "Prénom", overtime125: 4, mealTickets: 20, ...overrides };
}

export const employeesSheet = (rows: Row[]) => ({ name: "Salariés", values: table(EMPLOYEE_COLUMNS, rows), rowIndex: 0, columnIndex: 0 });
export const variablesSheetData = (period: string, rows: Row[]) => ({
  name: `Variables ${period}`,
  values: table(VARIABLE_COLUMNS, rows),
  rowIndex: 0,
  columnIndex: 0,
});
export const linesSheetData = (period: string, rows: Row[]) => ({ name: `Lignes ${period}`, values: table(LINE_COLUMNS, rows), rowIndex: 0, columnIndex: 0 });
/** Rows of `Absences AAAA-MM`: { id, kind, from, to, hours, maintien, remark }. */
export const absencesSheetData = (period: string, rows: Row[]) => ({
  name: `Absences ${period}`,
  values: table(ABSENCE_COLUMNS, rows),
  rowIndex: 0,
  columnIndex: 0,
});

/** n employees with plausible varied data, for volume tests. */
export function bigWorkbook(n: number) {
  const emps: Row[] = [];
  const vars: Row[] = [];
  for (let i = 1; i <= n; i++) {
    const id = String(i).padStart(5, "0");
    emps.push(employee(id, { monthlySalary: 2500 + (i % 50) * 40, category: i % 4 === 0 ? "Cadre" : "Non-cadre" }));
    vars.push(variables(id, { overtime125: i % 7, mealTickets: 18 + (i % 4) }));
  }
  return { emps, vars };
}
