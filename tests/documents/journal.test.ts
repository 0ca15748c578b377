import assert from "node:assert/strict";
import { test } from "node:test";
import { strFromU8, unzipSync } from "fflate";
import { writeXlsx } from "../../functions/documents/xlsx.ts";
import type { ContributionLine, PayLine, PayslipResult } from "../../shared/core/result.ts";
import {
  buildJournal,
  type ChartOfAccounts,
  DEFAULT_CHART,
  JournalImbalanceError,
  journalCsv,
  journalSheets,
  renderJournalPdf,
} from "../../shared/documents/journal.ts";
import { ORGANISMS } from "../../shared/documents/organisms.ts";
import { readXlsx } from "../support/xlsx.ts";
import { company, employees } from "./fixtures/identities.ts";
import { bs202508a, bs202508c } from "./fixtures/payslips.ts";
import { journalReference as ref } from "./fixtures/statements.ts";
import { loadFonts } from "./fonts.ts";
import { keepArtifact, pdfText, squeeze } from "./helpers.ts";

const line = (code: string, label: string, amount: number, section: PayLine["section"] = "gross"): PayLine => ({
  code,
  rubric: code,
  label,
  section,
  amount,
  explanation: "",
});
const contribution = (code: string, organism: string, family: string, employee: number, employer: number): ContributionLine => ({
  code,
  label: code,
  organism,
  family,
  base: 0,
  ...(employee ? { employeeRate: 1, employeeAmount: employee } : {}),
  ...(employer ? { employerRate: 1, employerAmount: employer } : {}),
  explanation: "",
});

/** The December 2024 journal's figures as one aggregated result (the source aggregates the 16 employees' 421 lines too). */
function referenceResult(): PayslipResult {
  const lines = [
    line("0011", "Salaire de base", ref.gross.salary),
    line("2029", "Prime exceptionnelle", ref.gross.bonus),
    line("4400", "Indemnité de licenciement", ref.gross.indemnity),
  ];
  const contributions = [
    contribution("1901", "CAR", "CAR", ref.employee.car, 0),
    contribution("9301", "CCSS", "CCSS", 0, ref.employer.carCcss),
    contribution("1911", "CMRC", "CMRC", ref.employee.cmrc, ref.employer.cmrc),
    contribution("7001", "FRANCE TRAVAIL", "AC", ref.employee.ac, ref.employer.ac),
    contribution("8517", "PREVOYANCE", "CONTRACT", ref.employee.prevoyance, ref.employer.prevoyance),
  ];
  const gross = lines.reduce((s, l) => s + l.amount, 0);
  const employeeTotal = contributions.reduce((s, c) => s + (c.employeeAmount ?? 0), 0);
  const employerTotal = contributions.reduce((s, c) => s + (c.employerAmount ?? 0), 0);
  const afterNet = [line("7131", "Acompte", -ref.advances, "after-net")];
  return {
    ...bs202508a,
    period: ref.period,
    periodStart: "2024-12-01",
    periodEnd: "2024-12-31",
    payDate: "2024-12-31",
    employeeId: "AGG",
    lines,
    gross,
    contributions,
    employeeTotal,
    employerTotal,
    net: gross - employeeTotal,
    afterNet,
    netAdditions: [],
    netPaid: gross - employeeTotal - ref.advances,
  };
}

test("the December 2024 reference journal is reproduced account by account with the default chart", () => {
  const j = buildJournal([referenceResult()], { company, period: ref.period });
  const byKey = new Map<string, { debit: number; credit: number }>();
  for (const l of j.lines) {
    const key = ["4311000000", "4373000000", "4374100000"].includes(l.account) ? `${l.account}/${l.folio}` : l.account;
    assert.ok(!byKey.has(key), `one line per account and folio: ${key}`);
    byKey.set(key, l);
  }
  for (const [key, want] of Object.entries(ref.expected.accounts)) {
    const got = byKey.get(key);
    assert.ok(got, `account ${key}`);
    assert.equal(got.debit, want.debit ?? 0, `${key} debit`);
    assert.equal(got.credit, want.credit ?? 0, `${key} credit`);
  }
  assert.equal(byKey.get("4210000000")?.credit, ref.expected.netPay);
  assert.deepEqual(j.folios, [
    { folio: 1, debit: ref.expected.folio1, credit: ref.expected.folio1 },
    { folio: 2, debit: ref.expected.folio2, credit: ref.expected.folio2 },
  ]);
  assert.equal(j.debit, ref.expected.total);
  assert.equal(j.credit, ref.expected.total);
});

