/** Joins stored master data to what documents and mails need (names, job, CCSS number…). */
import type { CompanyInfo, EmployeeInfo } from "../../shared/documents/types.ts";
import type { CompanyInput } from "../../shared/schema/payslip-input.ts";
import type { Company, Employee } from "../storage/index.ts";

const text = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v : undefined);

export function companyInfo(c: Company): CompanyInfo {
  return { name: c.name, addressLines: c.address.split(/\r?\n/).filter(Boolean), ccssEmployerNumber: c.ccssEmployerNumber };
}

/** The engine's company settings stored with the company (contracts, numbering, leave system…). */
export function engineCompany(c: Company): CompanyInput {
  const extra = (c.settings.engine ?? {}) as CompanyInput;
  return {
    ...extra,
    id: c.id,
    name: c.name,
    paidLeaveSystem: c.paidLeaveSystem,
    ...(c.contracts.length ? { contracts: c.contracts as CompanyInput["contracts"] } : {}),
  };
}

export function employeeInfo(e: Employee): EmployeeInfo {
  const d = e.data;
  const info: EmployeeInfo = { id: e.employeeId, lastName: e.lastName, firstName: e.firstName, hireDate: e.hireDate };
  if (e.exitDate) info.exitDate = e.exitDate;
  const job = text(d.job);
  if (job) info.job = job;
  const qualification = text(d.qualification);
  if (qualification) info.qualification = qualification;
  const ccss = text(d.ccssNumber);
  if (ccss) info.ccssNumber = ccss;
  const birth = text(d.birthDate);
  if (birth) info.birthDate = birth;
  if (d.sex === "M" || d.sex === "F") info.sex = d.sex;
  if (Array.isArray(d.addressLines)) info.addressLines = d.addressLines.filter((l): l is string => typeof l === "string");
  const country = text(d.teleworkCountry);
  if (country) info.teleworkCountry = country;
  if (d.affiliations && typeof d.affiliations === "object") info.affiliations = d.affiliations as EmployeeInfo["affiliations"];
  return info;
}
