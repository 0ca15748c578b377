/**
 * Pay journal (journal de paie / OD de paie): balanced accounting entries for one company and period,
 * with a configurable chart of accounts. Folio 1 carries salaries (net pay per employee, advances,
 * employee contributions, gross by nature); folio 2 the employer contributions, as in Cegid's journal.
 */

import { formatCents, formatCentsPlain, formatDate, formatLongDate } from "../core/format.ts";
import { periodEnd } from "../core/period.ts";
import type { ContributionLine, PayLine, PayslipResult } from "../core/result.ts";
import type { Account, ChartOfAccounts, Fund, GrossNature } from "../schema/chart-of-accounts.ts";
import { csvField } from "./formula-cells.ts";
import { MONACO_FUNDS_LABEL, ORGANISMS } from "./organisms.ts";
import { money, type Row, type Sheet } from "./spreadsheet.ts";
import { renderTablePdf } from "./table.ts";
import { type CompanyInfo, type EmployeeInfo, employeeIndex, type Fonts, fullName } from "./types.ts";

export type { Account, ChartOfAccounts, Fund, GrossNature } from "../schema/chart-of-accounts.ts";

const acc = (number: string, label: string): Account => ({ number, label });

type FundAccounts = ChartOfAccounts["employeeShare"];
const MONACO_FUNDS: readonly Fund[] = ["CAR", "CCSS", "CMRC"];

/** A fund's account is labelled with its organism, or « CAR/CCSS » when it shares the pooled Monaco account 4311. */
function byFund(prefix: string, numbers: Record<Fund, string>): FundAccounts {
  const out: FundAccounts = {};
  for (const [fund, number] of Object.entries(numbers) as [Fund, string][]) {
    const pooled = MONACO_FUNDS.includes(fund) && MONACO_FUNDS.filter((f) => numbers[f] === number).length > 1;
    out[fund] = acc(number, `${prefix} ${pooled ? MONACO_FUNDS_LABEL : ORGANISMS[fund].label}`);
  }
  return out;
}

/**
 * Cegid's account numbers as printed on the reference journal (statements.json, Dec 2024); the labels name the
 * organisms as the statement does (one table: organisms.ts), not Cegid's « ASSEDIC » / « PREVOYANCE ». RC accounts are
 * ours; so is 6414500000: the reference has no 5 % allowance, which is outside gross and so kept apart from the
 * gross accounts (6411–6414), as the payslip prints it below the contributions.
 */
export const DEFAULT_CHART: ChartOfAccounts = {
  netPay: acc("4210000000", "Rémunérations dues"),
  advances: acc("4250000000", "Acomptes"),
  otherDeductions: acc("4270000000", "Retenues diverses"),
  gross: {
    salary: acc("6411000000", "Rémunérations brutes"),
    bonus: acc("6413000000", "Primes et gratifications"),
    indemnity: acc("6414000000", "Indemnités"),
  },
  netAdditions: acc("6414500000", "Prime 5 % MC (hors brut)"),
  employeeShare: byFund("Part salariale", {
    CAR: "4311000000",
    CCSS: "4311000000",
    CMRC: "4311000000",
    AC: "4373000000",
    RC: "4372000000",
    PREVOYANCE: "4374100000",
  }),
  employerCredit: byFund("Charges patronales", {
    CAR: "4311000000",
    CCSS: "4311000000",
    CMRC: "4311000000",
    AC: "4373000000",
    RC: "4372000000",
    PREVOYANCE: "4374100000",
  }),
  employerDebit: byFund("Charges patronales", {
    CAR: "6451010000",
    CCSS: "6451010000",
    CMRC: "6453120000",
    AC: "6454000000",
    RC: "6455000000",
    PREVOYANCE: "6452100000",
  }),
};

export interface JournalLine {
  folio: number;
  line: number;
  account: string;
  auxiliary?: string;
  label: string;
  date: string;
  debit: number;
  credit: number;
}

