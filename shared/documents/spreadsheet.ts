/**
 * The tables the spreadsheet exports (journal, contributions statement, paid-leave provision) are made of: rows of
 * text and exact numbers, with a display format per number. Pure data: the `.xlsx` package itself is written by
 * ExcelJS on the side that stores it (functions/documents/xlsx.ts), so shared/ stays free of I/O libraries.
 */

/** Value written as a number, given as an integer scaled by 10^scale so no float ever carries money. */
export interface ScaledNumber {
  scaled: number;
  scale: number;
  /** Display format. */
  format: "money" | "dec2" | "rate" | "int";
}

/** Text (always written as text, never as a formula), an exact number, or an empty cell. */
export type Cell = string | ScaledNumber | null | undefined;

export interface Row {
  cells: Cell[];
  bold?: boolean;
}

export interface Sheet {
  /** Sheet tab name; the writer drops the characters Excel forbids and keeps names unique. */
  name: string;
  columnWidths?: number[];
  rows: Row[];
}

export const money = (cents: number): ScaledNumber => ({ scaled: cents, scale: 2, format: "money" });
export const dec2 = (hundredths: number): ScaledNumber => ({ scaled: hundredths, scale: 2, format: "dec2" });
export const days4 = (days: number): ScaledNumber => ({ scaled: days, scale: 4, format: "dec2" });
export const rate4 = (rate: number): ScaledNumber => ({ scaled: rate, scale: 4, format: "rate" });
export const int = (value: number): ScaledNumber => ({ scaled: value, scale: 0, format: "int" });
