/**
 * Pay periods ("YYYY-MM") and the calendar arithmetic on ISO dates ("YYYY-MM-DD") that every layer uses: the one
 * period pattern, month bounds and lengths, French month names, day arithmetic in UTC (no time zone can shift a date).
 * The legal calendar (leave year, regularisation windows, Monaco public holidays) is in shared/rules/calendar.ts.
 */
import { remember } from "./memo.ts";

/** A pay period, "YYYY-MM", years 1900–2099 (what PERIOD_PATTERN accepts). */
export type Period = string;

/** The one pattern of a period: schemas use the string, code the RegExp (PERIOD_RE / isPeriod). */
export const PERIOD_PATTERN = "^(19|20)\\d{2}-(0[1-9]|1[0-2])$";
export const PERIOD_RE = new RegExp(PERIOD_PATTERN);
/** An ISO calendar date with a plausible month and day; isRealDate also checks the day exists in its month. */
export const ISO_DATE_PATTERN = "^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$";
const ISO_DATE_RE = new RegExp(ISO_DATE_PATTERN);

export function isPeriod(value: unknown): value is Period {
  return typeof value === "string" && PERIOD_RE.test(value);
}

export const FRENCH_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"] as const;

export interface PeriodBounds {
  start: string;
  end: string;
  year: number;
  month: number;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** (2025, 8, 1) → "2025-08-01" */
export const isoDate = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a month of the Gregorian calendar (month 1–12). */
export function daysInMonthOf(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return MONTH_DAYS[month - 1]!;
}

const boundsCache = new Map<string, PeriodBounds>();

function boundsOf(period: Period): PeriodBounds {
  const year = Number(period.slice(0, 4));
  const month = Number(period.slice(5, 7));
  return Object.freeze({ start: isoDate(year, month, 1), end: isoDate(year, month, daysInMonthOf(year, month)), year, month });
}

/** First and last day of a period (assumed valid: checked by the schema; see periodEnd for a checked version). */
export function periodBounds(period: Period): PeriodBounds {
  return remember(boundsCache, period, boundsOf);
}

export function daysInMonth(period: Period): number {
  const { year, month } = periodBounds(period);
  return daysInMonthOf(year, month);
}

/** Last day of a period as an ISO date; a string that is not a period is refused. */
export function periodEnd(period: Period): string {
  if (!isPeriod(period)) throw new RangeError(`periodEnd: "${period}" is not YYYY-MM`);
  return periodBounds(period).end;
}

export function isRealDate(value: string): boolean {
  if (!ISO_DATE_RE.test(value)) return false;
  const y = +value.slice(0, 4);
  const m = +value.slice(5, 7);
  const d = +value.slice(8, 10);
  return d <= daysInMonthOf(y, m);
}

/** Milliseconds since the epoch of an ISO date at 00:00 UTC. */
export function utcMs(date: string): number {
  return Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10));
}

/** The ISO date of a UTC instant. */
export function isoOfUtcMs(ms: number): string {
  const dt = new Date(ms);
  return isoDate(dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate());
}

export function addDays(date: string, days: number): string {
  return isoOfUtcMs(utcMs(date) + days * 86_400_000);
}

/** Days from a to b inclusive. */
export function daysBetweenInclusive(a: string, b: string): number {
  return Math.round((utcMs(b) - utcMs(a)) / 86_400_000) + 1;
}