export interface Journal {
  company: CompanyInfo;
  period: string;
  /** Accounting date: last day of the period. */
  date: string;
  journalCode: string;
  lines: JournalLine[];
  folios: { folio: number; debit: number; credit: number }[];
  debit: number;
  credit: number;
}

export class JournalImbalanceError extends Error {
  constructor(
    message: string,
    readonly debit: number,
    readonly credit: number,
  ) {
    super(message);
    this.name = "JournalImbalanceError";
  }
}

function normalise(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();
}

export function fundOf(c: ContributionLine): Fund {
  if (c.family === "CONTRACT") return "PREVOYANCE";
  const org = normalise(c.organism);
  if (org === "car" || c.family === "CAR") return "CAR";
  if (org === "ccss" || c.family === "CCSS") return "CCSS";
  if (org === "cmrc" || c.family === "CMRC") return "CMRC";
  if (/france travail|assedic|unedic|chomage/.test(org) || c.family === "AC") return "AC";
  if (/agirc|arrco|apec/.test(org) || c.family === "RC") return "RC";
  return "PREVOYANCE";
}

export function grossNatureOf(line: PayLine, chart: ChartOfAccounts): GrossNature {
  const explicit = chart.grossNature?.[line.rubric] ?? chart.grossNature?.[line.code];
  if (explicit) return explicit;
  const text = normalise(`${line.label} ${line.rubric}`);
  // Paid-leave pay is salary even though Cegid calls it "indemnité".
  if (/indemnit/.test(text) && !/conges|cp\b/.test(text)) return "indemnity";
  if (/prime|bonus|gratification|13e mois|treizieme/.test(text)) return "bonus";
  return "salary";
}

function isAdvance(line: PayLine, chart: ChartOfAccounts): boolean {
  if (chart.advanceRubrics?.includes(line.rubric) || chart.advanceRubrics?.includes(line.code)) return true;
  return /acompte|avance/.test(normalise(`${line.label} ${line.rubric}`));
}

export interface JournalOptions {
  company: CompanyInfo;
  period: string;
  chart?: ChartOfAccounts;
  /** Used to print names on the net-pay lines; the matricule alone otherwise (names are all the journal needs). */
  employees?: Array<Pick<EmployeeInfo, "id" | "lastName" | "firstName">>;
  journalCode?: string;
}

interface Posting {
  folio: number;
  account?: Account;
  auxiliary?: string;
  /** Signed: positive = debit, negative = credit. */
  amount: number;
  /** Describes the amount when the chart has no account for it. */
  what: string;
}

