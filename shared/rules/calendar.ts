/** The legal calendar of a pay period: the leave year, regularisation windows, Monaco public holidays, working days. */
import { remember } from "../core/memo.ts";
import { addDays, isoDate as iso, isoOfUtcMs, periodBounds, utcMs } from "../core/period.ts";

// Every payslip of a month asks for the same few dates: they are built once per period (or leave year) and reused.
const leaveStarts = new Map<string, string>();
const windowStarts = new Map<string, string[]>();
const leaveLabels = new Map<string, string>();

function leaveStartOf(period: string): string {
  const { year, month } = periodBounds(period);
  return iso(month >= 5 ? year : year - 1, 5, 1);
}

/** 1 May opening the leave year (1 May – 30 April) that contains the period. */
export function leaveYearStart(period: string): string {
  return remember(leaveStarts, period, leaveStartOf);
}

function labelOf(start: string): string {
  const y = Number(start.slice(0, 4));
  return `${y}/${String((y + 1) % 100).padStart(2, "0")}`;
}

/** "2024-05-01" → "2024/25" */
export function leaveYearLabel(start: string): string {
  return remember(leaveLabels, start, labelOf);
}

const twelveMonths = (): string[] => new Array<string>(13);

/** First day of the regularisation year (starting in `startMonth`) that contains the period. */
export function windowStart(period: string, startMonth: number): string {
  const byMonth = remember(windowStarts, period, twelveMonths);
  let start = byMonth[startMonth];
  if (start === undefined) {
    const { year, month } = periodBounds(period);
    start = byMonth[startMonth] = iso(month >= startMonth ? year : year - 1, startMonth, 1);
  }
  return start;
}

/** Easter Sunday (anonymous Gregorian algorithm). */
function easter(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return iso(year, month, day);
}

/**
 * The 12 legal holidays of Monaco (Loi n° 798): when 1 Jan, 1 May, 15 Aug, 1 Nov, 19 Nov or 25 Dec falls on a
 * Sunday the Monday is the holiday; Sainte Dévote, Fête-Dieu and 8 December are not moved (monaco-rules §2.3).
 */
export function monacoHolidays(year: number): Set<string> {
  const e = easter(year);
  const days = new Set<string>([iso(year, 1, 27), addDays(e, 1), addDays(e, 39), addDays(e, 50), addDays(e, 60), iso(year, 12, 8)]);
  for (const [m, d] of [
    [1, 1],
    [5, 1],
    [8, 15],
    [11, 1],
    [11, 19],
    [12, 25],
  ] as const) {
    const date = iso(year, m, d);
    days.add(new Date(utcMs(date)).getUTCDay() === 0 ? addDays(date, 1) : date);
  }
  return days;
}

const holidaySets = new WeakMap<readonly { date: string }[], ReadonlySet<string>>();

/** A company's conventional holidays as a set of dates (built once per list), or undefined when it has none. */
export function conventionalHolidaySet(list: readonly { date: string }[] | undefined): ReadonlySet<string> | undefined {
  if (!list || list.length === 0) return undefined;
  let set = holidaySets.get(list);
  if (set === undefined) {
    set = new Set(list.map((h) => h.date));
    holidaySets.set(list, set);
  }
  return set;
}

/**
 * Monday–Friday days that are neither Monaco public holidays nor one of the company's conventional holidays
 * (`conventional`, from conventionalHolidaySet), from a to b inclusive.
 */
export function workingDays(a: string, b: string, conventional?: ReadonlySet<string>): number {
  if (a > b) return 0;
  const holidays = new Set([...monacoHolidays(Number(a.slice(0, 4))), ...monacoHolidays(Number(b.slice(0, 4)))]);
  let count = 0;
  for (let t = utcMs(a), end = utcMs(b); t <= end; t += 86_400_000) {
    const day = new Date(t).getUTCDay();
    if (day === 0 || day === 6) continue;
    const date = isoOfUtcMs(t);
    if (!holidays.has(date) && !conventional?.has(date)) count++;
  }
  return count;
}
