import assert from "node:assert/strict";
import { test } from "node:test";
import { writeXlsx } from "../../functions/documents/xlsx.ts";
import {
  computeProvision,
  dailyValue,
  NEGATIVE_NOTE,
  PROVISION_METHOD,
  provisionEmployeesFromResults,
  provisionSheets,
  renderProvisionPdf,
} from "../../shared/documents/provision.ts";
import { readXlsx } from "../support/xlsx.ts";
import { company, employees } from "./fixtures/identities.ts";
import { bs202508a, bs202508c } from "./fixtures/payslips.ts";
import { provisionReference as ref } from "./fixtures/statements.ts";
import { loadFonts } from "./fonts.ts";
import { keepArtifact, pdfText, squeeze } from "./helpers.ts";

const input = () => ({ ...ref, company, employees: ref.employees });

test("the four reference employees and the total 73 974,04 are reproduced to the cent (FINDINGS §H3)", () => {
  const p = computeProvision(input());
  for (const r of p.rows) assert.equal(r.provision, ref.expected.provisions[r.employeeId], r.employeeId);
  assert.equal(p.total, ref.expected.total);
  // Daily values as FINDINGS lists them: rounded to the cent before multiplying.
  assert.deepEqual(p.rows[0]?.dailyValue, { carryOver: 57580, previous: 66585, current: 94497 });
  assert.deepEqual(p.rows[1]?.dailyValue, { previous: 14651, current: 14969 });
  // Column totals equal Cegid's "Total Etablissement".
  for (const key of ["carryOver", "previous", "current"] as const) {
    for (const [field, value] of Object.entries(ref.expected.totals[key])) {
      assert.equal(p.totals[key][field as keyof (typeof p.totals)[typeof key]], value, `${key}.${field}`);
    }
  }
});

test("rounding the daily value first matters: 13,5 days at 149,69 give 2 020,82", () => {
  const v = dailyValue({ base: 2395045, months: 8, remaining: 135000 });
  assert.equal(v, 14969);
  // Without the intermediate rounding the result would be 2 020,79 (23 950,45 / 160 × 13,5).
  const p = computeProvision({ ...input(), employees: [{ employeeId: "x", current: { base: 2395045, months: 8, remaining: 135000 } }] });
  assert.equal(p.total, 202082);
});

test("negative provisions are shown, marked and not totalled, as the note says", async () => {
  const p = computeProvision({
    ...input(),
    employees: [
      { employeeId: "neg", current: { base: 100000, months: 1, remaining: -20000 } },
      { employeeId: "pos", current: { base: 100000, months: 1, remaining: 20000 } },
    ],
  });
  assert.deepEqual(
    p.rows.map((r) => r.provision),
    [-10000, 10000],
  );
  assert.equal(p.total, 10000);
  const text = squeeze(pdfText(await renderProvisionPdf(p, loadFonts())));
  assert.match(text, /^neg .*-100,00 \*$/m, "the negative provision is printed with its mark");
  assert.match(text, /^pos .* 100,00$/m);
  assert.match(text, /^Total établissement .* 100,00$/m, "the total leaves the negative one out");
  assert.ok(text.includes(NEGATIVE_NOTE));
});

test("rows can be built from engine results' carry", () => {
  const rows = provisionEmployeesFromResults([bs202508c, bs202508a], employees);
  assert.deepEqual(
    rows.map((r) => r.employeeId),
    ["BS-2025-08-A", "BS-2025-08-C"],
  );
  assert.equal(rows[0]?.name, "MUÑOZ Béatrice");
  assert.deepEqual(rows[0]?.previous, {
    base: Math.round(bs202508a.carry.leave.previous.referenceGross * 100),
    months: 12,
    acquired: 300000,
    taken: 40000,
    remaining: 260000,
  });
  assert.equal(rows[0]?.current?.remaining, 100000);
});

test("provision PDF states the formula and shows every figure; XLSX carries daily values", async () => {
  const p = computeProvision({ ...input(), employees: ref.employees.map((e) => ({ ...e, name: `Salarié ${e.employeeId}` })) });
  const pdf = await renderProvisionPdf(p, loadFonts());
  keepArtifact("provision-2024-12", pdf);
  const text = squeeze(pdfText(pdf));
  assert.match(text, /Provision pour congés payés/);
  assert.match(text, /Date d'arrêté : 31\/12\/2024/);
  assert.ok(text.includes(PROVISION_METHOD), "method printed in words");
  assert.doesNotMatch(text, /[Σ÷×=]|arrondi\(/, "no formula in the header");
  assert.match(text, /Reliquat au 01\/05\/2023/);
  assert.match(text, /Période du 01\/05\/2023 au 30\/04\/2024/);
  assert.match(text, /pto-a Salarié pto-a 414 573,43 36 19,00 159 803,79 12 25,00 25,00 151 194,97 8 24,00 24,00 50 265,73/);
  assert.match(text, /pto-b Salarié pto-b 35 162,59 12 25,00 25,00 23 950,45 8 17,00 3,50 13,50 2 020,82/);
  assert.match(text, /Total établissement 449 005,68 48 19,00 385 172,45 60 124,50 58,50 66,00 250 607,33 32 85,00 3,50 81,50 73 974,04/);
  assert.ok(text.includes(NEGATIVE_NOTE), "the note says how negative provisions are totalled");

  const [sheet] = await readXlsx(await writeXlsx(provisionSheets(p)));
  assert.equal(sheet?.name, "Provision CP");
  assert.equal(sheet.rows.get(3)?.[0], PROVISION_METHOD);
  assert.deepEqual(sheet.rows.get(5)?.slice(0, 3), ["Matricule", "Salarié", "Reliquat base"]);
  const lastRow = Math.max(...sheet.rows.keys());
  assert.equal(sheet.rows.get(lastRow)?.[0], NEGATIVE_NOTE);
  const totalRow = [...sheet.rows.entries()].find(([, cells]) => cells[0] === "Total établissement")?.[0] ?? 0;
  assert.equal(sheet.rows.get(totalRow)?.[18], 73974.04);
  assert.equal(sheet.cells.get(`S${totalRow}`)?.numFmt, "#,##0.00");
  const cells = [...sheet.cells.values()];
  assert.ok(
    cells.some((c) => c.value === 575.8 && c.numFmt === "#,##0.00"),
    "a daily value in euros",
  );
  assert.ok(
    cells.some((c) => c.value === 13.5 && c.numFmt === "0.00"),
    "days with two decimals shown",
  );
  assert.deepEqual(await renderProvisionPdf(p, loadFonts()), pdf);
});
