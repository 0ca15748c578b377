/**
 * The totals lines of the `paie month` / demo summary, from the documents' own definitions (shared/documents/totals.ts):
 * the period, then one line per employee, so that each figure can be found on that employee's payslip.
 */

import { formatEuros } from "../shared/core/format.ts";
import type { PayslipResult } from "../shared/core/result.ts";
import {
  allowanceOutsideGross,
  employerContributions,
  employerCost,
  grossPay,
  netPaid,
  type PeriodTotals,
  periodTotals,
  TOTAL_LABELS,
} from "../shared/documents/totals.ts";

const L = TOTAL_LABELS;

function figures(t: Pick<PeriodTotals, "gross" | "allowanceOutsideGross" | "employerContributions" | "employerCost" | "netPaid">): string {
  return [
    `${L.gross} : ${formatEuros(t.gross)}`,
    `${L.allowanceOutsideGross} : ${formatEuros(t.allowanceOutsideGross)}`,
    `${L.employerContributions} : ${formatEuros(t.employerContributions)}`,
    `${L.employerCost} : ${formatEuros(t.employerCost)}`,
    `${L.netPaid} : ${formatEuros(t.netPaid)}`,
  ].join(" ; ");
}

/** The summary's totals lines: « 6 bulletins — Total brut : … ; … » then « D001 — Total brut : … ; … » per employee. */
export function totalsLines(results: readonly PayslipResult[]): string[] {
  const t = periodTotals(results);
  const sorted = [...results].sort((a, b) => (a.employeeId < b.employeeId ? -1 : a.employeeId > b.employeeId ? 1 : 0));
  return [
    `${t.employees} ${t.employees > 1 ? "bulletins" : "bulletin"} — ${figures(t)}`,
    `      ${L.employerCost} = ${L.employerCostDefinition.slice(1, -1)}`,
    ...sorted.map(
      (r) =>
        `      ${r.employeeId} — ${figures({
          gross: grossPay(r),
          allowanceOutsideGross: allowanceOutsideGross(r),
          employerContributions: employerContributions(r),
          employerCost: employerCost(r),
          netPaid: netPaid(r),
        })}`,
    ),
  ];
}
