/**
 * Gaps found by mutation testing (issue 11): the DSM events a payslip declares — the bonus ("prime") event, the
 * paid-leave hours when leave is entered in days, and every absence, entry, exit and notice event, in order.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { compute, input } from "./helpers.ts";

test("DSM prime event: the sum of the bonus rubrics (2023, 2031, 2033, 2041, 2053, 2061), nothing else", () => {
  // 2023 prime exceptionnelle 500,00 + 2061 commissions 250,50 = 750,50; 9861 (prime de panier) is no bonus.
  const r = compute(
    input({
      variables: {
        lines: [
          { code: "2023", amount: 500 },
          { code: "2061", amount: 250.5 },
          { code: "9861", amount: 40 },
        ],
      },
    }),
  );
  assert.deepEqual(r.events, [{ kind: "prime", amount: 75_050 }]);
  // 13th and 14th months, "Prime", "Sentens Piens": 1 000 + 1 000 + 100 + 10 = 2 110,00
  const months = compute(
    input({
      variables: {
        lines: [
          { code: "2031", amount: 1000 },
          { code: "2033", amount: 1000 },
          { code: "2041", amount: 100 },
          { code: "2053", amount: 10 },
        ],
      },
    }),
  );
  assert.deepEqual(months.events, [{ kind: "prime", amount: 211_000 }]);
  // no bonus, no event
  assert.deepEqual(compute(input({ variables: { lines: [{ code: "9861", amount: 40 }] } })).events, []);
});

test("DSM congesPayes: hours entered are kept; leave entered in days is converted at contract hours ÷ days of the month", () => {
  // 151,67 h a month, jours ouvrables: 15 167 / 26 = 583,35 hundredths a day → 5,83 h (rounded to the hundredth);
  // 1,5 days × 5,83 h = 8,745 → 8,75 h (half-up). The second entry gives its hours: 14 h.
  const r = compute(
    input({
      employee: { contractHours: 151.67 },
      variables: {
        paidLeave: [
          { days: 1.5, from: "2025-08-04", to: "2025-08-05" },
          { days: 2, hours: 14 },
        ],
      },
    }),
  );
  assert.deepEqual(r.events, [
    { kind: "congesPayes", hours: 875, from: "2025-08-04", to: "2025-08-05" },
    { kind: "congesPayes", hours: 1_400 },
  ]);
  // 169 h, jours ouvrés: 16 900 / 21,67 = 779,88 → 7,80 h a day; 3 days → 23,40 h
  const ouvres = compute(input({ company: { paidLeaveSystem: "ouvres" }, variables: { paidLeave: [{ days: 3 }] } }));
  assert.deepEqual(ouvres.events, [{ kind: "congesPayes", hours: 2_340 }]);
  // 169 h, jours ouvrables: 16 900 / 26 = 6,50 h a day; 2 days → 13,00 h
  const ouvrables = compute(input({ variables: { paidLeave: [{ days: 2, to: "2025-08-12" }] } }));
  assert.deepEqual(ouvrables.events, [{ kind: "congesPayes", hours: 1_300, to: "2025-08-12" }]);
});

test("DSM events of a month: absences (unpaid ones undeclared), entry, exit and notice, in that order", () => {
  const r = compute(
    input({
      employee: { hireDate: "2025-08-04", exitDate: "2025-08-29" },
      variables: {
        absences: [
          { kind: "sick", hours: 7.8, from: "2025-08-11", to: "2025-08-11" },
          { kind: "unpaid", hours: 7.8, from: "2025-08-12", to: "2025-08-12" },
          { kind: "work-accident", hours: 7.8 },
          { kind: "unpaid-leave", hours: 7.8, from: "2025-08-18" },
          { kind: "maternity", hours: 7.8, to: "2025-08-29" },
        ],
        notice: 1000,
      },
    }),
  );
  assert.deepEqual(r.events, [
    { kind: "maladie", from: "2025-08-11", to: "2025-08-11" },
    { kind: "accidentTravail" },
    { kind: "congesSansSolde", from: "2025-08-18" },
    { kind: "maternite", to: "2025-08-29" },
    { kind: "entreeDuSalarie", from: "2025-08-04" },
    { kind: "sortieDuSalarie", from: "2025-08-29", to: "2025-08-29" },
    { kind: "preavis", from: "2025-08-01", to: "2025-08-31" },
  ]);
  // an exit in a later month is no event of this one; an entry before the month neither
  const later = compute(input({ employee: { exitDate: "2025-09-15" } }));
  assert.deepEqual(later.events, []);
});
