/**
 * French formatting of the engine's integers (cents, hundredths, 1e-4 rates and days): the one formatter of money,
 * quantities, rates and dates for explanations, documents, messages and the task pane.
 * Pure integer string work, no Intl: Intl fr-FR emits U+202F, which standard PDF fonts cannot draw, and its
 * output differs between ICU versions (browser vs Node), which would break byte-for-byte reproducible documents.
 */
import type { Cents, Hundredths, Rate4 } from "./fixed.ts";
import { FRENCH_MONTHS, isPeriod } from "./period.ts";

/** Thousands separator used in printed documents; a plain space so text extraction and search stay simple. */
export const GROUP_SEPARATOR = " ";

function groupThousands(digits: string, separator: string): string {
  let out = "";
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += separator;
    out += digits[i];
  }
  return out;
}

// The engine explains every payslip line with these formats and the documents print hundreds of figures a page: the
// common case (default separators, every decimal kept) takes its digit groups and decimals whole from tables.
const pad = (n: number, width: number) => String(n).padStart(width, "0");
const table = (size: number, make: (i: number) => string) => Array.from({ length: size }, (_, i) => make(i));
const GROUPS = table(1000, (i) => GROUP_SEPARATOR + pad(i, 3));
const CENTS = table(100, (i) => `,${pad(i, 2)}`);
const CENTS_EUR = table(100, (i) => `,${pad(i, 2)} €`);
// 10,000 entries each: built on first use.
let fourDecimals: string[] | undefined;
let rateDecimals: string[] | undefined;
const FOUR = () => (fourDecimals ??= table(10_000, (i) => `,${pad(i, 4)}`));
/** ",85" for 8500: zeros beyond the second decimal dropped (the contribution-rate style). */
const RATE = () => (rateDecimals ??= table(10_000, (i) => `,${pad(i, 4).replace(/0{1,2}$/, "")}`));

/** 1234567 → "1 234 567" (non-negative safe integer, default separator). */
function grouped(n: number): string {
  if (n < 1000) return String(n);
  const low = n % 1000;
  return grouped((n - low) / 1000) + GROUPS[low]!;
}

/** Sign, grouped units, then the decimals (and unit) from a table: the fast path of the formats below. */
function fromTables(value: number, scale: 100 | 10_000, decimals: readonly string[]): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`formatScaled: ${value} is not a safe integer`);
  const negative = value < 0;
  const abs = negative ? -value : value;
  const frac = abs % scale;
  const text = grouped((abs - frac) / scale) + decimals[frac]!;
  return negative ? `-${text}` : text;
}

/** Integer scaled by 10^scale → "1 234,56" with `decimals` places (rounded half away from zero). */
export function formatScaled(value: number, scale: number, decimals: number, options: { group?: string; decimal?: string } = {}): string {
  if (options.group === undefined && options.decimal === undefined && decimals === scale && (scale === 2 || scale === 4)) {
    return fromTables(value, scale === 2 ? 100 : 10_000, scale === 2 ? CENTS : FOUR());
  }
  if (!Number.isSafeInteger(value)) throw new RangeError(`formatScaled: ${value} is not a safe integer`);
  if (decimals > scale) throw new RangeError("formatScaled: more decimals than the scale holds");
  const negative = value < 0;
  let abs = Math.abs(value);
  const drop = 10 ** (scale - decimals);
  abs = Math.floor((abs + Math.floor(drop / 2)) / drop);
  const unit = 10 ** decimals;
  const intPart = Math.floor(abs / unit);
  const fracPart = abs % unit;
  const group = options.group ?? GROUP_SEPARATOR;
  const decimal = options.decimal ?? ",";
  let text = groupThousands(String(intPart), group);
  if (decimals > 0) text += decimal + String(fracPart).padStart(decimals, "0");
  return (negative && abs !== 0 ? "-" : "") + text;
}

/** 123456 cents → "1 234,56". */
export function formatCents(cents: Cents): string {
  return fromTables(cents, 100, CENTS);
}

/**
 * 123456 cents → "1 234,56 €". On screen `space` is a no-break space (U+00A0) so that an amount never wraps; printed
 * documents keep the plain space (standard PDF fonts, text extraction).
 */
export function formatEuros(cents: Cents, space?: string): string {
  if (space === undefined) return fromTables(cents, 100, CENTS_EUR);
  return `${formatScaled(cents, 2, 2, { group: space })}${space}€`;
}

/** Cents for machine import (CSV): "1234,56", no grouping so the importer reads one token. */
export function formatCentsPlain(cents: Cents, decimal = ","): string {
  return formatScaled(cents, 2, 2, { group: "", decimal });
}

/** Cents as an XML/JSON decimal with a dot: whole euros print without decimals ("6000"), else "512.89". */
export function formatCentsXml(cents: Cents): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`formatCentsXml: ${cents} is not a safe integer`);
  if (cents % 100 === 0) return String(cents / 100);
  return formatScaled(cents, 2, 2, { group: "", decimal: "." });
}

/** Hundredths (hours, quantities) → "169,00". */
export function formatHundredths(value: Hundredths): string {
  return fromTables(value, 100, CENTS);
}

/** Hundredths as an XML decimal: "169" or "31.2". */
export function formatHundredthsXml(value: Hundredths): string {
  if (value % 100 === 0) return String(value / 100);
  return formatScaled(value, 2, 2, { group: "", decimal: "." }).replace(/0$/, "");
}

/**
 * A 1e-4 rate → French text keeping at least `minDecimals` and at most 4 decimals ("6,85", "13,45", "20,2170" with min 4).
 * Trailing zeros beyond `minDecimals` are dropped because Cegid prints contribution rates that way.
 */
export function formatRate4(rate: Rate4, minDecimals = 2): string {
  if (minDecimals === 2) return fromTables(rate, 10_000, RATE());
  if (minDecimals === 4) return fromTables(rate, 10_000, FOUR());
  const full = formatScaled(rate, 4, 4);
  const [intPart, frac = ""] = full.split(",");
  let trimmed = frac;
  while (trimmed.length > minDecimals && trimmed.endsWith("0")) trimmed = trimmed.slice(0, -1);
  return trimmed.length > 0 ? `${intPart},${trimmed}` : (intPart ?? "");
}

/** A decimal as written, French style and without grouping: 169 → "169", 21.67 → "21,67" (a legal constant). */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`formatNumber: ${value} is not a finite number`);
  return String(value).replace(".", ",");
}

/** Days scaled by 10,000 (leave counters) → "2,08". */
export function formatDays4(days: number): string {
  return formatScaled(days, 4, 2);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "2025-08-01" → "01/08/2025". */
export function formatDate(iso: string): string {
  const m = ISO_DATE.exec(iso);
  if (!m) throw new RangeError(`formatDate: "${iso}" is not an ISO date`);
  return `${m[3]}/${m[2]}/${m[1]}`;
}

/** "2025-08" → "août 2025". */
export function formatPeriod(period: string): string {
  if (!isPeriod(period)) throw new RangeError(`formatPeriod: "${period}" is not YYYY-MM`);
  return `${FRENCH_MONTHS[Number(period.slice(5, 7)) - 1]} ${period.slice(0, 4)}`;
}

/** "2024-12-31" → "31 décembre 2024". */
export function formatLongDate(iso: string): string {
  const m = ISO_DATE.exec(iso);
  if (!m) throw new RangeError(`formatLongDate: "${iso}" is not an ISO date`);
  return `${Number(m[3])} ${FRENCH_MONTHS[Number(m[2]) - 1]} ${m[1]}`;
}
