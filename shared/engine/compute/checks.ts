/** Warnings on a computed month that change no amount. */
import { eur } from "../../core/explain.ts";
import { divRound, toCents, toHundredths, toRate4 } from "../../core/fixed.ts";
import type { ParameterReader } from "../../rates/reader.ts";
import type { EmployeeInput } from "../../schema/payslip-input.ts";

/** Rate4 × hundredths is in 1e-6 €: this many make a cent. */
const RATE4_HUNDREDTHS_PER_CENT = 10_000;

/** A salary below smic.hourly × the contract's hours, when no 5 % allowance says the pay is on the minimum scale. */
export function checkBelowSmic(params: ParameterReader, e: EmployeeInput, warn: (code: string, path: string, message: string) => void): void {
  if (e.monacoAllowance !== undefined && e.monacoAllowance !== "none") return;
  const smic = params.get("smic.hourly");
  const contractHours = toHundredths(e.contractHours);
  if (smic === undefined || contractHours <= 0) return;
  const minimum = divRound(toRate4(smic) * contractHours, RATE4_HUNDREDTHS_PER_CENT);
  if (toCents(e.monthlySalary) < minimum) {
    warn(
      "BELOW_SMIC",
      "employee.monthlySalary",
      `salaire mensuel ${eur(toCents(e.monthlySalary))} inférieur au SMIC pour ${e.contractHours} h (${eur(minimum)})`,
    );
  }
}
