/**
 * Recalls (rappels de salaire) paid in a later month: a gross line under the recalled rubric, contributed with the
 * bases, rates and ceilings of the month it is paid in. Every figure below is worked by hand from the rates written
 * next to it (August 2025 parameters, the ones BS2025-08 prints), each line rounded half-up to the cent.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { computePayslip } from "../../shared/engine/compute.ts";
import { ofPeriod, recallLabel } from "../../shared/rules/recall.ts";
import type { PayslipInput } from "../../shared/schema/payslip-input.ts";
import { compute, contribution } from "./helpers.ts";

/** The demo company's non-cadre employee D001 (samples/demo-workbook-2025-08.json), with its company contract 8517. */
function d001(recalls: NonNullable<PayslipInput["variables"]>["recalls"]): PayslipInput {
  return {
    period: "2025-08",
    company: {
      paidLeaveSystem: "ouvrables",
      prorata: "calendar-days",
      contracts: [{ code: "8517", label: "Prévoyance non cadre", appliesTo: "non-cadre", base: { kind: "gross" }, employerRate: 2.55 }],
    },
    employee: { id: "D001", category: "non-cadre", hireDate: "2013-01-01", contractHours: 169, monthlySalary: 3725.64, seniority: { rate: 12, base: "smic" } },
    variables: { recalls },
  };
}

const figures = (code: string, r: ReturnType<typeof compute>) => {
  const c = contribution(r, code);
  assert.ok(c, `contribution ${code}`);
  return { base: c.base, employee: c.employeeAmount ?? 0, employer: c.employerAmount ?? 0 };
};

test("recall labels: French month with elision", () => {
  assert.equal(recallLabel("2025-07"), "Rappel de salaire de juillet 2025");
  assert.equal(recallLabel("2025-08"), "Rappel de salaire d'août 2025");
  assert.equal(recallLabel("2025-04"), "Rappel de salaire d'avril 2025");
  assert.equal(ofPeriod("2024-10"), "d'octobre 2024");
  assert.equal(ofPeriod("2025-02"), "de février 2025");
});

test("a recall of 150,00 € of July's base salary paid in August: every line to the cent, with August's ceilings", () => {
  const r = compute(d001([{ period: "2025-07", rubric: "0003", amount: 150, label: "augmentation oubliée" }]));
  const recall = r.lines.find((l) => l.label === "Rappel de salaire de juillet 2025");
  assert.ok(recall, "the recall line");
  assert.equal(recall.amount, 15000);
  assert.equal(recall.rubric, "0003");
  assert.equal(recall.section, "gross");
  assert.match(recall.explanation, /augmentation oubliée/);
  assert.match(recall.explanation, /à confirmer/);

  // Gross: salary 3 725,64 + seniority 12 % × SMIC 11,88 × 169 = 240,9264 → 240,93 + recall 150,00 = 4 116,57.
  assert.equal(r.gross, 372564 + 24093 + 15000);
  assert.equal(r.gross, 411657);
  // CCSS, employer 13,45 %, ceiling 9 600: 4 116,57 × 13,45 % = 553,678665 → 553,68.
  assert.deepEqual(figures("9301", r), { base: 411657, employee: 0, employer: 55368 });
  // CAR, 6,85 % / 8,31 %, ceiling 6 028: 281,985045 → 281,99 ; 342,086967 → 342,09.
  assert.deepEqual(figures("1901", r), { base: 411657, employee: 28199, employer: 34209 });
  // The recall takes gross over August's CMRC (3 947) and unemployment (3 925) ceilings: tranche B appears.
  // CMRC TA 3 947 × 4,01 % = 158,2747 → 158,27 ; × 6,01 % = 237,2147 → 237,21.
  assert.deepEqual(figures("1911", r), { base: 394700, employee: 15827, employer: 23721 });
  // CMRC TB 4 116,57 − 3 947 = 169,57 × 9,72 % = 16,482204 → 16,48 ; × 14,57 % = 24,706349 → 24,71.
  assert.deepEqual(figures("1913", r), { base: 16957, employee: 1648, employer: 2471 });
  // Chômage TA 3 925 × 2,40 % = 94,20 ; × 4,00 % = 157,00.
  assert.deepEqual(figures("7001", r), { base: 392500, employee: 9420, employer: 15700 });
  // Chômage TB 4 116,57 − 3 925 = 191,57 × 2,40 % = 4,59768 → 4,60 ; × 4,00 % = 7,6628 → 7,66.
  assert.deepEqual(figures("7121", r), { base: 19157, employee: 460, employer: 766 });
  // Company contract 8517, employer 2,55 % of gross: 104,972535 → 104,97.
  assert.deepEqual(figures("8517", r), { base: 411657, employee: 0, employer: 10497 });

  // Employee share 281,99 + 158,27 + 16,48 + 94,20 + 4,60 = 555,54 ; net 4 116,57 − 555,54 = 3 561,03.
  assert.equal(r.employeeTotal, 55554);
  assert.equal(r.net, 356103);
  assert.equal(r.taxableNet, 356103);
  // Employer 553,68 + 342,09 + 237,21 + 24,71 + 157,00 + 7,66 + 104,97 = 1 427,32.
  assert.equal(r.employerTotal, 142732);
  // In the paid-leave base (0003 is "Base CP") and in the carried cumuls.
  assert.equal(r.bases.paidLeave, 411657);
  assert.equal(r.ytd.gross, 411657);
  assert.equal(r.carry.ytd?.gross, 4116.57); // the carry is kept in euros
});

