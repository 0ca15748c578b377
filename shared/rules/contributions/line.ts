/** One contribution line: base × rate rounded half-up to the cent, per side, worded from the catalogue or the contract. */
import { contributionCode } from "../../catalogue/catalogue.ts";
import { applyPercent } from "../../core/fixed.ts";
import type { ContributionLine } from "../../core/result.ts";
import type { Rates } from "../../rates/reader.ts";

export function contributionLine(
  code: string,
  base: number,
  rates: Pick<Rates, "employee" | "employer">,
  explanation: string,
  options: { label?: string; regularisation?: boolean; organism?: string; family?: string } = {},
): ContributionLine {
  // A company contract names itself; a statutory line takes its words from the contribution catalogue.
  const known = options.family === undefined || options.organism === undefined || options.label === undefined ? contributionCode(code) : undefined;
  const line: ContributionLine = {
    code,
    label: options.label ?? known!.label,
    organism: options.organism ?? known!.organism,
    family: options.family ?? known!.family,
    base,
    explanation,
  };
  if (rates.employee !== undefined) {
    line.employeeRate = rates.employee;
    line.employeeAmount = applyPercent(base, rates.employee);
  }
  if (rates.employer !== undefined) {
    line.employerRate = rates.employer;
    line.employerAmount = applyPercent(base, rates.employer);
  }
  if (options.regularisation) line.regularisation = true;
  return line;
}

export const byCodeThenRegularisation = (a: ContributionLine, b: ContributionLine) =>
  a.code < b.code ? -1 : a.code > b.code ? 1 : a.regularisation === b.regularisation ? 0 : a.regularisation ? 1 : -1;
