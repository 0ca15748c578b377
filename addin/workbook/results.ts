/**
 * Engine results → the 2-D arrays of the result sheets (Bulletins, Détail, Charges, Journal). Pure, so totals and
 * the journal's balance are tested without Excel. Amounts go to Excel in euros (cents / 100); Excel rounds nothing.
 */
import type { PayslipResult } from "../../shared/engine/result.ts";
import type { CellValue } from "./cells.ts";

export type Grid = CellValue[][];

const eur = (cents: number | undefined) => (cents === undefined ? "" : cents / 100);
const qty = (hundredths: number | undefined) => (hundredths === undefined ? "" : hundredths / 100);
const rate = (r: number | undefined) => (r === undefined ? "" : r / 10_000);

export interface NamedResult {
  result: PayslipResult;
  lastName?: string;
  firstName?: string;
}

export const PAYSLIP_HEADERS = [
  "Matricule", "Nom", "Prénom", "Catégorie", "Brut", "Cotisations salariales", "Net", "Net imposable", "Net payé",
  "Cotisations patronales", "Coût employeur", "Heures payées", "Avertissements",
] as const;

export function payslipRows(results: readonly NamedResult[]): Grid {
  return [
    [...PAYSLIP_HEADERS],
    ...results.map(({ result: r, lastName, firstName }) => [
      r.employeeId, lastName ?? "", firstName ?? "", r.category === "cadre" ? "Cadre" : "Non-cadre",
      eur(r.gross), eur(r.employeeTotal), eur(r.net), eur(r.taxableNet), eur(r.netPaid), eur(r.employerTotal),
      eur(r.employerCost), qty(r.hoursPaid), r.warnings.map((w) => w.message).join(" | "),
    ]),
  ];
}

export const DETAIL_HEADERS = [
  "Matricule", "Section", "Code", "Libellé", "Quantité ou base", "Taux", "À payer", "À déduire", "Taux patronal", "Charges patronales", "Explication",
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
        r.employeeId, SECTION_FR.contribution, c.code, c.label, eur(c.base), rate(c.employeeRate), "", eur(c.employeeAmount),
        rate(c.employerRate), eur(c.employerAmount), c.explanation,
      ]);
    }
  }
  return rows;
}

export const CHARGES_HEADERS = ["Organisme", "Code", "Libellé", "Base", "Taux salarial", "Part salariale", "Taux patronal", "Part patronale", "Salariés"] as const;

/** Contributions summed per organism, code and rates: a rate change mid-run stays on its own line. */
export function chargesRows(results: readonly NamedResult[]): Grid {
  const groups = new Map<string, { organism: string; code: string; label: string; base: number; er?: number; ea: number; pr?: number; pa: number; n: Set<string> }>();
  for (const { result: r } of results) {
    for (const c of r.contributions) {
      const key = [c.organism, c.code, c.employeeRate ?? "", c.employerRate ?? ""].join("|");
      const g = groups.get(key) ?? { organism: c.organism, code: c.code, label: c.label, base: 0, er: c.employeeRate, ea: 0, pr: c.employerRate, pa: 0, n: new Set<string>() };
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

export interface JournalLine { account: string; label: string; debit: number; credit: number }

/** The pay journal in cents: gross, non-contributory additions and employer charges against what is owed. */
export function journalLines(results: readonly NamedResult[]): JournalLine[] {
  let gross = 0, additions = 0, employer = 0, employee = 0, netPaid = 0, afterNet = 0;
  for (const { result: r } of results) {
    gross += r.gross;
    additions += r.netAdditions.reduce((s, l) => s + l.amount, 0);
    employer += r.employerTotal;
    employee += r.employeeTotal;
    netPaid += r.netPaid;
    afterNet += r.afterNet.reduce((s, l) => s + l.amount, 0);
  }
  const lines: JournalLine[] = [
    { account: "641000", label: "Rémunérations du personnel (brut)", debit: gross, credit: 0 },
    { account: "641400", label: "Indemnités non soumises", debit: additions, credit: 0 },
    { account: "645000", label: "Charges sociales patronales", debit: employer, credit: 0 },
    { account: "431000", label: "Organismes sociaux (parts salariale et patronale)", debit: 0, credit: employee + employer },
    { account: "425000", label: "Retenues après net (acomptes, avances, avantages)", debit: afterNet > 0 ? afterNet : 0, credit: afterNet < 0 ? -afterNet : 0 },
    { account: "421000", label: "Rémunérations dues (net payé)", debit: 0, credit: netPaid },
  ];
  const debit = lines.reduce((s, l) => s + l.debit, 0);
  const credit = lines.reduce((s, l) => s + l.credit, 0);
  // The engine's net = gross − employee contributions; any gap is a real inconsistency and must show, not vanish.
  if (debit !== credit) lines.push({ account: "471000", label: "ÉCART À ANALYSER", debit: debit < credit ? credit - debit : 0, credit: debit > credit ? debit - credit : 0 });
  return lines.filter((l) => l.debit !== 0 || l.credit !== 0 || l.account === "421000");
}

export function journalRows(results: readonly NamedResult[]): Grid {
  return [["Compte", "Libellé", "Débit", "Crédit"], ...journalLines(results).map((l) => [l.account, l.label, eur(l.debit || undefined), eur(l.credit || undefined)])];
}

export interface Totals { employees: number; gross: number; employeeTotal: number; employerTotal: number; netPaid: number; employerCost: number }

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
