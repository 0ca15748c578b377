/**
 * The month's totals, defined once for every surface that prints them: payslip, journal, statement, provision,
 * the `paie month` / demo summary and the API's period state. Each function says what it adds; each label says it too.
 *
 * Where the 5 % allowance sits (monaco-rules.md §2.5, annual_FINDINGS.md §5): on minimum wages it is outside gross
 * and every base, printed below the contributions and added to net and taxable net (Cegid rubric 9995 « MC Prime 5 % »,
 * the engine's net-addition 7301); above the minima it is contributory salary, a gross line like any other (9993).
 * The employer pays it either way, so the employer's cost adds it to the gross — Cegid's payslips print
 * « COÛT GLOBAL = TOTAL BRUT + charges patronales » (FINDINGS.md), none of them having the allowance outside gross.
 */
import type { PayslipResult } from "../core/result.ts";

type Totals = Pick<PayslipResult, "lines" | "netAdditions" | "contributions" | "afterNet">;

const sum = (values: readonly number[]) => values.reduce((s, v) => s + v, 0);

/** Total brut: the earnings lines (absences negative), the contributory allowance included, the 5 % on minima not. */
export function grossPay(r: Pick<Totals, "lines">): number {
  return sum(r.lines.map((l) => l.amount));
}

/** The 5 % allowance paid on minimum wages, outside gross and every base (the engine's only net-addition rubric). */
export function allowanceOutsideGross(r: Pick<Totals, "netAdditions">): number {
  return sum(r.netAdditions.map((l) => l.amount));
}

/** Charges patronales: every employer share, regularisations included. */
export function employerContributions(r: Pick<Totals, "contributions">): number {
  return sum(r.contributions.map((c) => c.employerAmount ?? 0));
}

/** Charges salariales: every employee share. */
export function employeeContributions(r: Pick<Totals, "contributions">): number {
  return sum(r.contributions.map((c) => c.employeeAmount ?? 0));
}

/** Coût global employeur: what the month costs the employer — gross + the 5 % allowance outside gross + employer charges. */
export function employerCost(r: Totals): number {
  return grossPay(r) + allowanceOutsideGross(r) + employerContributions(r);
}

/** Net à payer: gross − employee charges + the 5 % allowance outside gross + the lines after net (advances negative). */
export function netPaid(r: Totals): number {
  return grossPay(r) - employeeContributions(r) + allowanceOutsideGross(r) + sum(r.afterNet.map((l) => l.amount));
}

/**
 * Net imposable: the engine's figure, because which lines are taxable is a rule of the catalogue (shared/rules), not of
 * the documents; here so that every surface reads it from the same place.
 */
export function taxableNet(r: Pick<PayslipResult, "taxableNet">): number {
  return r.taxableNet;
}

/** The labels printed beside these totals: each one says what it adds. */
export const TOTAL_LABELS = {
  gross: "Total brut",
  allowanceOutsideGross: "Prime 5 % MC (hors brut)",
  employerContributions: "Charges patronales",
  employerCost: "Coût global employeur",
  employerCostDefinition: "(brut + prime 5 % + charges patronales)",
  netPaid: "Net à payer",
  taxableNet: "Net imposable",
} as const;

export interface PeriodTotals {
  employees: number;
  gross: number;
  allowanceOutsideGross: number;
  employerContributions: number;
  employeeContributions: number;
  employerCost: number;
  netPaid: number;
  taxableNet: number;
}

/** A period's totals: the sum of each employee's, with the same definitions. */
export function periodTotals(results: readonly PayslipResult[]): PeriodTotals {
  const of = (f: (r: PayslipResult) => number) => sum(results.map(f));
  return {
    employees: results.length,
    gross: of(grossPay),
    allowanceOutsideGross: of(allowanceOutsideGross),
    employerContributions: of(employerContributions),
    employeeContributions: of(employeeContributions),
    employerCost: of(employerCost),
    netPaid: of(netPaid),
    taxableNet: of(taxableNet),
  };
}
