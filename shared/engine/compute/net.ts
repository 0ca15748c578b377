/** From gross and contributions to net, net paid, taxable net and the employer's cost; the month's year-to-date figures. */
import { prorate, sum, toCents } from "../../core/fixed.ts";
import type { PayLine } from "../../core/result.ts";
import type { ParameterReader } from "../../rates/reader.ts";
import type { EmploymentFraction } from "../../rules/gross/fraction.ts";
import { rubricOf } from "../../rules/lines.ts";
import type { YearToDate } from "./carry.ts";
import type { LineTotals } from "./totals.ts";

export interface NetFigures {
  net: number;
  netPaid: number;
  taxableNet: number;
  employerCost: number;
}

/** Net adds what is outside every base (the 5 % allowance on minima); net paid, the lines after net. */
export function netFigures(
  totals: LineTotals,
  paid: { employee: number; employer: number },
  netAdditions: readonly PayLine[],
  afterNet: readonly PayLine[],
): NetFigures {
  const additions = sum(netAdditions.map((l) => l.amount));
  const net = totals.gross - paid.employee + additions;
  return {
    net,
    netPaid: net + sum(afterNet.map((l) => l.amount)),
    taxableNet: totals.taxableGross - paid.employee + sum(netAdditions.filter((l) => rubricOf(l).taxable).map((l) => l.amount)),
    employerCost: totals.gross + paid.employer + additions,
  };
}

/** This month's year-to-date figures; the social-security ceiling is the PMSS prorated on the month under contract. */
export function monthToDate(
  params: ParameterReader,
  fraction: EmploymentFraction,
  gross: number,
  money: NetFigures,
  paid: { employee: number; employer: number },
  hoursPaid: number,
): Omit<YearToDate, "year"> {
  const pmss = params.get("pmss");
  return {
    gross,
    baseSS: gross,
    taxableNet: money.taxableNet,
    netPaid: money.netPaid,
    ceilingSS: pmss !== undefined ? prorate(toCents(pmss), fraction.num, fraction.den) : 0,
    hours: hoursPaid,
    employeeContributions: paid.employee,
    employerContributions: paid.employer,
  };
}
