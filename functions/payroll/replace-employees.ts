/** Replacing a company's master data (PUT /api/companies/{companyId}/employees), audited by the names of what moved. */

import type { EmployeeBody } from "../../shared/api/employees.ts";
import type { Services } from "../app/services.ts";
import type { Principal } from "../auth/index.ts";
import { auditRepository, employeesRepository } from "../storage/index.ts";

type StaffRow = EmployeeBody;

/** Which employees were added and which fields of which employees changed, by name only. */
export function employeeChanges(before: Map<string, StaffRow>, after: StaffRow[]): { before: unknown; after: unknown } {
  const changed: Record<string, string[]> = {};
  const added: string[] = [];
  for (const e of after) {
    const old = before.get(e.employeeId);
    if (!old) {
      added.push(e.employeeId);
      continue;
    }
    const fields: string[] = [];
    for (const k of ["lastName", "firstName", "email", "active", "hireDate", "exitDate"] as const)
      if (JSON.stringify(old[k]) !== JSON.stringify(e[k])) fields.push(k);
    const keys = new Set([...Object.keys(old.data), ...Object.keys(e.data)]);
    for (const k of keys) if (JSON.stringify(old.data[k]) !== JSON.stringify(e.data[k])) fields.push(`data.${k}`);
    if (fields.length) changed[e.employeeId] = fields;
  }
  return { before: { employees: before.size }, after: { employees: after.length, added, changed } };
}

export async function replaceEmployees(s: Services, p: Principal, companyId: string, employees: StaffRow[]): Promise<number> {
  const now = s.now().toISOString();
  const repo = employeesRepository(s.storage);
  const before = new Map((await repo.list(companyId)).map((e) => [e.employeeId, e]));
  await repo.putMany(employees.map((e) => ({ ...e, companyId, updatedAt: now })));
  // Before/after as the names of what changed per matricule: the audit must say what moved without copying
  // personal data (CCSS numbers, birth dates, bank details are encrypted in their own table).
  await auditRepository(s.storage).append({
    companyId,
    at: now,
    actor: p.oid,
    action: "employees.replace",
    target: companyId,
    ...employeeChanges(before, employees),
  });
  return employees.length;
}
