/**
 * Engine results → the 2-D arrays of the result sheets (Bulletins, Détail, Charges, Journal). Pure, so totals and
 * the journal's balance are tested without Excel. Amounts go to Excel in euros (centsToEuros); Excel rounds nothing.
 */

import { centsToEuros, fromHundredths, fromRate4 } from "../../shared/core/fixed.ts";
import { formatDate } from "../../shared/core/format.ts";
import type { PayslipResult } from "../../shared/core/result.ts";
import { buildJournal, type ChartOfAccounts, JournalImbalanceError } from "../../shared/documents/journal.ts";
import type { CompanyInfo } from "../../shared/documents/types.ts";
import type { CellValue } from "./cells.ts";

export type Grid = CellValue[][];

const eur = (cents: number | undefined) => (cents === undefined ? "" : centsToEuros(cents));
const qty = (hundredths: number | undefined) => (hundredths === undefined ? "" : fromHundredths(hundredths));
const rate = (r: number | undefined) => (r === undefined ? "" : fromRate4(r));

export interface NamedResult {
  result: PayslipResult;
  lastName?: string;
  firstName?: string;
}

export const PAYSLIP_HEADERS = [
  "Matricule",
  "Nom",
  "Prénom",
  "Catégorie",
  "Brut",
  "Cotisations salariales",
  "Net",
  "Net imposable",
  "Net payé",
  "Cotisations patronales",
  "Coût employeur",
  "Heures payées",
  "Avertissements",
] as const;

export function payslipRows(results: readonly NamedResult[]): Grid {
  return [
    [...PAYSLIP_HEADERS],
    ...results.map(({ result: r, lastName, firstName }) => [
      r.employeeId,
      lastName ?? "",
      firstName ?? "",
      r.category === "cadre" ? "Cadre" : "Non-cadre",
      eur(r.gross),
      eur(r.employeeTotal),
      eur(r.net),
      eur(r.taxableNet),
      eur(r.netPaid),
      eur(r.employerTotal),
      eur(r.employerCost),
      qty(r.hoursPaid),
      r.warnings.map((w) => w.message).join(" | "),
    ]),
  ];
}

export const DETAIL_HEADERS = [
  "Matricule",
  "Section",
  "Code",
  "Libellé",
  "Quantité ou base",
  "Taux",
  "À payer",
  "À déduire",
  "Taux patronal",
  "Charges patronales",
  "Explication",
] as const;

const SECTION_FR = { gross: "Brut", contribution: "Cotisation", "net-addition": "Après net (ajout)", "after-net": "Après net" } as const;

export function detailRows(results: readonly NamedResult[]): Grid {
  const rows: Grid = [[...DETAIL_HEADERS]];
  for (const { result: r } of results) {
    for (const line of [...r.lines, ...r.netAdditions, ...r.afterNet]) {
      const pay = line.amount >= 0 ? eur(line.amount) : "";
      const deduct = line.amount < 0 ? eur(-line.amount) : "";
      const base = line.rateKind === "percent" ? eur(line.quantity) : qty(line.quantity);
      rows.push([r.employeeId, SECTION_FR[line.section], line.code, line.label, base, rate(line.rate), pay, deduct, "", "", line.explanation]);
    }
    for (const c of r.contributions) {
      rows.push([
        r.employeeId,
        SECTION_FR.contribution,
        c.code,
        c.label,
        eur(c.base),
        rate(c.employeeRate),
        "",
        eur(c.employeeAmount),
        rate(c.employerRate),
        eur(c.employerAmount),
        c.explanation,
      ]);
    }
  }
  return rows;
}

export const CHARGES_HEADERS = [
  "Organisme",
  "Code",
  "Libellé",
  "Base",
  "Taux salarial",
  "Part salariale",
  "Taux patronal",
  "Part patronale",
  "Salariés",
] as const;

/** Contributions summed per organism, code and rates: a rate change mid-run stays on its own line. */
export function chargesRows(results: readonly NamedResult[]): Grid {
  const groups = new Map<
    string,
    { organism: string; code: string; label: string; base: number; er?: number; ea: number; pr?: number; pa: number; n: Set<string> }
  >();
  for (const { result: r } of results) {
    for (const c of r.contributions) {
      const key = [c.organism, c.code, c.employeeRate ?? "", c.employerRate ?? ""].join("|");
      const g = groups.get(key) ?? {
        organism: c.organism,
        code: c.code,
        label: c.label,
        base: 0,
        er: c.employeeRate,
        ea: 0,
        pr: c.employerRate,
        pa: 0,
        n: new Set<string>(),
      };
      g.base += c.base;
      g.ea += c.employeeAmount ?? 0;
      g.pa += c.employerAmount ?? 0;
      g.n.add(r.employeeId);
      groups.set(key, g);
    }
  }
  const sorted = [...groups.values()].sort((a, b) => a.organism.localeCompare(b.organism) || a.code.localeCompare(b.code));
  return [[...CHARGES_HEADERS], ...sorted.map((g) => [g.organism, g.code, g.label, eur(g.base), rate(g.er), eur(g.ea), rate(g.pr), eur(g.pa), g.n.size])];
}

export const JOURNAL_HEADERS = ["Journal", "Date", "Compte", "Auxiliaire", "Libellé", "Folio", "Ligne", "Débit", "Crédit"] as const;

export interface JournalSheet {
  grid: Grid;
  error?: string;
}

/**
 * The pay journal exactly as the server's documents book it (shared buildJournal, same columns as its CSV), so the
 * workbook's Journal sheet and the cloud journal never disagree. An unbalanced journal is not written as figures: the
 * sheet carries the reason and the caller reports it.
 */
export function journalRows(results: readonly NamedResult[], options: { period: string; company?: CompanyInfo; chart?: ChartOfAccounts }): JournalSheet {
  const company: CompanyInfo = options.company ?? { name: "", addressLines: [], ccssEmployerNumber: "" };
  // Names only: the journal prints no hire date (none is invented from the period).
  const employees = results.map(({ result: r, lastName, firstName }) => ({ id: r.employeeId, lastName: lastName ?? "", firstName: firstName ?? "" }));
  try {
    const journal = buildJournal(
      results.map((r) => r.result),
      { company, period: options.period, employees, ...(options.chart ? { chart: options.chart } : {}) },
    );
    return {
      grid: [
        [...JOURNAL_HEADERS],
        ...journal.lines.map((l) => [
          journal.journalCode,
          formatDate(l.date),
          l.account,
          l.auxiliary ?? "",
          l.label,
          l.folio,
          l.line,
          eur(l.debit || undefined),
          eur(l.credit || undefined),
        ]),
      ],
    };
  } catch (e) {
    if (!(e instanceof JournalImbalanceError)) throw e;
    return { grid: [[...JOURNAL_HEADERS], ["", "", "", "", e.message, "", "", "", ""]], error: e.message };
  }
}

export interface Totals {
  employees: number;
  gross: number;
  employeeTotal: number;
  employerTotal: number;
  netPaid: number;
  employerCost: number;
}

export function totals(results: readonly NamedResult[]): Totals {
  const t: Totals = { employees: results.length, gross: 0, employeeTotal: 0, employerTotal: 0, netPaid: 0, employerCost: 0 };
  for (const { result: r } of results) {
    t.gross += r.gross;
    t.employeeTotal += r.employeeTotal;
    t.employerTotal += r.employerTotal;
    t.netPaid += r.netPaid;
    t.employerCost += r.employerCost;
  }
  return t;
}
