import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { PayLine, PayslipResult } from "../../shared/core/result.ts";
import { KEEP_PAYSLIP_SENTENCE, renderPayslipPdf } from "../../shared/documents/payslip.ts";
import { company, employees } from "./fixtures/identities.ts";
import { bs202105a, bs202508a, bs202508c } from "./fixtures/payslips.ts";
import { loadFonts } from "./fonts.ts";
import { keepArtifact, pdfInfo, pdfPages, pdfText, squeeze } from "./helpers.ts";

const fonts = loadFonts();
const who = (id: string) => {
  const e = employees.find((x) => x.id === id);
  if (!e) throw new Error(id);
  return e;
};
const render = (result: PayslipResult) => renderPayslipPdf({ result, employee: who(result.employeeId), company }, fonts);

/** Each printed line must show up on one text line with the given figures in order. */
function assertLine(text: string, ...parts: string[]): void {
  const pattern = new RegExp(parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*"));
  assert.ok(
    text.split("\n").some((l) => pattern.test(l)),
    `no line matching ${parts.join(" … ")}`,
  );
}

test("August 2025 non-cadre payslip shows Cegid's figures, labels and French formats", async () => {
  const pdf = await render(bs202508a);
  keepArtifact("payslip-bs-2025-08-a", pdf);
  const text = squeeze(pdfText(pdf));
  assert.match(text, /BULLETIN DE PAIE/);
  assert.match(text, /Période du 01\/08\/2025 au 31\/08\/2025/);
  assert.match(text, /Payé le 31\/08\/2025/);
  // Employer and employee blocks, with accents and the CCSS numbers.
  assert.match(text, /SAM Riviera Négoce & Fils/);
  assert.match(text, /N° employeur CCSS : 99999/);
  assert.match(text, /MUÑOZ Béatrice/);
  assert.match(text, /Résidence « Les Œillets »/);
  assertLine(text, "BS-2025-08-A", "234567", "01/01/2013", "169,00");
  assertLine(text, "ASSISTANTE COMMERCIALE", "Employée — coef. 215", "Non cadre");
  // Column headers.
  for (const h of ["Rubriques", "Quantité", "ou base", "Taux", "À déduire", "À payer", "Charges patronales", "Montant"]) assert.ok(text.includes(h), h);
  // Lines, base, rates and amounts exactly as on the Cegid payslip.
  assertLine(text, "0011", "Salaire Mensuel", "169,00", "3 725,64");
  assertLine(text, "9891", "Prime d'ancienneté", "2 007,72", "12,00", "240,93");
  assertLine(text, "TOTAL BRUT", "3 966,57");
  assertLine(text, "1901", "CAR", "3 966,57", "6,85", "271,71", "8,31", "329,62");
  assertLine(text, "1911", "CMRC TA", "3 947,00", "4,01", "158,27", "6,01", "237,21");
  assertLine(text, "1913", "CMRC TB", "19,57", "9,72", "1,90", "14,57", "2,85");
  assertLine(text, "7001", "Assurance Chômage tranche A", "3 925,00", "2,40", "94,20", "4,00", "157,00");
  assertLine(text, "7121", "Assurance Chômage tranche B", "41,57", "2,40", "1,00", "4,00", "1,66");
  assertLine(text, "8517", "Prév ALLIANZ Non Cadre TA", "3 966,57", "2,55", "101,15");
  assertLine(text, "9301", "C.C.S.S.", "3 966,57", "13,45", "533,50");
  assertLine(text, "TOTAL RETENUES", "527,08", "1 362,99");
  assertLine(text, "NET", "3 439,49");
  assertLine(text, "NET À PAYER", "3 439,49 €");
  // Cumuls, leave counters for both leave years, total cost, and the legal sentence.
  for (const h of ["Brut", "Base S.S.", "Net imposable", "Plafond S.S.", "Heures", "Charges salariales", "Charges patronales"]) assert.ok(text.includes(h), h);
  assertLine(text, "Cumuls 2025", "31 732,56", "31 732,56", "27 515,92", "31 400,00", "1 352,00", "4 216,64", "10 911,84");
  assertLine(text, "2024/25", "30,00", "4,00", "26,00");
  assertLine(text, "2025/26", "10,00", "0,00", "10,00");
  assert.match(text, /Coût global employeur/);
  assert.match(text, /5 329,56 €/);
  assert.ok(text.replace(/\s+/g, " ").includes(KEEP_PAYSLIP_SENTENCE), "keep-your-payslip sentence");
  assert.equal(pdfPages(pdf), 1);
});

test("director payslip: CAR capped, flat CCSS base, no unemployment lines", async () => {
  const pdf = await render(bs202508c);
  keepArtifact("payslip-bs-2025-08-c", pdf);
  const text = squeeze(pdfText(pdf));
  assertLine(text, "1901", "CAR", "6 028,00", "6,85", "412,92", "8,31", "500,93");
  assertLine(text, "9311", "C.C.S.S. (Administrateurs)", "9 600,00", "13,45", "1 291,20");
  assertLine(text, "8525", "Mutuelle ALLIANZ Cadre", "3 925,00", "7,67", "301,05");
  assertLine(text, "TOTAL RETENUES", "1 017,07", "3 215,52");
  assertLine(text, "NET À PAYER", "7 517,18 €");
  assert.match(text, /Administrateur salarié/);
  assert.match(text, /ØRSTED François/);
  assert.match(text, /11 749,77 €/);
  assert.doesNotMatch(text, /Assurance Chômage/);
});

test("May 2021 payslip: deductions, 4-decimal unit rates, absence details, lines after net", async () => {
  const pdf = await render(bs202105a);
  keepArtifact("payslip-bs-2021-05-a", pdf);
  const text = squeeze(pdfText(pdf));
  assertLine(text, "2001", "Heures supplémentaires 125 %", "3,55", "25,2713", "89,71");
  // A deduction from gross is printed in "À déduire" as a positive figure.
  assertLine(text, "2985", "Absence maladie", "62,00", "20,3929", "1 264,36");
  assert.match(text, /du 6\/04 au 16\/04\/2021/);
  assert.match(text, /Congés payés 22\/04\/21 au 24\/04\/21, 26\/04\/21 au 27\/04\/21, 29\/04\/21 au 30\/04\/21/);
  assertLine(text, "9301", "C.C.S.S.", "5 312,16", "14,75", "783,54");
  assertLine(text, "NET", "4 569,67");
  assertLine(text, "7065", "Tickets restaurant", "7,00", "3,6000", "25,20");
  assertLine(text, "NET À PAYER", "4 544,47 €");
  assertLine(text, "2020/21", "41,00", "7,00", "34,00");
  assertLine(text, "2021/22", "2,08", "0,00", "2,08");
  assert.match(text, /7 298,95 €/);
  // The line after net comes after NET and before NET À PAYER.
  const iNet = text.search(/\n\s*NET\s+4 569,67/);
  const iTickets = text.indexOf("Tickets restaurant");
  const iPay = text.indexOf("NET À PAYER");
  assert.ok(iNet >= 0 && iNet < iTickets && iTickets < iPay, "order NET < after-net < NET À PAYER");
});

test("the font is embedded as a subset and the payslip stays small", async () => {
  const pdf = await render(bs202508a);
  const dir = mkdtempSync(join(tmpdir(), "slip-"));
  try {
    const file = join(dir, "slip.pdf");
    writeFileSync(file, pdf);
    const fontsOut = execFileSync("pdffonts", [file], { encoding: "utf8" });
    const rows = fontsOut.split("\n").filter((l) => /DejaVu/.test(l));
    assert.equal(rows.length, 2, fontsOut);
    for (const r of rows) assert.match(r, /CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/, r);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.ok(pdf.length < 80 * 1024, `payslip is ${pdf.length} bytes`);
});

function longResult(): PayslipResult {
  const extra: PayLine[] = Array.from({ length: 72 }, (_, i) => ({
    code: String(5000 + i),
    rubric: "extra",
    label: `Prime d'objectif n° ${i + 1}`,
    section: "gross",
    quantity: 100,
    rate: 10000 + i * 100,
    rateKind: "unit",
    amount: 100 + i,
    explanation: "test",
  }));
  const base = bs202508a;
  const lines = [...base.lines, ...extra];
  const gross = lines.reduce((s, l) => s + l.amount, 0);
  const net = gross - base.employeeTotal;
  return { ...base, lines, gross, net, netPaid: net, taxableNet: net, employerCost: gross + base.employerTotal };
}

test("a long payslip (~80 lines) continues on page 2 with the totals on the last page", async () => {
  const result = longResult();
  const pdf = await render(result);
  keepArtifact("payslip-long", pdf);
  assert.ok(result.lines.length + result.contributions.length >= 80);
  const pages = pdfPages(pdf);
  assert.ok(pages >= 2, `${pages} pages`);
  const first = squeeze(pdfText(pdf, { first: 1, last: 1 }));
  const last = squeeze(pdfText(pdf, { first: pages, last: pages }));
  assert.match(first, /Page 1\/2|Page 1\/3/);
  assert.match(first, /Suite page suivante/);
  assert.doesNotMatch(first, /NET À PAYER/);
  assert.match(last, /BULLETIN DE PAIE \(suite\)/);
  assert.match(last, /Rubriques/);
  assertLine(last, "NET À PAYER", `${(result.netPaid / 100).toFixed(2).replace(".", ",")} €`.replace(/^(\d)(\d{3}),/, "$1 $2,"));
  assert.match(last, /Cumuls 2025/);
  assert.match(last, /TOTAL RETENUES/);
  // Every line is printed exactly once across the pages.
  const all = pdfText(pdf);
  for (const l of result.lines) assert.equal(all.split(`${l.label}\u0020`).length + all.split(`${l.label}\n`).length - 2 >= 1, true, l.label);
  assert.equal((all.match(/Prime d'objectif n° 72\b/g) ?? []).length, 1);
});

test("two generations of the same payslip are byte-for-byte identical", async () => {
  const a = await render(bs202508c);
  const b = await render(structuredClone(bs202508c));
  assert.equal(Buffer.compare(Buffer.from(a), Buffer.from(b)), 0);
  const info = pdfInfo(a);
  assert.match(info, /Producer:\s+Paie Monaco/);
  // Creation date derived from the period, never the clock.
  assert.match(info, /CreationDate:\s+2025-08-31T12:00:00/);
  assert.match(info, /ModDate:\s+2025-08-31T12:00:00/);
});

test("a result for another employee is refused", async () => {
  await assert.rejects(renderPayslipPdf({ result: bs202508a, employee: who("BS-2025-08-C"), company }, fonts), /ne correspond pas/);
});

test("a corrected payslip says, under its title, which payslip it cancels and replaces; an ordinary one does not", async () => {
  const result = bs202508a;
  const corrected = await renderPayslipPdf({ result, employee: who(result.employeeId), company, replaces: "2025-08-25" }, fonts);
  assert.match(squeeze(pdfText(corrected)), /BULLETIN DE PAIE [\s\S]*\nBulletin rectificatif — annule et remplace le bulletin du 25\/08\/2025/);
  assert.match(pdfInfo(corrected), /Title: +Bulletin de paie rectificatif 2025-08 — /);
  assert.doesNotMatch(squeeze(pdfText(await render(result))), /rectificatif/);
});
