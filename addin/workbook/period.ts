/** Sheet and table names derived from a payroll period ("2025-03"). Pure: no Office types. */

export function previousPeriod(period: string): string {
  const [y, m] = period.split("-").map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

export const EMPLOYEES_SHEET = "Salariés";
export const variablesSheet = (period: string) => `Variables ${period}`;
export const linesSheet = (period: string) => `Lignes ${period}`;
export const absencesSheet = (period: string) => `Absences ${period}`;
export const recallsSheet = (period: string) => `Rappels ${period}`;
export const resultSheet = (kind: "Bulletins" | "Détail" | "Charges" | "Journal", period: string) => `${kind} ${period}`;
/** Year-to-date state written by a calculation, read back by next month's. Hidden from users. */
export const carrySheet = (period: string) => `Cumuls ${period}`;

/**
 * Excel table names allow no spaces or hyphens and must be unique in the workbook, so they are derived from the
 * sheet name; accents are dropped because some Excel builds reject non-ASCII names in structured references.
 */
export function tableNameFor(sheetName: string): string {
  return (
    "T_" +
    sheetName
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[^A-Za-z0-9]+/g, "_")
      .replace(/^_|_$/g, "")
  );
}