test("one net-pay line per employee, employee CAR+CMRC pooled in 4311, employer CMRC debited to 6453", () => {
  const j = buildJournal([bs202508c, bs202508a], { company, period: "2025-08", employees });
  const net = j.lines.filter((l) => l.account === "4210000000");
  assert.deepEqual(
    net.map((l) => [l.auxiliary, l.credit]),
    [
      ["BS-2025-08-A", 343949],
      ["BS-2025-08-C", 751718],
    ],
  );
  assert.match(net[0]?.label ?? "", /MUÑOZ Béatrice/);
  const sum = (rs: PayslipResult[], pick: (c: ContributionLine) => number) => rs.flatMap((r) => r.contributions).reduce((s, c) => s + pick(c), 0);
  const both = [bs202508a, bs202508c];
  const fund = (o: string) => (c: ContributionLine) => (c.organism === o ? 1 : 0);
  const emp4311 = sum(both, (c) => (["CAR", "CMRC", "CCSS"].includes(c.organism) ? (c.employeeAmount ?? 0) : 0));
  assert.equal(j.lines.find((l) => l.account === "4311000000" && l.folio === 1)?.credit, emp4311);
  assert.equal(
    j.lines.find((l) => l.account === "6453120000")?.debit,
    sum(both, (c) => fund("CMRC")(c) * (c.employerAmount ?? 0)),
  );
  assert.equal(
    j.lines.find((l) => l.account === "4373000000" && l.folio === 1)?.credit,
    sum(both, (c) => fund("FRANCE TRAVAIL")(c) * (c.employeeAmount ?? 0)),
  );
  // Both seniority bonus and salary are gross: 6411 + 6413 = Σ gross.
  const gross = j.lines.filter((l) => l.account.startsWith("641")).reduce((s, l) => s + l.debit - l.credit, 0);
  assert.equal(gross, bs202508a.gross + bs202508c.gross);
  assert.equal(j.lines.find((l) => l.account === "6413000000")?.debit, 24093);
  // Folio 2 = employer contributions of both payslips.
  assert.equal(j.folios[1]?.debit, bs202508a.employerTotal + bs202508c.employerTotal);
  assert.equal(j.debit, j.credit);
});

test("a chart that leaves an amount without account is refused with a clear error", () => {
  const chart: ChartOfAccounts = { ...DEFAULT_CHART, employerDebit: { ...DEFAULT_CHART.employerDebit } };
  delete chart.employerDebit.CMRC;
  assert.throws(
    () => buildJournal([bs202508a], { company, period: "2025-08", chart }),
    (e: unknown) => {
      assert.ok(e instanceof JournalImbalanceError);
      assert.match(e.message, /Journal de paie déséquilibré pour 2025-08/);
      assert.match(e.message, /folio 2/);
      assert.match(e.message, /part patronale CMRC, débit 240,06/);
      assert.equal(e.credit - e.debit, 23721 + 285);
      return true;
    },
  );
});

test("an internally inconsistent result is refused", () => {
  assert.throws(() => buildJournal([{ ...bs202508a, netPaid: bs202508a.netPaid + 1 }], { company, period: "2025-08" }), /déséquilibré.*écart 0,01/);
});

test("CSV: semicolons, French decimals, dd/mm/yyyy, BOM, CRLF, quoted labels", () => {
  const j = buildJournal([bs202508a, bs202508c], { company, period: "2025-08", employees });
  const csv = journalCsv(j);
  assert.ok(csv.startsWith("\uFEFFJournal;Date;Compte;Auxiliaire;Libellé;Folio;Ligne;Débit;Crédit\r\n"));
  const rows = csv.slice(1).trimEnd().split("\r\n");
  assert.equal(rows.length, j.lines.length + 1);
  assert.ok(rows.includes("PAI;31/08/2025;4210000000;BS-2025-08-A;Rémunérations dues MUÑOZ Béatrice;1;1;0,00;3439,49"), rows.join("\n"));
  // The CSV balances when read back.
  let debit = 0;
  let credit = 0;
  for (const r of rows.slice(1)) {
    const cells = r.split(";");
    debit += Math.round(Number((cells[7] ?? "").replace(",", ".")) * 100);
    credit += Math.round(Number((cells[8] ?? "").replace(",", ".")) * 100);
  }
  assert.equal(debit, credit);
  assert.equal(debit, j.debit);
  assert.ok(!journalCsv(j, { bom: false }).startsWith("\uFEFF"));
});

