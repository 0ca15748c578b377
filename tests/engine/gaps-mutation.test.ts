/**
 * Survivors of the StrykerJS run (issue 11, docs/mutation.md) that were real gaps: each test below fails on the mutant
 * named in its title. Expected values are worked by hand in the comments (published Easter dates, calendar days, cents).
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { workingDays } from "../../shared/rules/calendar.ts";
import { type LeaveYearState, tenthOf } from "../../shared/rules/paid-leave.ts";

const plusDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

test("Easter in the 1900s and in the years where 19a + b − d − g < 15 (a = 0): published dates (calendar.ts g, h, l)", () => {
  // Periods run 1900–2099 (PERIOD_PATTERN). In the 1900s b = 19, e = 3, f = 1, g = floor(19/3) = 6 (the mutant b − f − 1
  // gives 5) and 2e = 6 (the mutant 32 − 2e changes l); with a = year % 19 = 0 (2014, 2033), 19a + b − d − g = 9, so
  // h = (9 + 15) % 30 = 24, while (9 − 15) % 30 = −6 in JavaScript. Easter Sundays from the published tables.
  const easter: Record<number, string> = {
    1900: "1900-04-15",
    1901: "1901-04-07",
    1903: "1903-04-12",
    1905: "1905-04-23",
    1919: "1919-04-20",
    1954: "1954-04-18",
    1981: "1981-04-19",
    2014: "2014-04-20",
    2033: "2033-04-17",
  };
  for (const [year, sunday] of Object.entries(easter)) {
    assert.equal(workingDays(plusDays(sunday, 1), plusDays(sunday, 1)), 0, `${year}: Easter Monday ${plusDays(sunday, 1)}`);
    assert.equal(workingDays(plusDays(sunday, 2), plusDays(sunday, 2)), 1, `${year}: the Tuesday after`);
    assert.equal(workingDays(plusDays(sunday, 50), plusDays(sunday, 50)), 0, `${year}: Whit Monday ${plusDays(sunday, 50)}`);
  }
});

test("workingDays across 1 January reads the holidays of both years: 24 Dec 2025 – 2 Jan 2026 = 6 days", () => {
  // Wed 24 ✓, Thu 25 Christmas ✗, Fri 26 ✓, Sat 27 / Sun 28 ✗, Mon 29 ✓, Tue 30 ✓, Wed 31 ✓, Thu 1 Jan ✗, Fri 2 ✓ → 6.
  // 25 December belongs to the first year only: reading one year's holidays would count it (7).
  assert.equal(workingDays("2025-12-24", "2026-01-02"), 6);
  // 1 January belongs to the second year only.
  assert.equal(workingDays("2025-12-31", "2026-01-01"), 1);
});

const year = (acquired: number, referenceGross: number): LeaveYearState => ({ start: "2024-05-01", acquired, taken: 0, months: 0, referenceGross });

test("tenthOf: 1/10 of the reference gross pro rata of the days, in cents, half-up; undefined without days acquired or taken", () => {
  // 30 000,00 € reference gross, 25 days acquired (250 000 × 1e-4 days), 2 days paid: 3 000 000 × 20 000 / (250 000 × 10)
  // = 24 000 cents = 240,00 € (= 3 000 € × 2/25).
  assert.equal(tenthOf(year(250_000, 3_000_000), 20_000), 24_000);
  // 0,15 € × 1 day / (1 day × 10) = 1,5 cents → 2 (half-up).
  assert.equal(tenthOf(year(10_000, 15), 10_000), 2);
  // No day acquired: the 1/10 is unknown (the caller warns), never a division by zero.
  assert.equal(tenthOf(year(0, 3_000_000), 20_000), undefined);
  // No reference gross, or no day paid: unknown as well.
  assert.equal(tenthOf(year(250_000, 0), 20_000), undefined);
  assert.equal(tenthOf(year(250_000, 3_000_000), 0), undefined);
});
