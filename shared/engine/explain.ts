/**
 * Minimal French formatting for the engine's explanations (the documents have their own, richer formatting).
 * Uses plain spaces as thousands separators so explanations stay readable in any font and in logs.
 */
// Every payslip line's explanation formats a few amounts, and formatting was a large share of the engine's time:
// the digits after the comma (with the unit) come whole from tables, so an amount costs one or two concatenations.
const pad = (n: number, width: number) => String(n).padStart(width, "0");
const table = (size: number, make: (i: number) => string) => Array.from({ length: size }, (_, i) => make(i));
/** " 007" for the thousands groups. */
const GROUP = table(1000, (i) => " " + pad(i, 3));
const CENTS = table(100, (i) => "," + pad(i, 2));
const CENTS_EUR = table(100, (i) => "," + pad(i, 2) + " €");
// 10,000 entries each: built on first use.
let fourDecimals: string[] | undefined;
let percentDecimals: string[] | undefined;
const FOUR = () => (fourDecimals ??= table(10_000, (i) => "," + pad(i, 4)));
/** ",85 %" — zeros beyond the second decimal dropped: 6,8500 → 6,85 ; 0,0240 → 0,024. */
const PERCENT = () => (percentDecimals ??= table(10_000, (i) => "," + pad(i, 4).replace(/0{1,2}$/, "") + " %"));

/** 1234567 → "1 234 567" (non-negative safe integer). */
function group(n: number): string {
  if (n < 1000) return String(n);
  const low = n % 1000;
  return group((n - low) / 1000) + GROUP[low]!;
}

/** A scaled integer as text: sign, grouped units, then the decimals (and unit) from a table. */
function scaled(value: number, scale: 100 | 10_000, decimals: readonly string[], unit: string): string {
  // Not an integer of the unit (a caller's defect): still readable, never "undefined".
  if (!Number.isSafeInteger(value)) return String(value / scale).replace(".", ",") + unit;
  const negative = value < 0;
  const abs = negative ? -value : value;
  const frac = abs % scale;
  const text = group((abs - frac) / scale) + decimals[frac]!;
  return negative ? "-" + text : text;
}

/** 123456 cents → "1 234,56 €" */
export const eur = (cents: number) => scaled(cents, 100, CENTS_EUR, " €");
/** 252713 → "25,2713" (4-decimal unit price or percent) */
export const rate4 = (value: number) => scaled(value, 10_000, FOUR(), "");
/** 68500 → "6,85 %" (trailing zeros dropped, at least 2 decimals) */
export const pct = (value: number) => scaled(value, 10_000, PERCENT(), " %");
/** 355 → "3,55" */
export const qty = (hundredths: number) => scaled(hundredths, 100, CENTS, "");
/** "2025-08-31" → "31/08/2025" */
export const date = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
