/**
 * A recall in the documents: the payslip PDF prints the line « Rappel de salaire de juillet 2025 » with its amount,
 * the journal books it with the month's gross (balanced), the contributions statement counts it in the month's bases.
 * The result is the engine's for the demo employee D001 with 150,00 € of July's salary recalled in August 2025
 * (figures worked by hand in tests/engine/recall.test.ts).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { buildJournal } from "../../shared/documents/journal.ts";
import { renderPayslipPdf } from "../../shared/documents/payslip.ts";
import { buildStatement } from "../../shared/documents/statement.ts";
import { computePayslip } from "../../shared/engine/compute.ts";
import { company, employees } from "./fixtures/identities.ts";
import { loadFonts } from "./fonts.ts";
import { pdfText, squeeze } from "./helpers.ts";

const outcome = computePayslip({
  period: "2025-08",
  company: { contracts: [{ code: "8517", label: "Prévoyance non cadre", appliesTo: "non-cadre", base: { kind: "gross" }, employerRate: 2.55 }] },
  employee: { id: "D001", category: "non-cadre", hireDate: "2013-01-01", contractHours: 169, monthlySalary: 3725.64, seniority: { rate: 12, base: "smic" } },
  variables: { recalls: [{ period: "2025-07", rubric: "0003", amount: 150 }] },
});
assert.ok(outcome.ok);
const result = outcome.result;
const employee = { ...employees[1]!, id: "D001" };

test("the payslip PDF prints the recall line with its label and amount", async () => {
  const text = squeeze(pdfText(await renderPayslipPdf({ result, employee, company }, loadFonts())));
  assert.match(text, /Rappel de salaire de juillet 2025 150,00/);
  assert.match(text, /4 116,57/);
});

test("the journal books the recall with the month's gross, and balances", () => {
  const journal = buildJournal([result], { company, period: "2025-08" });
  assert.equal(journal.debit, journal.credit);
  const salary = journal.lines.filter((l) => l.account.startsWith("641")).reduce((s, l) => s + l.debit - l.credit, 0);
  assert.equal(salary, 411657);
});

test("the contributions statement counts the recall in August's bases", () => {
  const statement = buildStatement([result], { company, period: "2025-08", employees: [employee] });
  const ccss = statement.organisms.flatMap((o) => o.lines).find((l) => l.code === "9301");
  assert.equal(ccss?.base, 411657);
  assert.equal(ccss?.recall, false);
});
