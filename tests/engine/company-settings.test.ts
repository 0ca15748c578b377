/**
 * Company options as settings (issue 13 item 1): a higher CMRC tranche-A rate and conventional holidays, computed by
 * the real engine and checked to the cent against figures worked by hand in the comments; the checks a company
 * change passes (shared/rules/company-settings.ts), in French, naming the field.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { PARAMETERS } from "../../shared/rates/parameters.ts";
import { workingDays } from "../../shared/rules/calendar.ts";
import { checkCompanySettings } from "../../shared/rules/company-settings.ts";
import type { CompanyInput } from "../../shared/schema/payslip-input.ts";
import { compute, contribution, input, line } from "./helpers.ts";

// August 2025: CMRC TA ceiling 3 947 € (AM 2024-584), legal TA rates 4,01 % employee / 6,01 % employer.
const higher = { validFrom: "2025-08-01", employeeRate: 4.55, employerRate: 6.825, reference: "accord CSM du 15/07/2025" };

test("a higher CMRC TA rate replaces the legal one, to the cent, from its date", () => {
  // Gross 3 210,00 € < 3 947 €: the whole gross is TA, nothing in TB.
  const legal = compute(input({ employee: { monthlySalary: 3210 } }));
  const own = compute(input({ company: { cmrcTrancheARate: higher }, employee: { monthlySalary: 3210 } }));
  const l = contribution(legal, "1911")!;
  const o = contribution(own, "1911")!;
  assert.equal(l.base, 321_000);
  assert.equal(o.base, 321_000);
  // Legal: 3 210 × 4,01 % = 128,721 → 128,72; × 6,01 % = 192,921 → 192,92.
  assert.equal(l.employeeAmount, 12_872);
  assert.equal(l.employerAmount, 19_292);
  // Company: 3 210 × 4,55 % = 146,055 → 146,06 (half-up); × 6,825 % = 219,0825 → 219,08.
  assert.equal(o.employeeRate, 45_500);
  assert.equal(o.employerRate, 68_250);
  assert.equal(o.employeeAmount, 14_606);
  assert.equal(o.employerAmount, 21_908);
  assert.match(
    o.explanation,
    /salarié 4,55 % \(taux supérieur de la société depuis le 01\/08\/2025 \(accord CSM du 15\/07\/2025\), au lieu du taux légal 4,01 %\)/,
  );
  assert.match(o.explanation, /employeur 6,825 % \(taux supérieur/);
  // Only the CMRC TA line moves: the net falls by 146,06 − 128,72 = 17,34, the cost rises by 219,08 − 192,92 = 26,16.
  assert.equal(legal.netPaid - own.netPaid, 1_734);
  assert.equal(own.employerCost - legal.employerCost, 2_616);
  assert.equal(contribution(own, "1913"), undefined);
});

test("before its validFrom the company's rate is not applied; a side at the legal rate keeps the legal words", () => {
  const before = compute(input({ company: { cmrcTrancheARate: { ...higher, validFrom: "2025-09-01" } }, employee: { monthlySalary: 3210 } }));
  assert.equal(contribution(before, "1911")!.employeeAmount, 12_872);
  assert.doesNotMatch(contribution(before, "1911")!.explanation, /société/);
  // Employer side only: the employee side is the legal 4,01 % with its reference.
  const one = compute(input({ company: { cmrcTrancheARate: { ...higher, employeeRate: 4.01 } }, employee: { monthlySalary: 3210 } }));
  const c = contribution(one, "1911")!;
  assert.equal(c.employeeAmount, 12_872);
  assert.equal(c.employerAmount, 21_908);
  assert.match(c.explanation, /salarié 4,01 % \(AM 2023-699/);
});

test("a legal rate that rises above the company's wins for that side", () => {
  // A legal employee rate of 4,60 % from 01/08/2025 (an override with its source) is above the company's 4,55 %:
  // 3 210 × 4,60 % = 147,66; the employer side keeps the company's 6,825 % → 219,08.
  const r = compute(
    input({
      company: { cmrcTrancheARate: higher },
      employee: { monthlySalary: 3210 },
      parameterOverrides: [{ id: "cmrc.ta_employee_rate", from: "2025-08-01", value: 4.6, source: "circulaire CSM (test)" }],
    }),
  );
  const c = contribution(r, "1911")!;
  assert.equal(c.employeeRate, 46_000);
  assert.equal(c.employeeAmount, 14_766);
  assert.equal(c.employerAmount, 21_908);
  assert.match(c.explanation, /salarié 4,60 % \(valeur saisie: circulaire CSM \(test\)\) ; employeur 6,825 % \(taux supérieur/);
});

test("above the TA ceiling: the higher rate on 3 947 € only, TB keeps its legal rate", () => {
  // Gross 4 500: TA 3 947,00 × 4,55 % = 179,5885 → 179,59; × 6,825 % = 269,38275 → 269,38.
  // TB 553,00 × 9,72 % = 53,7516 → 53,75 (legal).
  const r = compute(input({ company: { cmrcTrancheARate: higher }, employee: { monthlySalary: 4500 } }));
  assert.equal(contribution(r, "1911")!.base, 394_700);
  assert.equal(contribution(r, "1911")!.employeeAmount, 17_959);
  assert.equal(contribution(r, "1911")!.employerAmount, 26_938);
  assert.equal(contribution(r, "1913")!.employeeAmount, 5_375);
});

test("a conventional holiday inside the working-days prorata: 3 September 2025 is not counted", () => {
  // September 2025: Monday 1 – Tuesday 30 → 22 Monday–Friday days, no Monaco legal holiday.
  assert.equal(workingDays("2025-09-01", "2025-09-30"), 22);
  const conventional = new Set(["2025-09-03"]);
  assert.equal(workingDays("2025-09-01", "2025-09-30", conventional), 21);
  // Entry on Thursday 4 September. Legal calendar only: 1, 2, 3 not worked → 3 000 × 3 / 22 = 409,0909 → 409,09.
  const company = { prorata: "working-days" as const };
  const legal = compute(input({ period: "2025-09", company, employee: { hireDate: "2025-09-04" } }));
  assert.equal(line(legal, "0021")?.amount, -40_909);
  // With Wednesday 3 September (Libération, CCNT art. 11) as the company's holiday: 1, 2 not worked out of 21
  // → 3 000 × 2 / 21 = 285,714 → 285,71.
  const own = compute(
    input({
      period: "2025-09",
      company: { ...company, conventionalHolidays: [{ date: "2025-09-03", label: "Libération" }] },
      employee: { hireDate: "2025-09-04" },
    }),
  );
  assert.equal(line(own, "0021")?.amount, -28_571);
  assert.match(line(own, "0021")!.explanation, /2 jours ouvrés non travaillés sur 21 /);
  assert.equal(own.gross, 300_000 - 28_571);
});

const messages = (c: CompanyInput) => checkCompanySettings(c, PARAMETERS).map((i) => i.message);

test("checks: a rate below the legal one, a rate above twice it, a date that does not exist, a duplicate holiday", () => {
  assert.deepEqual(messages({ cmrcTrancheARate: higher, conventionalHolidays: [{ date: "2026-09-03", label: "Libération" }] }), []);
  assert.deepEqual(messages({ cmrcTrancheARate: { ...higher, employeeRate: 3.9 } }), [
    "settings.engine.cmrcTrancheARate.employeeRate : le taux salarial CMRC tranche A de la société (3,9 %) est inférieur au taux légal (4,01 % depuis le 01/01/2024) ; un taux de société ne peut qu'être supérieur",
  ]);
  assert.deepEqual(messages({ cmrcTrancheARate: { ...higher, employerRate: 12.03 } }), [
    "settings.engine.cmrcTrancheARate.employerRate : le taux patronal CMRC tranche A de la société (12,03 %) dépasse le double du taux légal (6,01 %) ; vérifiez la saisie (les textes consultés ne fixent pas le maximum admis par la CSM)",
  ]);
  // Twice the legal rate is still accepted.
  assert.deepEqual(messages({ cmrcTrancheARate: { ...higher, employerRate: 12.02 } }), []);
  assert.deepEqual(messages({ cmrcTrancheARate: { ...higher, validFrom: "2025-02-30" } }), [
    "settings.engine.cmrcTrancheARate.validFrom : la date 2025-02-30 n'existe pas",
  ]);
  assert.deepEqual(messages({ cmrcTrancheARate: { ...higher, validFrom: "2023-06-01" } }), [
    "settings.engine.cmrcTrancheARate.employeeRate : aucun taux salarial légal CMRC tranche A en vigueur le 01/06/2023 pour le comparer (premier taux connu le 01/01/2024)",
    "settings.engine.cmrcTrancheARate.employerRate : aucun taux patronal légal CMRC tranche A en vigueur le 01/06/2023 pour le comparer (premier taux connu le 01/01/2024)",
  ]);
  assert.deepEqual(
    messages({
      conventionalHolidays: [
        { date: "2026-09-03", label: "Libération" },
        { date: "2026-09-31", label: "?" },
        { date: "2026-09-03", label: "Libération bis" },
        { date: "2026-11-19", label: "Fête du Prince" },
      ],
    }),
    [
      "settings.engine.conventionalHolidays[1].date : la date 2026-09-31 n'existe pas (format AAAA-MM-JJ)",
      "settings.engine.conventionalHolidays[2].date : le 03/09/2026 figure déjà en ligne 1 des jours fériés conventionnels",
      "settings.engine.conventionalHolidays[3].date : le 19/11/2026 est déjà un jour férié légal à Monaco (« Fête du Prince » en double)",
    ],
  );
});
