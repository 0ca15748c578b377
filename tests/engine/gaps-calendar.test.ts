/**
 * Gaps found by mutation testing (issue 11): Monaco's movable public holidays, which only the working-days prorata
 * reads. Each figure is worked by hand from the calendar (comments); the engine is reached through computePayslip only.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { workingDays } from "../../shared/rules/calendar.ts";
import { compute, input, line } from "./helpers.ts";

const working = { prorata: "working-days" as const };

test("working-days prorata, April 2024: Easter Monday (1 April) is no working day, so an entry on 2 April is a full month", () => {
  // Easter 2024 is Sunday 31 March (anonymous Gregorian algorithm: a = 2024 % 19 = 10, b = 20, d = 5, g = 6,
  // h = (190 + 20 − 5 − 6 + 15) % 30 = 4, i = 6, k = 0, l = (32 + 12 − 4) % 7 = 5, m = 0 → 4 + 5 + 114 = 123 →
  // month 123 / 31 = 3, day 123 % 31 + 1 = 31), so Easter Monday is 1 April.
  // April 2024: Monday 1 – Tuesday 30 → 22 Monday–Friday days, minus Easter Monday = 21 working days.
  // Entry on Tuesday 2 April: the only day before it is the holiday → 0 of 21 not worked → 3 000,00 stays 3 000,00.
  const r = compute(input({ period: "2024-04", company: working, employee: { hireDate: "2024-04-02" } }));
  assert.equal(line(r, "0021"), undefined);
  assert.equal(r.gross, 300_000);
  assert.equal(r.hoursPaid, 16_900);
  // Entry on Wednesday 3 April: Tuesday 2 April not worked → 1/21 × 3 000 = 142,857 → 142,86.
  const third = compute(input({ period: "2024-04", company: working, employee: { hireDate: "2024-04-03" } }));
  assert.equal(line(third, "0021")?.amount, -14_286);
  assert.equal(line(third, "0021")?.quantity, 100);
  assert.match(line(third, "0021")!.explanation, /1 jours ouvrés non travaillés sur 21 /);
  assert.equal(third.gross, 300_000 - 14_286);
  // hours: 169 × 20 / 21 = 160,952 → 160,95
  assert.equal(third.hoursPaid, 16_095);
});

test("working-days prorata, May 2024: 1 May, Ascension (E+39), Whit Monday (E+50) and Fête-Dieu (E+60)", () => {
  // May 2024: Wednesday 1 – Friday 31 → 23 Monday–Friday days. Holidays on them: 1 May (Wed), Ascension 9 May
  // (31 March + 39, Thu), Whit Monday 20 May (+ 50), Fête-Dieu 30 May (+ 60, Thu) → 19 working days.
  // Entry on Tuesday 21 May: 1–20 May hold 14 Monday–Friday days, of which 1, 9 and 20 May are holidays → 11 not
  // worked → 3 000 × 11 / 19 = 1 736,842 → 1 736,84.
  const r = compute(input({ period: "2024-05", company: working, employee: { hireDate: "2024-05-21" } }));
  assert.equal(line(r, "0021")?.amount, -173_684);
  assert.match(line(r, "0021")!.explanation, /11 jours ouvrés non travaillés sur 19 /);
  assert.equal(r.gross, 300_000 - 173_684);
});

test("working-days prorata, April 2025: Easter Monday 21 April, taken from a later Easter", () => {
  // Easter 2025 is 20 April: a = 11, h = (209 + 20 − 5 − 6 + 15) % 30 = 23, i = 6, k = 1,
  // l = (32 + 12 − 23 − 1) % 7 = 6, m = (11 + 253 + 132) / 451 = 0 → 23 + 6 + 114 = 143 → month 4, day 143 % 31 + 1 = 20.
  // April 2025: Tuesday 1 – Wednesday 30 → 22 Monday–Friday days, minus Easter Monday 21 April → 21 working days.
  // Exit on Friday 18 April: 22–30 April are 7 working days after it → 3 000 × 7 / 21 = 1 000,00.
  const r = compute(input({ period: "2025-04", company: working, employee: { exitDate: "2025-04-18" } }));
  assert.equal(line(r, "0023")?.amount, -100_000);
  assert.match(line(r, "0023")!.explanation, /7 jours ouvrés non travaillés sur 21 /);
});

test("working-days prorata, January 2023: 1 January on a Sunday moves to Monday 2 January", () => {
  // January 2023: Sunday 1 – Tuesday 31 → 22 Monday–Friday days, minus Monday 2 (1 January moved) and Friday 27
  // (Sainte Dévote) → 20. Entry on Wednesday 4: 1–3 January hold Monday 2 (holiday) and Tuesday 3 → 1 not worked →
  // 3 000 / 20 = 150,00. Were 1 January not moved, it would be 2/21 → 285,71.
  const r = compute(input({ period: "2023-01", company: working, employee: { hireDate: "2023-01-04" } }));
  assert.equal(line(r, "0021")?.amount, -15_000);
  assert.match(line(r, "0021")!.explanation, /1 jours ouvrés non travaillés sur 20 /);
});

test("working-days prorata, January and December 2025: Sainte Dévote (27 January) and 8 December stay where they fall", () => {
  // January 2025: Wednesday 1 – Friday 31 → 23 Monday–Friday days, minus 1 January (Wed) and 27 January (Mon) → 21.
  // Exit on Friday 24 January: 27–31 January hold 5 Monday–Friday days, 27 is a holiday → 4 → 3 000 × 4 / 21 = 571,43.
  const jan = compute(input({ period: "2025-01", company: working, employee: { exitDate: "2025-01-24" } }));
  assert.equal(line(jan, "0023")?.amount, -57_143);
  // December 2025: Monday 1 – Wednesday 31 → 23 Monday–Friday days, minus 8 (Mon) and 25 December (Thu) → 21.
  // Entry on Tuesday 9 December: 1–8 December hold 6 Monday–Friday days, 8 is a holiday → 5 → 3 000 × 5 / 21 = 714,29.
  const dec = compute(input({ period: "2025-12", company: working, employee: { hireDate: "2025-12-09" } }));
  assert.equal(line(dec, "0021")?.amount, -71_429);
});

test("working-days prorata, November 2024: All Saints (Friday 1) and the National Day (Tuesday 19)", () => {
  // November 2024: Friday 1 – Saturday 30 → 21 Monday–Friday days, minus 1 and 19 November → 19.
  // Entry on Wednesday 20: 1–19 November hold 13 Monday–Friday days, 2 of them holidays → 11 → 3 000 × 11 / 19 = 1 736,84.
  const r = compute(input({ period: "2024-11", company: working, employee: { hireDate: "2024-11-20" } }));
  assert.equal(line(r, "0021")?.amount, -173_684);
  assert.match(line(r, "0021")!.explanation, /11 jours ouvrés non travaillés sur 19 /);
});

test("working-days prorata counts a one-day range and the month's last day", () => {
  // December 2025 has 21 working days (above); exit on Tuesday 30: Wednesday 31 alone after it → 3 000 / 21 = 142,86
  const r = compute(input({ period: "2025-12", company: working, employee: { exitDate: "2025-12-30" } }));
  assert.equal(line(r, "0023")?.amount, -14_286);
  assert.match(line(r, "0023")!.explanation, /1 jours ouvrés non travaillés sur 21 /);
});

test("workingDays (the add-in's absence hours): a range across 1 January reads both years' holidays", () => {
  // Monday 29 December 2025 – Friday 2 January 2026: 5 Monday–Friday days, 1 January 2026 (Thursday) a holiday → 4
  assert.equal(workingDays("2025-12-29", "2026-01-02"), 4);
  // Wednesday 24 – Friday 26 December 2025: Christmas on the Thursday → 2
  assert.equal(workingDays("2025-12-24", "2025-12-26"), 2);
  // one day, and an empty range
  assert.equal(workingDays("2025-12-31", "2025-12-31"), 1);
  assert.equal(workingDays("2025-12-31", "2025-12-30"), 0);
  // a Saturday–Sunday range
  assert.equal(workingDays("2025-12-27", "2025-12-28"), 0);
});

test("Easter Monday from the anonymous Gregorian algorithm matches the published Easter dates, 2000–2099", () => {
  // Easter Sunday (published tables) → the Monday is a Monaco holiday, the Tuesday a working day. 2049 and 2076 are
  // the years of the algorithm's correction term m = 1 (Easter on 18 and 19 April rather than 25 and 26).
  const easter: Record<number, string> = {
    2000: "2000-04-23",
    2008: "2008-03-23",
    2011: "2011-04-24",
    2019: "2019-04-21",
    2020: "2020-04-12",
    2021: "2021-04-04",
    2022: "2022-04-17",
    2023: "2023-04-09",
    2026: "2026-04-05",
    2027: "2027-03-28",
    2038: "2038-04-25",
    2049: "2049-04-18",
    2076: "2076-04-19",
    2099: "2099-04-12",
  };
  for (const [year, sunday] of Object.entries(easter)) {
    const d = new Date(`${sunday}T00:00:00Z`);
    const plus = (n: number) => new Date(d.getTime() + n * 86_400_000).toISOString().slice(0, 10);
    assert.equal(workingDays(plus(1), plus(1)), 0, `${year}: Easter Monday ${plus(1)}`);
    assert.equal(workingDays(plus(2), plus(2)), 1, `${year}: the Tuesday after`);
    assert.equal(workingDays(plus(39), plus(39)), 0, `${year}: Ascension ${plus(39)}`);
  }
});
