/**
 * What documents need beyond the engine result: who the employer and the employee are.
 * The engine result deliberately carries no identity, so callers join it here by `EmployeeInfo.id`
 * (= `PayslipResult.employeeId`, the payroll matricule).
 */

/** Font files for the PDFs (TrueType, not WOFF2): shared code cannot read files, so callers pass the bytes. */
export interface Fonts {
  regular: Uint8Array;
  bold: Uint8Array;
}

export interface CompanyInfo {
  name: string;
  addressLines: string[];
  /** Employer number at the Caisses Sociales de Monaco (CCSS), printed on payslips and sent in the DSM. */
  ccssEmployerNumber: string;
  /** Collective agreement shown on the payslip when the company applies one. */
  collectiveAgreement?: string;
}

export interface EmployeeInfo {
  /** Payroll matricule; must equal `PayslipResult.employeeId`. */
  id: string;
  lastName: string;
  firstName: string;
  addressLines?: string[];
  job?: string;
  qualification?: string;
  coefficient?: string;
  hireDate: string;
  exitDate?: string;
  /** Employee's registration number at the Caisses Sociales (also the DSM `matricule`). */
  ccssNumber?: string;
  /** Needed for the men/women counts of the contributions statement. */
  sex?: "M" | "F";
  /** YYYY-MM-DD, required by the DSM. */
  birthDate?: string;
  /** DSM affiliations; defaults: AC unless director, RC and CAR always. */
  affiliations?: { ac?: boolean; rc?: boolean; car?: boolean };
  /** Country where the employee teleworks, when they do (DSM `paysTeletravail`). */
  teleworkCountry?: string;
}

export function employeeIndex<E extends Pick<EmployeeInfo, "id">>(employees: readonly E[]): Map<string, E> {
  const map = new Map<string, E>();
  for (const e of employees) {
    if (map.has(e.id)) throw new Error(`Matricule en double dans la liste des salariés : ${e.id}`);
    map.set(e.id, e);
  }
  return map;
}

export function requireEmployee(index: Map<string, EmployeeInfo>, id: string): EmployeeInfo {
  const e = index.get(id);
  if (!e) throw new Error(`Salarié introuvable pour le matricule ${id}`);
  return e;
}

export function fullName(e: Pick<EmployeeInfo, "lastName" | "firstName">): string {
  return `${e.lastName.toUpperCase()} ${e.firstName}`.trim();
}
