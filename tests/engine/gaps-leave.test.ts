/**
 * Gaps found by mutation testing (issue 11): the paid-leave counters, the reference gross carried to the next month,
 * the roll-over on 1 May, and the 1/10 indemnity when every day comes from the current leave year.
 * Counters are in 1e-4 days (2,5 days = 25 000), amounts in cents; the carry is in days and euros.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import type { CarryInput } from "../../shared/core/carry.ts";
import { compute, input, line } from "./helpers.ts";

type LeaveYear = CarryInput["leave"]["current"];

function carry(year: number, yearStart: string, current: LeaveYear, previous: LeaveYear): CarryInput {
  return {
    year,
    ytd: { gross: 0, baseSS: 0, taxableNet: 0, netPaid: 0, ceilingSS: 0, hours: 0, employeeContributions: 0, employerContributions: 0 },
    ceilings: {},
    leave: { yearStart, current, previous },
  };
}

test("leave taken from both years: counters, the tenth of each year, and the reference gross carried on", () => {
  // Carried into August 2025: 2024/25 has 30 acquired, 28 taken (36 000 € reference); 2025/26 has 7,5 acquired,
  // 1 taken, 3 months, 9 000 € reference. The month: 4 days of leave and 16,9 sick hours (no dates: in this year).
  const c = carry(
    2025,
    "2025-05-01",
    { acquired: 7.5, taken: 1, months: 3, referenceGross: 9000 },
    { acquired: 30, taken: 28, months: 12, referenceGross: 36000 },
  );
  const r = compute(input({ carry: c, variables: { paidLeave: [{ days: 4 }], absences: [{ kind: "sick", hours: 16.9 }] } }));
  // sick: 16,9 h × 17,7515 (3 000 / 169) = 301,7755 − 1,77515 = 300,00035 → 300,00
  assert.equal(line(r, "2991")?.amount, -30_000);
  // maintenance: 4 × 115,3846 (3 000 / 26) = 461,5384 → 461,54
  assert.equal(line(r, "3201")?.amount, -46_154);
  // 2 days left in 2024/25 go first, 2 from 2025/26:
  // tenth N-1 = 36 000 / 10 × 2 / 30 = 240,00; tenth N = 9 000 / 10 × 2 / 7,5 = 240,00 → 480,00 > 461,54
  assert.equal(line(r, "4271")?.amount, 48_000);
  assert.equal(r.gross, 300_000 - 30_000 - 46_154 + 48_000);
  // acquired this month: 2,5 × (169 − 16,9) / 169 = 2,25 days
  assert.deepEqual(r.leave.current, {
    label: "2025/26",
    start: "2025-05-01",
    end: "2026-04-30",
    acquired: 75_000 + 22_500,
    taken: 10_000 + 20_000,
    remaining: 97_500 - 30_000,
  });
  assert.deepEqual(r.leave.previous, { label: "2024/25", start: "2024-05-01", end: "2025-04-30", acquired: 300_000, taken: 300_000, remaining: 0 });
  // the reference gross gains every paid-leave-base line: 9 000 + 3 000 − 300,00 − 461,54 + 480,00 = 11 718,46
  assert.deepEqual(r.carry.leave, {
    yearStart: "2025-05-01",
    current: { acquired: 9.75, taken: 3, months: 4, referenceGross: 11_718.46 },
    previous: { acquired: 30, taken: 30, months: 12, referenceGross: 36_000 },
  });
  assert.ok(!r.warnings.some((w) => w.code === "LEAVE_OVERDRAWN" || w.code === "LEAVE_TENTH_UNKNOWN"));
});

test("the reference gross leaves out the lines outside the paid-leave base (benefits in kind)", () => {
  // 3 000 salary + 500 housing benefit (5021, not in the paid-leave base) → 3 000 added to the reference
  const r = compute(input({ variables: { housing: 500 } }));
  assert.equal(r.gross, 350_000);
  assert.equal(r.bases.paidLeave, 300_000);
  assert.equal(r.carry.leave.current.referenceGross, 3_000);
  assert.equal(r.carry.leave.current.months, 1);
  assert.equal(r.carry.leave.current.acquired, 2.5);
});

test("all days from the current year: the indemnity is that year's tenth alone", () => {
  // January 2026: 2024/25 was 30 taken of 30; 2025/26 has 20 acquired over 8 months, 40 000 € reference.
  // 2 days: maintenance 2 × 115,3846 = 230,7692 → 230,77; tenth 40 000 / 10 × 2 / 20 = 400,00 → 400,00.
  const c = carry(
    2025,
    "2025-05-01",
    { acquired: 20, taken: 0, months: 8, referenceGross: 40000 },
    { acquired: 30, taken: 30, months: 12, referenceGross: 36000 },
  );
  const r = compute(input({ period: "2026-01", carry: c, variables: { paidLeave: [{ days: 2 }] } }));
  assert.equal(line(r, "3201")?.amount, -23_077);
  assert.equal(line(r, "4271")?.amount, 40_000);
  assert.match(line(r, "4271")!.explanation, /dixième \(400,00 €\)/);
  assert.equal(r.leave.previous.taken, 300_000);
  assert.equal(r.leave.current.taken, 20_000);
  assert.ok(!r.warnings.some((w) => w.code === "LEAVE_TENTH_UNKNOWN"));
  // the same days with a low reference (10 000 €: tenth 100,00) are paid at maintenance
  const low = carry(2025, "2025-05-01", { acquired: 20, taken: 0, months: 8, referenceGross: 10000 }, c.leave.previous);
  const m = compute(input({ period: "2026-01", carry: low, variables: { paidLeave: [{ days: 2 }] } }));
  assert.equal(line(m, "4271")?.amount, 23_077);
  // the current year's reference unknown (0): no tenth, maintenance, and a warning
  const unknown = carry(2025, "2025-05-01", { acquired: 20, taken: 0, months: 8, referenceGross: 0 }, c.leave.previous);
  const u = compute(input({ period: "2026-01", carry: unknown, variables: { paidLeave: [{ days: 2 }] } }));
  assert.equal(line(u, "4271")?.amount, 23_077);
  assert.ok(u.warnings.some((w) => w.code === "LEAVE_TENTH_UNKNOWN"));
});

test("roll-over on 1 May: last year's current counters become the previous year, this year starts from zero", () => {
  const c = carry(
    2025,
    "2024-05-01",
    { acquired: 27.5, taken: 5, months: 11, referenceGross: 33000 },
    { acquired: 30, taken: 30, months: 12, referenceGross: 36000 },
  );
  const may = compute(input({ period: "2025-05", carry: c }));
  assert.deepEqual(may.carry.leave, {
    yearStart: "2025-05-01",
    current: { acquired: 2.5, taken: 0, months: 1, referenceGross: 3000 },
    previous: { acquired: 27.5, taken: 5, months: 11, referenceGross: 33000 },
  });
  assert.equal(may.leave.previous.label, "2024/25");
  assert.equal(may.leave.previous.remaining, 225_000);
  assert.ok(!may.warnings.some((w) => w.code === "LEAVE_CARRY_TOO_OLD"));
  // counters two leave years old are dropped, with a warning
  const old = compute(input({ period: "2025-08", carry: { ...c, leave: { ...c.leave, yearStart: "2023-05-01" } } }));
  assert.ok(old.warnings.some((w) => w.code === "LEAVE_CARRY_TOO_OLD" && w.path === "carry.leave.yearStart"));
  assert.deepEqual(old.carry.leave.previous, { acquired: 0, taken: 0, months: 0, referenceGross: 0 });
  assert.deepEqual(old.carry.leave.current, { acquired: 2.5, taken: 0, months: 1, referenceGross: 3000 });
});

test("leave counters: an entry month counts as a month; sick days with dates before the leave year still earn leave", () => {
  // entry on 18 August 2025 (calendar days): 169 × 14 / 31 = 76,32 h employed → 2,5 × 76,32 / 169 = 1,1290 days
  const entry = compute(input({ employee: { hireDate: "2025-08-18" } }));
  assert.equal(entry.leave.current.acquired, 11_290);
  assert.equal(entry.carry.leave.current.months, 1);
  // a sick absence dated before 1 May 2025 (carried over from April's payslip) is not deducted from this year
  const early = compute(input({ period: "2025-05", variables: { absences: [{ kind: "sick", hours: 16.9, from: "2025-04-28", to: "2025-04-30" }] } }));
  assert.equal(early.leave.current.acquired, 25_000);
  // dated in the year it is: 2,5 × (169 − 16,9) / 169 = 2,25
  const inside = compute(input({ period: "2025-05", variables: { absences: [{ kind: "sick", hours: 16.9, from: "2025-05-01", to: "2025-05-02" }] } }));
  assert.equal(inside.leave.current.acquired, 22_500);
  // unpaid absences do not earn leave either: 2,5 × (169 − 84,5) / 169 = 1,25 each
  for (const kind of ["unpaid", "unpaid-leave"] as const) {
    assert.equal(compute(input({ variables: { absences: [{ kind, hours: 84.5 }] } })).leave.current.acquired, 12_500, kind);
  }
  // work accidents count as effective work
  assert.equal(compute(input({ variables: { absences: [{ kind: "work-accident", hours: 84.5 }] } })).leave.current.acquired, 25_000);
});

test("leave overdrawn in both years is flagged", () => {
  // 2024/25: 31 taken of 30 (already overdrawn); 2025/26: 2,5 acquired, 3 days taken this month → 3 > 2,5
  const c = carry(
    2025,
    "2025-05-01",
    { acquired: 2.5, taken: 0, months: 1, referenceGross: 3000 },
    { acquired: 30, taken: 31, months: 12, referenceGross: 36000 },
  );
  const r = compute(input({ period: "2025-06", carry: c, variables: { paidLeave: [{ days: 3 }] } }));
  assert.ok(r.warnings.some((w) => w.code === "LEAVE_OVERDRAWN" && w.path === "variables.paidLeave"));
  const within = compute(input({ period: "2025-06", carry: c, variables: { paidLeave: [{ days: 2 }] } }));
  assert.ok(!within.warnings.some((w) => w.code === "LEAVE_OVERDRAWN"));
});

test("leave-year labels keep two digits after the slash, across a century", () => {
  // May 2099 opens 2099/00 (2100 % 100 = 0, padded to "00"); the year before is 2098/99 ending on 30 April 2099
  const r = compute(input({ period: "2099-05" }));
  assert.deepEqual(
    [r.leave.previous.label, r.leave.previous.end, r.leave.current.label, r.leave.current.end],
    ["2098/99", "2099-04-30", "2099/00", "2100-04-30"],
  );
});