test("a negative recall (regularisation of 150,00 € paid too much in July) lowers August's bases", () => {
  const r = compute(d001([{ period: "2025-07", rubric: "0003", amount: -150 }]));
  const recall = r.lines.find((l) => l.label === "Rappel de salaire de juillet 2025");
  assert.equal(recall?.amount, -15000);
  // Gross 3 725,64 + 240,93 − 150,00 = 3 816,57: under every ceiling, no tranche B.
  assert.equal(r.gross, 381657);
  // CCSS 13,45 %: 513,328665 → 513,33.
  assert.deepEqual(figures("9301", r), { base: 381657, employee: 0, employer: 51333 });
  // CAR 6,85 % = 261,435045 → 261,44 ; 8,31 % = 317,156967 → 317,16.
  assert.deepEqual(figures("1901", r), { base: 381657, employee: 26144, employer: 31716 });
  // CMRC TA 4,01 % = 153,044457 → 153,04 ; 6,01 % = 229,375857 → 229,38.
  assert.deepEqual(figures("1911", r), { base: 381657, employee: 15304, employer: 22938 });
  // Chômage TA 2,40 % = 91,59768 → 91,60 ; 4,00 % = 152,6628 → 152,66.
  assert.deepEqual(figures("7001", r), { base: 381657, employee: 9160, employer: 15266 });
  for (const code of ["1913", "7121"]) assert.ok(!contribution(r, code)?.employeeAmount, `no ${code}`);
  // Net 3 816,57 − (261,44 + 153,04 + 91,60 = 506,08) = 3 310,49.
  assert.equal(r.employeeTotal, 50608);
  assert.equal(r.net, 331049);
});

test("a cadre's recall that crosses the CCSS ceiling is capped at the ceiling of the month it is paid in", () => {
  // October 2025: the CCSS ceiling went from 9 600 (September) to 9 800. Salary 9 700 + recall of September 200.
  const base: PayslipInput = {
    period: "2025-10",
    company: {},
    employee: { id: "C1", category: "cadre", hireDate: "2016-06-01", contractHours: 169, monthlySalary: 9700 },
  };
  const without = compute(base);
  assert.deepEqual(figures("9301", without), { base: 970000, employee: 0, employer: 130465 }); // 9 700 × 13,45 % = 1 304,65
  const r = compute({ ...base, variables: { recalls: [{ period: "2025-09", rubric: "0003", amount: 200 }] } });
  assert.equal(r.gross, 990000);
  // Capped at October's 9 800 (not September's 9 600): 9 800 × 13,45 % = 1 318,10.
  assert.deepEqual(figures("9301", r), { base: 980000, employee: 0, employer: 131810 });
  assert.equal(r.bases.ccss, 980000);
});

test("recalls of several rubrics keep each rubric's flags: a prime exceptionnelle stays outside the 5 % allowance base", () => {
  const i = d001([
    { period: "2025-06", rubric: "2013", amount: 45.5 },
    { period: "2025-07", rubric: "2023", amount: 100 },
  ]);
  const r = compute(i);
  const labels = r.lines.filter((l) => l.label.startsWith("Rappel")).map((l) => [l.rubric, l.label, l.amount]);
  assert.deepEqual(labels, [
    ["2013", "Rappel de salaire de juin 2025", 4550],
    ["2023", "Rappel de salaire de juillet 2025", 10000],
  ]);
  assert.equal(r.gross, 372564 + 24093 + 4550 + 10000);
});

test("recall input errors are located and in French", () => {
  const errors = (recalls: unknown) => {
    const o = computePayslip({ ...d001([]), variables: { recalls } });
    assert.equal(o.ok, false);
    return o.ok ? [] : o.errors.map((e) => `${e.code} ${e.message}`);
  };
  assert.deepEqual(errors([{ period: "2025-08", rubric: "0003", amount: 10 }]), [
    "RECALL_NOT_PAST variables.recalls[0].period : un rappel porte sur une période antérieure à 2025-08, pas sur 2025-08",
  ]);
  assert.match(errors([{ period: "2025-09", rubric: "0003", amount: 10 }])[0]!, /^RECALL_NOT_PAST/);
  assert.deepEqual(errors([{ period: "2012-12", rubric: "0003", amount: 10 }]), [
    "DATE_OUTSIDE_CONTRACT variables.recalls[0].period : 2012-12 est avant l'entrée du salarié (2013-01-01)",
  ]);
  assert.match(errors([{ period: "2025-07", rubric: "4271", amount: 10 }])[0]!, /^INVALID_CHOICE variables\.recalls\[0\]\.rubric : .*0003/);
  assert.match(errors([{ period: "2025-13", rubric: "0003", amount: 10 }])[0]!, /variables\.recalls\[0\]\.period/);
  assert.match(errors([{ period: "2025-07", rubric: "0003", amount: "150" }])[0]!, /variables\.recalls\[0\]\.amount/);
  assert.deepEqual(errors([{ period: "2025-07", rubric: "0003", amount: 0 }]), ["RECALL_EMPTY variables.recalls[0].amount : un rappel de 0,00 € ne paie rien"]);
});