/** Builds the journal; throws JournalImbalanceError when debit ≠ credit to the cent (unmapped amount, inconsistent result). */
export function buildJournal(results: readonly PayslipResult[], options: JournalOptions): Journal {
  const chart = options.chart ?? DEFAULT_CHART;
  const names = options.employees ? employeeIndex(options.employees) : undefined;
  const date = periodEnd(options.period);
  const postings: Posting[] = [];
  const post = (folio: number, account: Account | undefined, amount: number, what: string, auxiliary?: string) => {
    if (amount !== 0) postings.push({ folio, account, amount, what, ...(auxiliary !== undefined ? { auxiliary } : {}) });
  };
  const sorted = [...results].sort((a, b) => (a.employeeId < b.employeeId ? -1 : a.employeeId > b.employeeId ? 1 : 0));
  for (const r of sorted) {
    if (r.period !== options.period) throw new Error(`Bulletin ${r.employeeId} de la période ${r.period}, journal de ${options.period}`);
    post(1, chart.netPay, -r.netPaid, `net à payer ${r.employeeId}`, r.employeeId);
    for (const l of r.lines) post(1, chart.gross[grossNatureOf(l, chart)], l.amount, `brut ${l.code} ${l.label}`);
    for (const l of r.netAdditions) post(1, chart.netAdditions, l.amount, `ajout au net ${l.code} ${l.label}`);
    for (const l of r.afterNet) post(1, isAdvance(l, chart) ? chart.advances : chart.otherDeductions, l.amount, `après net ${l.code} ${l.label}`);
    for (const c of r.contributions) {
      const fund = fundOf(c);
      if (c.employeeAmount) post(1, chart.employeeShare[fund], -c.employeeAmount, `part salariale ${fund} (${c.code})`);
      if (c.employerAmount) {
        post(2, chart.employerCredit[fund], -c.employerAmount, `part patronale ${fund} (${c.code}), crédit`);
        post(2, chart.employerDebit[fund], c.employerAmount, `part patronale ${fund} (${c.code}), débit`);
      }
    }
  }

  // Aggregate by folio, account, label and auxiliary; unmapped amounts are kept aside for the error message.
  const totals = new Map<string, { folio: number; account: Account; auxiliary?: string; amount: number }>();
  const unmapped = new Map<string, number>();
  for (const p of postings) {
    if (!p.account) {
      const key = p.what.replace(/ \(.*\)/, "");
      unmapped.set(key, (unmapped.get(key) ?? 0) + p.amount);
      continue;
    }
    const key = `${p.folio}\u0000${p.account.number}\u0000${p.account.label}\u0000${p.auxiliary ?? ""}`;
    const t = totals.get(key);
    if (t) t.amount += p.amount;
    else totals.set(key, { folio: p.folio, account: p.account, ...(p.auxiliary !== undefined ? { auxiliary: p.auxiliary } : {}), amount: p.amount });
  }
  const entries = [...totals.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  const lines: JournalLine[] = [];
  for (const e of entries) {
    if (e.amount === 0) continue;
    const who = e.auxiliary !== undefined ? names?.get(e.auxiliary) : undefined;
    lines.push({
      folio: e.folio,
      line: lines.length + 1,
      account: e.account.number,
      ...(e.auxiliary !== undefined ? { auxiliary: e.auxiliary } : {}),
      label: e.auxiliary !== undefined ? `${e.account.label} ${who ? fullName(who) : e.auxiliary}` : e.account.label,
      date,
      debit: e.amount > 0 ? e.amount : 0,
      credit: e.amount < 0 ? -e.amount : 0,
    });
  }
  const folios = [1, 2]
    .map((folio) => {
      const ls = lines.filter((l) => l.folio === folio);
      return { folio, debit: ls.reduce((s, l) => s + l.debit, 0), credit: ls.reduce((s, l) => s + l.credit, 0) };
    })
    .filter((f) => f.debit !== 0 || f.credit !== 0);
  const debit = folios.reduce((s, f) => s + f.debit, 0);
  const credit = folios.reduce((s, f) => s + f.credit, 0);
  const unbalanced = folios.filter((f) => f.debit !== f.credit);
  if (unbalanced.length > 0 || debit !== credit) {
    const detail = unbalanced.map((f) => `folio ${f.folio} : débit ${formatCents(f.debit)} ≠ crédit ${formatCents(f.credit)}`).join(" ; ");
    const missing = [...unmapped.entries()].filter(([, v]) => v !== 0).map(([k, v]) => `${k} ${formatCents(Math.abs(v))}`);
    throw new JournalImbalanceError(
      `Journal de paie déséquilibré pour ${options.period} (${detail}, écart ${formatCents(Math.abs(debit - credit))})` +
        (missing.length > 0 ? ` ; montants sans compte dans le plan comptable : ${missing.join(", ")}` : " ; vérifier les bulletins (net à payer incohérent)"),
      debit,
      credit,
    );
  }
  return { company: options.company, period: options.period, date, journalCode: options.journalCode ?? "PAI", lines, folios, debit, credit };
}

/** Semicolon CSV in French format (dates dd/mm/yyyy, decimal comma, no grouping), CRLF, for accounting imports. */
export function journalCsv(journal: Journal, options: { bom?: boolean } = {}): string {
  const rows = [["Journal", "Date", "Compte", "Auxiliaire", "Libellé", "Folio", "Ligne", "Débit", "Crédit"].join(";")];
  for (const l of journal.lines) {
    rows.push(
      // Every text field through csvField: a formula-like code, account, auxiliary or label is neutralised.
      [
        csvField(journal.journalCode),
        formatDate(l.date),
        csvField(l.account),
        csvField(l.auxiliary ?? ""),
        csvField(l.label),
        String(l.folio),
        String(l.line),
        formatCentsPlain(l.debit),
        formatCentsPlain(l.credit),
      ].join(";"),
    );
  }
  // Excel opens a BOM-less UTF-8 CSV as Windows-1252 and garbles the accents.
  return `${(options.bom === false ? "" : "\uFEFF") + rows.join("\r\n")}\r\n`;
}

/** The sheet of the `.xlsx` export (written by functions/documents/xlsx.ts). */
export function journalSheets(journal: Journal): Sheet[] {
  const rows: Row[] = [
    { cells: [`Journal de paie — ${journal.company.name}`], bold: true },
    { cells: [`Date comptable : ${formatDate(journal.date)}`] },
    { cells: [] },
    { cells: ["Compte", "Date", "Folio", "Ligne", "Auxiliaire", "Libellé", "Débit", "Crédit"], bold: true },
  ];
  for (const f of journal.folios) {
    for (const l of journal.lines.filter((x) => x.folio === f.folio)) {
      rows.push({ cells: [l.account, formatDate(l.date), String(l.folio), String(l.line), l.auxiliary ?? "", l.label, money(l.debit), money(l.credit)] });
    }
    rows.push({ cells: ["", "", "", "", "", `Total folio ${f.folio}`, money(f.debit), money(f.credit)], bold: true });
  }
  rows.push({ cells: ["", "", "", "", "", "Total établissement", money(journal.debit), money(journal.credit)], bold: true });
  rows.push({ cells: ["", "", "", "", "", "Total général", money(journal.debit), money(journal.credit)], bold: true });
  return [{ name: "Journal de paie", columnWidths: [14, 11, 6, 6, 12, 44, 14, 14], rows }];
}

export async function renderJournalPdf(journal: Journal, fonts: Fonts): Promise<Uint8Array> {
  const rows = [];
  for (const f of journal.folios) {
    for (const l of journal.lines.filter((x) => x.folio === f.folio)) {
      rows.push({
        cells: [
          l.account,
          formatDate(l.date),
          String(l.folio),
          String(l.line),
          l.auxiliary ?? "",
          l.label,
          l.debit ? formatCents(l.debit) : "",
          l.credit ? formatCents(l.credit) : "",
        ],
      });
    }
    rows.push({ cells: ["", "", "", "", "", `Total folio ${f.folio}`, formatCents(f.debit), formatCents(f.credit)], bold: true, shade: true });
  }
  rows.push({
    cells: ["", "", "", "", "", "Total établissement", formatCents(journal.debit), formatCents(journal.credit)],
    bold: true,
    shade: true,
    ruleAbove: true,
  });
  rows.push({ cells: ["", "", "", "", "", "Total général", formatCents(journal.debit), formatCents(journal.credit)], bold: true, shade: true });
  return renderTablePdf(
    {
      title: `Journal de paie — OD de paie ${journal.journalCode}`,
      subtitle: [journal.company.name, `en date du ${formatLongDate(journal.date)}`],
      columns: [
        { header: "Compte", width: 11 },
        { header: "Date", width: 9 },
        { header: "Folio", width: 5, align: "right" },
        { header: "Ligne", width: 5, align: "right" },
        { header: "Auxiliaire", width: 11 },
        { header: "Libellé", width: 35 },
        { header: "Débit", width: 12, align: "right" },
        { header: "Crédit", width: 12, align: "right" },
      ],
      rows,
      landscape: true,
      date: journal.date,
    },
    fonts,
  );
}
