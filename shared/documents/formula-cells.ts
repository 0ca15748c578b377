/**
 * Text that a spreadsheet would take for a formula: a cell starting with "=", "+", "-" or "@" (and tab or CR,
 * which some spreadsheets skip before looking) — OWASP "CSV Injection". A name such as `=HYPERLINK(…)` or
 * `@SUM(…)` typed in the staff list must reach the journal as text, whatever column it lands in. One rule for every
 * export: CSV cells get a leading single quote (and are quoted), XLSX cells stay string cells in the Text format "@"
 * (functions/documents/xlsx.ts).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function isFormulaLike(text: string): boolean {
  return FORMULA_START.test(text);
}

/**
 * One CSV field (semicolon-separated): formula-like text gets a leading single quote; a field with the separator,
 * a quote or a line break — and every neutralised one — is quoted, quotes doubled.
 */
export function csvField(text: string): string {
  const safe = isFormulaLike(text) ? `'${text}` : text;
  return safe !== text || /[;"\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
