/**
 * End to end: the August 2025 reference payslips rebuilt by the engine from their inputs (tests/golden/cases,
 * months chained through `carry`), printed, and read back: the PDF must show the original Cegid figures.
 */

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { formatCents, formatHundredths, formatRate4 } from "../../shared/core/format.ts";
import type { PayslipResult } from "../../shared/core/result.ts";
import { renderPayslipPdf } from "../../shared/documents/payslip.ts";
import { computePayslip } from "../../shared/engine/compute.ts";
import { company } from "./fixtures/identities.ts";
import { loadFonts } from "./fonts.ts";
import { keepArtifact, pdfText, squeeze } from "./helpers.ts";

const CASES = new URL("../golden/cases/", import.meta.url);
const cents = (euros: number) => Math.round(euros * 100);

interface Case {
  company: Record<string, unknown>;
  employee: { id: string; hireDate: string } & Record<string, unknown>;
  opening?: unknown;
  months: { period: string; payDate?: string; variables?: unknown; expected?: Expected }[];
}
interface Expected {
  lines: { code: string; label: string; amount: number }[];
  gross: number;
  contributions: { code: string; base: number; employeeAmount?: number; employerRate: number; employerAmount: number }[];
  employeeTotal: number;
  employerTotal: number;
  netPaid: number;
  employerCost: number;
  ytd: { gross: number; employeeContributions: number; employerContributions: number };
}

function run(file: string): { result: PayslipResult; expected: Expected; c: Case } {
  const c = JSON.parse(readFileSync(new URL(file, CASES), "utf8")) as Case;
  let carry = c.opening;
  let last: PayslipResult | undefined;
  let expected: Expected | undefined;
  for (const m of c.months) {
    const outcome = computePayslip({
      period: m.period,
      ...(m.payDate ? { payDate: m.payDate } : {}),
      company: c.company,
      employee: c.employee,
      ...(m.variables ? { variables: m.variables } : {}),
      ...(carry ? { carry } : {}),
    });
    if (!outcome.ok) throw new Error(`${file} ${m.period}: ${JSON.stringify(outcome.errors)}`);
    last = outcome.result;
    carry = outcome.result.carry;
    expected = m.expected ?? expected;
  }
  if (!last || !expected) throw new Error(`${file}: no expected month`);
  return { result: last, expected, c };
}

for (const file of ["bs-2025-08-a.json", "bs-2025-08-c.json"]) {
  test(`engine → PDF: ${file} prints the original payslip's figures`, {
    skip: existsSync(new URL(file, CASES)) ? false : "golden case files not in this checkout",
  }, async () => {
    const { result, expected, c } = run(file);
    const employee = { id: c.employee.id, lastName: "Référence", firstName: "Août", hireDate: c.employee.hireDate };
    const pdf = await renderPayslipPdf({ result, employee, company }, loadFonts());
    keepArtifact(`engine-${file.replace(".json", "")}`, pdf);
    const text = squeeze(pdfText(pdf));
    const lines = text.split("\n");
    const has = (...parts: string[]) => lines.some((l) => parts.every((p) => l.includes(p)));
    for (const l of expected.lines) assert.ok(has(l.code, formatCents(cents(l.amount))), `line ${l.code}`);
    assert.ok(has("TOTAL BRUT", formatCents(cents(expected.gross))));
    for (const x of expected.contributions) {
      const parts = [x.code, formatCents(cents(x.base)), formatRate4(Math.round(x.employerRate * 10_000)), formatCents(cents(x.employerAmount))];
      if (x.employeeAmount !== undefined) parts.push(formatCents(cents(x.employeeAmount)));
      assert.ok(has(...parts), `contribution ${x.code}: ${parts.join(" ")}`);
    }
    assert.ok(has("TOTAL RETENUES", formatCents(cents(expected.employeeTotal)), formatCents(cents(expected.employerTotal))));
    assert.ok(has("NET À PAYER", `${formatCents(cents(expected.netPaid))} €`));
    assert.ok(text.includes(`${formatCents(cents(expected.employerCost))} €`), "coût global");
    assert.ok(
      has(
        "Cumuls 2025",
        formatCents(cents(expected.ytd.gross)),
        formatCents(cents(expected.ytd.employeeContributions)),
        formatCents(cents(expected.ytd.employerContributions)),
      ),
    );
    assert.ok(has("Heures payées") || text.includes(formatHundredths(result.hoursPaid)));
  });
}

test("engine results feed the company documents: balanced journal, statement totals, valid DSM", {
  skip: existsSync(new URL("bs-2025-08-a.json", CASES)) ? false : "golden case files not in this checkout",
}, async () => {
  const { buildJournal } = await import("../../shared/documents/journal.ts");
  const { buildStatement } = await import("../../shared/documents/statement.ts");
  const { buildDsmXml } = await import("../../shared/documents/dsm/dsm.ts");
  const { validateXML } = await import("xmllint-wasm");
  const xsd = readFileSync(new URL("../../shared/documents/dsm/dsm-2.0.xsd", import.meta.url), "utf8");
  const runs = ["bs-2025-08-a.json", "bs-2025-08-c.json"].map(run);
  const results = runs.map((r) => r.result);
  const employees = runs.map((r, i) => ({
    id: r.result.employeeId,
    lastName: `Nom${i}`,
    firstName: "Prénom",
    hireDate: r.c.employee.hireDate,
    birthDate: "1975-01-01",
    sex: i ? ("M" as const) : ("F" as const),
  }));
  const journal = buildJournal(results, { company, period: "2025-08", employees });
  assert.equal(journal.debit, journal.credit);
  assert.equal(
    journal.folios[1]?.debit,
    results.reduce((s, r) => s + r.employerTotal, 0),
  );
  const statement = buildStatement(results, { company, period: "2025-08", employees });
  assert.equal(
    statement.employeeAmount,
    results.reduce((s, r) => s + r.employeeTotal, 0),
  );
  assert.equal(
    statement.employerAmount,
    results.reduce((s, r) => s + r.employerTotal, 0),
  );
  const xml = buildDsmXml({ company, period: "2025-08", results, employees });
  const v = await validateXML({ xml: [{ fileName: "dsm.xml", contents: xml }], schema: [{ fileName: "dsm.xsd", contents: xsd }] });
  assert.deepEqual(
    v.errors.map((e) => e.rawMessage),
    [],
  );
  assert.match(xml, /<CCSS>13566.57<\/CCSS>/);
  assert.match(xml, /<CAR>9994.57<\/CAR>/);
});