test("XLSX holds every line as numbers and the totals; PDF shows folios and totals", async () => {
  const j = buildJournal([bs202508a, bs202508c], { company, period: "2025-08", employees });
  const [sheet] = await readXlsx(await writeXlsx(journalSheets(j)));
  assert.equal(sheet?.name, "Journal de paie");
  assert.deepEqual(sheet.rows.get(4), ["Compte", "Date", "Folio", "Ligne", "Auxiliaire", "Libellé", "Débit", "Crédit"]);
  assert.equal(sheet.cells.get("A4")?.bold, true);
  const amounts = [...sheet.cells.values()].filter((c) => typeof c.value === "number");
  assert.ok(amounts.every((c) => c.numFmt === "#,##0.00"));
  assert.ok(amounts.some((c) => c.value === 3439.49));
  assert.ok(amounts.some((c) => c.value === 7517.18));
  // The first entry as a user reads it: account and date as text, amounts as numbers in euros.
  assert.deepEqual(sheet.rows.get(5)?.slice(0, 2), ["4210000000", "31/08/2025"]);
  const last = 4 + j.lines.length + j.folios.length + 2;
  assert.equal(Math.max(...sheet.rows.keys()), last);
  const totalRow = sheet.rows.get(last) ?? [];
  assert.equal(totalRow[5], "Total général");
  assert.deepEqual(
    [totalRow[6], totalRow[7]].map((v) => Math.round(Number(v) * 100)),
    [j.debit, j.credit],
  );
  assert.equal(sheet.cells.get(`F${last}`)?.bold, true);

  const pdf = await renderJournalPdf(j, loadFonts());
  keepArtifact("journal-2025-08", pdf);
  const text = squeeze(pdfText(pdf));
  assert.match(text, /Journal de paie — OD de paie PAI/);
  assert.match(text, /en date du 31 août 2025/);
  assert.match(text, /4210000000 31\/08\/2025 1 1 BS-2025-08-A Rémunérations dues MUÑOZ Béatrice 3 439,49/);
  const total = (j.debit / 100)
    .toFixed(2)
    .replace(".", ",")
    .replace(/^(\d+)(\d{3}),/, "$1 $2,");
  assert.match(text, new RegExp(`Total général ${total} ${total}`));
  assert.match(text, /Total folio 2/);
});

test("journal outputs are deterministic", async () => {
  const make = () => buildJournal([bs202508a, bs202508c], { company, period: "2025-08", employees });
  assert.deepEqual(await writeXlsx(journalSheets(make())), await writeXlsx(journalSheets(make())));
  assert.equal(journalCsv(make()), journalCsv(make()));
  const fonts = loadFonts();
  assert.deepEqual(await renderJournalPdf(make(), fonts), await renderJournalPdf(make(), fonts));
});

test("a 300-employee journal runs over several pages with headers repeated and totals at the end", async () => {
  const results = Array.from({ length: 300 }, (_, i) => ({ ...bs202508a, employeeId: `M${String(i).padStart(4, "0")}` }));
  const j = buildJournal(results, { company, period: "2025-08" });
  assert.equal(j.lines.filter((l) => l.account === "4210000000").length, 300);
  assert.equal(j.debit, 300 * (bs202508a.gross + bs202508a.employerTotal));
  const pdf = await renderJournalPdf(j, loadFonts());
  const pages = pdfText(pdf)
    .split("\f")
    .filter((p) => p.trim() !== "");
  assert.ok(pages.length >= 7, `${pages.length} pages`);
  for (const p of pages) assert.match(p, /Compte\s+Date\s+Folio\s+Ligne\s+Auxiliaire\s+Libellé\s+Débit\s+Crédit/);
  assert.match(pages.at(-1) ?? "", /Total général/);
  assert.doesNotMatch(pages[0] ?? "", /Total général/);
});

