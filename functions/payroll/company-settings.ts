/**
 * A submission computed with company options (higher CMRC TA rate, conventional holidays) other than the stored
 * company's is refused before anything is stored: the server would otherwise keep figures on options nobody saved.
 */
import { companySettingsDifference } from "../../shared/rules/company-settings.ts";
import type { PayslipInput } from "../../shared/schema/payslip-input.ts";
import type { Company } from "../storage/index.ts";
import { ApiError } from "./errors.ts";
import { engineCompany } from "./identity.ts";

export function refuseOtherCompanySettings(inputs: readonly PayslipInput[], company: Company): void {
  const stored = engineCompany(company);
  for (const [i, input] of inputs.entries()) {
    const difference = companySettingsDifference(input.company, stored);
    if (difference)
      throw new ApiError(409, "COMPANY_SETTINGS_DIFFER", `Réglages de la société différents (inputs[${i}], matricule ${input.employee.id}) : ${difference}.`);
  }
}
