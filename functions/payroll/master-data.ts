/**
 * The master data a period version is submitted with, and the changes it makes, for functions/payroll/submit.ts.
 *
 * The submission carries the `Salariés` rows the month was calculated with (shared/schema/master-data.ts); each
 * computed employee's row becomes the version's snapshot, stored in its payslip row. Fields the workbook has no column
 * for (postal address, bank details) are taken from the employees table as it is at submission, so the snapshot is
 * complete and frozen: a later admin PUT does not change what this version prints. A submission without rows (an
 * older tool) freezes the employees table instead. Either way the snapshot is checked for what the run needs before
 * anything is stored.
 */
import { type CompletenessIssue, completenessIssues, type StaffRow } from "../../shared/schema/master-data.ts";
import type { PayslipInput } from "../../shared/schema/payslip-input.ts";
import type { Company, Employee } from "../storage/index.ts";

/** `data` keys the workbook fills; any other key of the stored employee (address, IBAN…) is kept. */
const WORKBOOK_DATA_KEYS = ["job", "qualification", "ccssNumber", "birthDate", "sex", "teleworkCountry", "affiliations", "paper"] as const;

export interface StaffSnapshot {
  /** Per matricule, the master data stored with the version. */
  employees: Map<string, Employee>;
  /** Blocking ("error") and informative ("warning") issues, located in `Salariés`. */
  issues: CompletenessIssue[];
  source: "submission" | "employees-table";
}

function fromRow(companyId: string, row: StaffRow, stored: Employee | undefined, now: string): Employee {
  const data: Record<string, unknown> = {};
  if (stored) for (const [k, v] of Object.entries(stored.data)) if (!(WORKBOOK_DATA_KEYS as readonly string[]).includes(k)) data[k] = v;
  for (const k of WORKBOOK_DATA_KEYS) if (row[k] !== undefined) data[k] = row[k];
  return {
    companyId,
    employeeId: row.employeeId,
    lastName: row.lastName,
    firstName: row.firstName ?? "",
    ...(row.email ? { email: row.email } : {}),
    active: true,
    hireDate: row.hireDate,
    ...(row.exitDate ? { exitDate: row.exitDate } : {}),
    data,
    updatedAt: now,
  };
}

/** The stored employee seen as a row, for the same checks (row 0: it is not in a workbook). */
function asRow(e: Employee): StaffRow {
  const d = e.data;
  const text = (v: unknown) => (typeof v === "string" && v.trim() ? v : undefined);
  const birthDate = text(d.birthDate);
  const ccssNumber = text(d.ccssNumber);
  return {
    employeeId: e.employeeId,
    row: 0,
    lastName: e.lastName,
    hireDate: e.hireDate,
    ...(e.email ? { email: e.email } : {}),
    ...(d.paper === true ? { paper: true } : {}),
    ...(birthDate ? { birthDate } : {}),
    ...(ccssNumber ? { ccssNumber } : {}),
  };
}

export function staffSnapshot(input: {
  companyId: string;
  period: string;
  company: Company;
  inputs: readonly PayslipInput[];
  rows: readonly StaffRow[] | undefined;
  stored: readonly Employee[];
  now: string;
}): StaffSnapshot {
  const storedById = new Map(input.stored.map((e) => [e.employeeId, e]));
  const rowsById = new Map<string, StaffRow>();
  const issues: CompletenessIssue[] = [];
  for (const r of input.rows ?? []) {
    if (rowsById.has(r.employeeId)) {
      issues.push({
        employeeId: r.employeeId,
        row: r.row,
        field: "employeeId",
        column: "Matricule",
        address: "",
        severity: "error",
        message: `Salariés ligne ${r.row} Matricule : ${r.employeeId} en double (déjà ligne ${rowsById.get(r.employeeId)!.row}).`,
        detail: `Matricule ${r.employeeId} en double.`,
      });
      continue;
    }
    rowsById.set(r.employeeId, r);
  }
  const employees = new Map<string, Employee>();
  const checked: StaffRow[] = [];
  for (const i of input.inputs) {
    const id = i.employee.id;
    const row = rowsById.get(id);
    const stored = storedById.get(id);
    if (input.rows) {
      if (!row) {
        issues.push(
          unknownEmployee(
            id,
            `Salariés : le matricule ${id} est calculé mais sa ligne n'est pas dans la soumission.`,
            `Matricule ${id} calculé sans sa ligne de Salariés.`,
          ),
        );
        continue;
      }
      employees.set(id, fromRow(input.companyId, row, stored, input.now));
      checked.push(row);
    } else {
      if (!stored) {
        issues.push(
          unknownEmployee(
            id,
            `Salariés : matricule ${id} absent des salariés enregistrés pour ${input.companyId} (soumettez la feuille Salariés avec le mois).`,
            `Matricule ${id} absent des salariés enregistrés.`,
          ),
        );
        continue;
      }
      const { etag: _etag, ...fields } = stored as Employee & { etag?: string };
      employees.set(id, { ...fields, updatedAt: input.now });
      checked.push(asRow(stored));
    }
  }
  issues.push(...completenessIssues(checked, { period: input.period, employerNumber: input.company.ccssEmployerNumber }));
  return { employees, issues, source: input.rows ? "submission" : "employees-table" };
}

/** A computed matricule the version has no master data for: no payslip could name or reach them. */
function unknownEmployee(employeeId: string, message: string, detail: string): CompletenessIssue {
  return { employeeId, row: 0, field: "employeeId", column: "Matricule", address: "", severity: "error", message, detail };
}

type Snapshot = ReadonlyMap<string, Pick<Employee, "lastName" | "firstName" | "email" | "hireDate" | "exitDate" | "data">>;

/**
 * What the version changes in the staff compared with the previous version (or the employees table for a first
 * version): hires, exits and the names of the fields that moved per matricule. Values of personal fields are never
 * copied into the audit, only the fact that they changed.
 */
export function staffChanges(before: Snapshot, after: Snapshot): { added: string[]; removed: string[]; changed: Record<string, string[]> } {
  const added = [...after.keys()].filter((id) => !before.has(id)).sort();
  const removed = [...before.keys()].filter((id) => !after.has(id)).sort();
  const changed: Record<string, string[]> = {};
  for (const [id, a] of after) {
    const b = before.get(id);
    if (!b) continue;
    const fields: string[] = [];
    for (const k of ["lastName", "firstName", "email", "hireDate", "exitDate"] as const) if ((a[k] ?? "") !== (b[k] ?? "")) fields.push(k);
    const keys = new Set([...Object.keys(a.data), ...Object.keys(b.data)]);
    for (const k of [...keys].sort()) if (JSON.stringify(a.data[k]) !== JSON.stringify(b.data[k])) fields.push(`data.${k}`);
    if (fields.length) changed[id] = fields;
  }
  return { added, removed, changed };
}
