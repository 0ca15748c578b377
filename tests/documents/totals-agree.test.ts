/**
 * The demo month's documents agree on gross and employer cost, read back as a person reads them: the payslip PDFs
 * (pdftotext), the journal, the contributions statement and the provision as written by the run, and the summary the
 * command prints — never the in-memory results.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { runDemo } from "../../bin/demo.ts";
import { DEFAULT_CHART } from "../../shared/documents/journal.ts";
import { NEGATIVE_NOTE, PROVISION_METHOD } from "../../shared/documents/provision.ts";
import { TOTAL_LABELS } from "../../shared/documents/totals.ts";

/** « 1 963,55 » or « -50,24 » (spaces of any kind as thousands separators) → cents. */
function cents(text: string): number {
  const m = /^(-?)([\d\s\u00a0\u202f]+),(\d{2})$/.exec(text.trim());
  if (!m) throw new Error(`not an amount: « ${text} »`);
  const value = Number((m[2] ?? "").replace(/\D/g, "")) * 100 + Number(m[3]);
  return m[1] ? -value : value;
}
const AMOUNT = String.raw`-?\d{1,3}(?:[ \u00a0\u202f]\d{3})*,\d{2}`;
const amounts = (line: string) => [...line.matchAll(new RegExp(AMOUNT, "g"))].map((m) => cents(m[0]));
const lastAmount = (line: string) => {
  const all = amounts(line);
  if (all.length === 0) throw new Error(`no amount on « ${line} »`);
  return all[all.length - 1] as number;
};
const lineOf = (text: string, re: RegExp, what: string) => {
  const l = text.split("\n").find((x) => re.test(x));
  if (l === undefined) throw new Error(`${what}: no line matching ${re}`);
  return l;
};
const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

interface Figures {
  gross: number;
  allowance: number;
  employer: number;
  cost: number;
  netPaid: number;
}

let out = "";
let dir = "";
let log: string[] = [];
const pdf = (file: string) => execFileSync("pdftotext", ["-layout", "-enc", "UTF-8", path.join(dir, file), "-"], { encoding: "utf8" });

before(async () => {
  out = mkdtempSync(path.join(tmpdir(), "totals-agree-"));
  log = [];
  await runDemo({ out, log: (l) => log.push(l) });
  dir = path.join(out, "2025-08", "v1");
});
after(() => rmSync(out, { recursive: true, force: true }));

/** What a payslip prints: total brut, the allowance below the contributions, employer charges, the cost box, net to pay. */
function payslipFigures(text: string, id: string): Figures {
  const lines = text.split("\n");
  const defAt = lines.findIndex((l) => l.includes(TOTAL_LABELS.employerCostDefinition));
  assert.ok(defAt > 0 && lines[defAt - 1]?.includes(TOTAL_LABELS.employerCost), `${id}: the cost box says what it adds`);
  const costLine = lines.slice(defAt + 1).find((l) => /€\s*$/.test(l)) ?? "";
  const allowanceLines = lines.filter((l) => /^\d+\s+Prime 5 % MC\s/.test(l));
  return {
    gross: lastAmount(lineOf(text, /^\s+TOTAL BRUT\s/, id)),
    allowance: sum(allowanceLines.map(lastAmount)),
    employer: lastAmount(lineOf(text, /^\s+TOTAL RETENUES\s/, id)),
    cost: lastAmount(costLine.replace(/€\s*$/, "")),
    netPaid: lastAmount(lineOf(text, /NET À PAYER/, id).replace(/€\s*$/, "")),
  };
}

/** The summary's lines « D001 — Total brut : … ; Prime 5 % MC (hors brut) : … ; … » and the period's line. */
function summaryFigures(line: string): Figures {
  const value = (label: string) => {
    const m = new RegExp(`${label.replace(/[()+]/g, "\\$&")} : (${AMOUNT}) €`).exec(line);
    if (!m?.[1]) throw new Error(`summary: no « ${label} » in « ${line} »`);
    return cents(m[1]);
  };
  return {
    gross: value(TOTAL_LABELS.gross),
    allowance: value(TOTAL_LABELS.allowanceOutsideGross),
    employer: value(TOTAL_LABELS.employerContributions),
    cost: value(TOTAL_LABELS.employerCost),
    netPaid: value(TOTAL_LABELS.netPaid),
  };
}

/** Journal lines « account date folio line [auxiliary] label debit|credit »: debits and credits by account. */
function journalEntries(text: string) {
  const rows: { account: string; folio: number; auxiliary?: string; label: string; debit: number; credit: number }[] = [];
  const header = lineOf(text, /Débit\s+Crédit/, "journal");
  const debitEnd = header.indexOf("Débit") + "Débit".length;
  const creditEnd = header.indexOf("Crédit") + "Crédit".length;
  for (const l of text.split("\n")) {
    const m = new RegExp(`^(\\d{10})\\s+\\d{2}/\\d{2}/\\d{4}\\s+(\\d)\\s+\\d+\\s+(?:(D\\d{3})\\s+)?(.*?)\\s{2,}(${AMOUNT})\\s*$`).exec(l);
    if (!m) continue;
    // Right-aligned columns: the amount is a credit when it ends nearer the « Crédit » heading than the « Débit » one.
    const amountEnd = l.lastIndexOf(m[5] as string) + (m[5] as string).length;
    const isCredit = Math.abs(amountEnd - creditEnd) < Math.abs(amountEnd - debitEnd);
    rows.push({
      account: m[1] as string,
      folio: Number(m[2]),
      ...(m[3] ? { auxiliary: m[3] } : {}),
      label: (m[4] as string).trim(),
      debit: isCredit ? 0 : cents(m[5] as string),
      credit: isCredit ? cents(m[5] as string) : 0,
    });
  }
  return rows;
}