test("formula-like text is neutralised in every journal export: CSV quoted with a leading ', XLSX string cells in Text format, never a formula", async () => {
  // A formula in the chart's label, in an account number and in matricules (auxiliary accounts), each at a cell start.
  const chart: ChartOfAccounts = { ...DEFAULT_CHART, netPay: { number: "-4210", label: '=HYPERLINK("http://evil.example","x")' } };
  const results = [
    { ...bs202508a, employeeId: "@SUM(A1:A9)" },
    { ...bs202508c, employeeId: "-2+3" },
  ];
  const j = buildJournal(results, { company, period: "2025-08", chart });
  const rows = journalCsv(j, { bom: false }).trimEnd().split("\r\n");
  const net = rows.filter((r) => r.includes("HYPERLINK"));
  assert.equal(net.length, 2, rows.join("\n"));
  assert.ok(rows.includes(`PAI;31/08/2025;"'-4210";"'@SUM(A1:A9)";"'=HYPERLINK(""http://evil.example"",""x"") @SUM(A1:A9)";1;2;0,00;3439,49`), rows.join("\n"));
  assert.ok(
    net.some((r) => r.includes(`;"'-2+3";`)),
    net.join("\n"),
  );
  // No cell of any row starts with a formula character once its quotes are read.
  for (const r of rows) {
    for (const cell of r.match(/("([^"]|"")*"|[^;]*)(?=;|$)/g)!.filter((c, i, a) => c !== "" || a[i - 1] === undefined)) {
      const text = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
      if (/^-?\d+(,\d+)?$/.test(text)) continue; // the amounts are numbers, not text
      assert.doesNotMatch(text, /^[=+\-@\t\r]/, `${cell} in ${r}`);
    }
  }
  const bytes = await writeXlsx(journalSheets(j));
  assert.doesNotMatch(strFromU8(unzipSync(bytes)["xl/worksheets/sheet1.xml"] ?? new Uint8Array()), /<f[ >]/, "no formula element anywhere");
  const cells = [...((await readXlsx(bytes))[0]?.cells.values() ?? [])];
  for (const needle of ["-4210", "@SUM(A1:A9)", "-2+3", '=HYPERLINK("http://evil.example","x") @SUM(A1:A9)']) {
    const cell = cells.find((c) => c.value === needle);
    assert.ok(cell, `${needle} written as text`);
    assert.equal(cell.numFmt, "@", `${needle}: Text format, so editing keeps it text`);
  }
  assert.ok(cells.filter((c) => c.numFmt === "@").every((c) => typeof c.value === "string" && /^[=+\-@]/.test(c.value)));
});

test("the default chart names the organisms as the statement does, with accents, and keeps the 5 % allowance out of the gross accounts", () => {
  const labels = [DEFAULT_CHART.employeeShare, DEFAULT_CHART.employerCredit, DEFAULT_CHART.employerDebit].flatMap((m) =>
    Object.values(m).map((a) => a?.label ?? ""),
  );
  for (const l of labels) assert.doesNotMatch(l, /ASSEDIC|PREVOYANCE|retraite complémentaire/, l);
  for (const fund of ["AC", "RC", "PREVOYANCE"] as const) {
    assert.equal(DEFAULT_CHART.employeeShare[fund]?.label, `Part salariale ${ORGANISMS[fund].label}`);
    assert.equal(DEFAULT_CHART.employerDebit[fund]?.label, `Charges patronales ${ORGANISMS[fund].label}`);
  }
  assert.equal(DEFAULT_CHART.employerCredit.CMRC?.label, "Charges patronales CAR/CCSS", "CMRC pooled in 4311 with CAR and CCSS");
  assert.equal(DEFAULT_CHART.employerDebit.CMRC?.label, "Charges patronales CMRC", "its own charge account");
  const grossAccounts = Object.values(DEFAULT_CHART.gross).map((a) => a.number);
  assert.ok(!grossAccounts.includes(DEFAULT_CHART.netAdditions.number), "the allowance outside gross has its own account");
});
