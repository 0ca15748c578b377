/**
 * The run of a corrected version (a month reopened by an admin, functions/payroll/reopen-period.ts): each employee's
 * result and printed identity are compared with the version that was reopened. Only an employee whose payslip changed
 * gets a new payslip — printed « Bulletin rectificatif — annule et remplace le bulletin du … » with the date of the
 * payslip in force — and a new mail; the others keep the payslip they received (listed again by the new version,
 * with its own date) and get no mail. The company's documents (journal, charges, provision, DSM) are all built again
 * under the new version; the reopened version's files stay where they are.
 */
import type { PayslipResult } from "../../shared/core/result.ts";
import type { EmployeeInfo } from "../../shared/documents/types.ts";
import type { Services } from "../app/services.ts";
import { type Correction, canonicalJson, type PeriodRecord, payslipsRepository } from "../storage/index.ts";
import { employeeInfo } from "./identity.ts";

export interface CorrectionPlan {
  /** The version compared with (the one reopened). */
  fromVersion: number;
  /** Employees whose payslip changed (or who had none): a new payslip and a mail each. */
  changed: Set<string>;
  /** Per changed employee with a payslip in force: the day of the payslip the new one cancels and replaces. */
  replaces: Map<string, string>;
  /** The unchanged employees' payslips in force, listed again by the new version as they are. */
  kept: Array<{ kind: "payslip"; path: string; sha256?: string; issuedOn: string }>;
  /** Employees of the reopened version that the corrected one no longer has (said in the audit). */
  removed: string[];
}

/** What a payslip prints for one employee: the engine's result and the identity block. */
const printed = (result: unknown, employee: EmployeeInfo | undefined) => canonicalJson({ result, employee: employee ?? null });

export async function correctionPlan(
  services: Services,
  record: PeriodRecord & { correction: Correction },
  results: readonly PayslipResult[],
  employees: readonly EmployeeInfo[],
): Promise<CorrectionPlan> {
  const { correction } = record;
  const before = await payslipsRepository(services.storage).listSet(record.companyId, record.period, correction.fromPayslipSet);
  const previous = new Map(
    before.map((row) => [row.employeeId, printed((row.result as { result: unknown }).result, row.employee ? employeeInfo(row.employee) : undefined)]),
  );
  const inForce = new Map(correction.inForce.map((p) => [p.employeeId, p]));
  const byId = new Map(employees.map((e) => [e.id, e]));
  const plan: CorrectionPlan = { fromVersion: correction.fromVersion, changed: new Set(), replaces: new Map(), kept: [], removed: [] };
  for (const r of results) {
    const slip = inForce.get(r.employeeId);
    // Through JSON as stored: the comparison is of values, never of how the engine built the object.
    const same = previous.get(r.employeeId) === printed(JSON.parse(JSON.stringify(r)), byId.get(r.employeeId));
    if (same && slip) {
      plan.kept.push({ kind: "payslip", path: slip.path, ...(slip.sha256 ? { sha256: slip.sha256 } : {}), issuedOn: slip.issuedOn });
      continue;
    }
    plan.changed.add(r.employeeId);
    if (slip) plan.replaces.set(r.employeeId, slip.issuedOn);
  }
  const now = new Set(results.map((r) => r.employeeId));
  plan.removed = [...previous.keys()].filter((id) => !now.has(id));
  return plan;
}

/** What the run's audit entry says of a correction (nothing for an ordinary version). */
export function correctionAudit(plan: CorrectionPlan | undefined) {
  if (!plan) return {};
  return { correction: { fromVersion: plan.fromVersion, corrected: [...plan.changed], unchanged: plan.kept.length, removed: plan.removed } };
}

/** The line of the admins' summary about a correction. */
export function correctionLines(plan: CorrectionPlan | undefined): string[] {
  if (!plan) return [];
  return [`Correction de la version ${plan.fromVersion} : ${plan.changed.size} bulletin(s) rectificatif(s) et mail(s), ${plan.kept.length} inchangé(s).`];
}