test("payslips, journal, statement, provision and the printed summary agree on gross and employer cost for every demo employee", () => {
  const ids = readdirSync(path.join(dir, "payslips"))
    .map((f) => f.replace(/\.pdf$/, ""))
    .sort();
  assert.equal(ids.length, 6);
  const slips = new Map(ids.map((id) => [id, payslipFigures(pdf(`payslips/${id}.pdf`), id)]));
  const summaryLine = (re: RegExp) => {
    const l = log.find((x) => re.test(x));
    assert.ok(l, `${re} in the summary:\n${log.join("\n")}`);
    return l;
  };

  // Each employee: the payslip's own arithmetic, and the summary's line for them.
  for (const [id, s] of slips) {
    assert.equal(s.cost, s.gross + s.allowance + s.employer, `${id}: coût global = brut + prime 5 % + charges patronales on the payslip`);
    assert.deepEqual(summaryFigures(summaryLine(new RegExp(`^\\s+${id} — `))), s, `${id}: summary = payslip`);
  }
  assert.ok(
    [...slips.values()].some((s) => s.allowance > 0),
    "the demo has an employee with the 5 % allowance outside gross",
  );

  // The journal: net pay per employee, gross by account, the allowance apart, employer charges on folio 2.
  const journal = journalEntries(pdf("journal.pdf"));
  for (const [id, s] of slips) {
    const net = journal.filter((e) => e.account === DEFAULT_CHART.netPay.number && e.auxiliary === id);
    assert.equal(sum(net.map((e) => e.credit)), s.netPaid, `${id}: net à payer in the journal`);
  }
  const grossAccounts = new Set(Object.values(DEFAULT_CHART.gross).map((a) => a.number));
  const journalGross = sum(journal.filter((e) => grossAccounts.has(e.account)).map((e) => e.debit - e.credit));
  const journalAllowance = sum(journal.filter((e) => e.account === DEFAULT_CHART.netAdditions.number).map((e) => e.debit - e.credit));
  const journalEmployer = sum(journal.filter((e) => e.folio === 2).map((e) => e.debit));
  const all = (k: keyof Figures) => sum([...slips.values()].map((s) => s[k]));
  assert.equal(journalGross, all("gross"), "journal gross accounts = Σ payslips' total brut");
  assert.equal(journalAllowance, all("allowance"), "journal allowance account = Σ payslips' prime 5 %");
  assert.equal(journalEmployer, all("employer"), "journal folio 2 = Σ payslips' charges patronales");
  assert.equal(journalGross + journalAllowance + journalEmployer, all("cost"), "journal: brut + prime + charges = Σ payslips' coût global");

  // The statement's employer total.
  const statement = pdf("charges.pdf");
  const global = amounts(lineOf(statement, /^\s+TOTAL GLOBAL\s/, "statement"));
  assert.equal(global[1], all("employer"), "statement TOTAL GLOBAL patronal = Σ payslips' charges patronales");
  // Organism names: the journal's accounts name them as the statement does.
  const journalText = pdf("journal.pdf");
  for (const [, name] of statement.matchAll(/^(?:\d{3})\s+([A-ZÉÈ][A-ZÉÈ -]+?)\s*$/gm)) {
    if (!["CAR", "CCSS", "CMRC"].includes(name as string)) assert.ok(journalText.includes(`Charges patronales ${name}`), `journal names ${name}`);
  }
  assert.doesNotMatch(journalText, /ASSEDIC|PREVOYANCE/);

  // The period's summary line.
  const period = summaryFigures(summaryLine(/^\s+6 bulletins — /));
  assert.deepEqual(period, { gross: all("gross"), allowance: all("allowance"), employer: all("employer"), cost: all("cost"), netPaid: all("netPaid") });

  // The provision: method in words, and a total that is what its note says (non-negative provisions only).
  const provision = pdf("provision.pdf");
  const squeezed = provision.replace(/[ \t]+/g, " ");
  assert.ok(squeezed.includes(PROVISION_METHOD), "provision method in words");
  assert.doesNotMatch(provision, /[Σ÷]|arrondi\(/, "no formula in the provision");
  assert.ok(squeezed.includes(NEGATIVE_NOTE));
  const rows = provision.split("\n").filter((l) => /^D\d{3} /.test(l));
  assert.equal(rows.length, ids.length);
  const provisions = rows.map(lastAmount);
  const total = lastAmount(lineOf(provision, /^Total établissement/, "provision"));
  assert.equal(total, sum(provisions.filter((p) => p > 0)), "provision total = Σ of the non-negative provisions");
});
