/**
 * Submitting a period from the task pane: the body is validated, every payslip is recomputed here with the same
 * engine, and the submission is refused when the server's figures differ from the pane's — naming the employee and
 * the figure. Then inputs and results are stored atomically (functions/storage/period-store.ts) and audited.
 * The `Salariés` rows travel with the month (functions/payroll/master-data.ts): they are checked for what the run
 * will need (422 INCOMPLETE_MASTER_DATA naming each cell) and stored in the version's payslip rows.
 * `replacesVersion` is the version the pane computed against: if the period moved on since (another resubmission),
 * the submission is refused with 409 STALE_VERSION rather than silently replacing work it never saw.
 */

import { formatEuros } from "../../shared/core/format.ts";
import type { PayslipResult } from "../../shared/core/result.ts";
import { employerCost, grossPay, netPaid } from "../../shared/documents/totals.ts";
import { computePayslip } from "../../shared/engine/compute.ts";
import { compareSummaries, type SummaryDifference, summarise } from "../../shared/engine/summary.ts";
import { type CaseToCheck, casesToCheck, type ParameterNotice, parameterNotice } from "../../shared/rates/parameter-notices.ts";
import { compileChecker } from "../../shared/schema/checker.ts";
import { PeriodSubmissionBody } from "../../shared/schema/submission.ts";
import { schemaIssues } from "../../shared/schema/validate.ts";
import type { Services } from "../app/services.ts";
import type { Principal } from "../auth/index.ts";
import {
  auditRepository,
  companiesRepository,
  type Employee,
  employeesRepository,
  payslipsRepository,
  periodsRepository,
  StaleSubmissionError,
  type SubmitOutcome,
  submitPeriod,
} from "../storage/index.ts";
import { staleCarry } from "./carry-check.ts";
import { refuseOtherCompanySettings } from "./company-settings.ts";
import { ApiError } from "./errors.ts";
import { staffChanges, staffSnapshot } from "./master-data.ts";
import { submissionParameters } from "./parameters.ts";

const checkBody = compileChecker(PeriodSubmissionBody);
const euros = (c: number | undefined) => (c === undefined ? "absent" : formatEuros(c));

export interface SubmitResponse {
  companyId: string;
  period: string;
  version: number;
  status: string;
  written: boolean;
  employees: number;
  /** Stale or unconfirmed parameters: one notice for the company and month (null when there is none). */
  parameterNotice: ParameterNotice | null;
  /** Employee-specific warnings only, each naming the employee. */
  casesToCheck: CaseToCheck[];
}

export async function submitPeriodBody(services: Services, principal: Principal, companyId: string, period: string, body: unknown): Promise<SubmitResponse> {
  if (!checkBody.Check(body)) {
    const details = schemaIssues(body, checkBody).slice(0, 20);
    throw new ApiError(400, "INVALID_BODY", `Soumission invalide : ${details[0]?.message ?? "corps non conforme"}`, details);
  }
  if (body.period !== period) throw new ApiError(400, "PERIOD_MISMATCH", `La période du corps (${body.period}) ne correspond pas à l'adresse (${period}).`);
  const seen = new Set<string>();
  body.inputs.forEach((input, i) => {
    if (input.period !== period) throw new ApiError(400, "PERIOD_MISMATCH", `inputs[${i}] : période ${input.period} au lieu de ${period}.`);
    if (input.company.id !== undefined && input.company.id !== companyId)
      throw new ApiError(400, "COMPANY_MISMATCH", `inputs[${i}] : société ${input.company.id} au lieu de ${companyId}.`);
    if (seen.has(input.employee.id)) throw new ApiError(400, "DUPLICATE_EMPLOYEE", `inputs[${i}] : matricule ${input.employee.id} en double.`);
    seen.add(input.employee.id);
  });
  await services.storage.ensure();
  // Before any figure: a pane on other parameters is told which value differs, not which net amounts.
  const parameters = await submissionParameters(services, period, body.parameterSet);
  const clientById = new Map(body.results.map((r) => [r.employeeId, r]));
  const results: PayslipResult[] = [];
  const refusals: { employeeId: string; errors: unknown[] }[] = [];
  const differences: SummaryDifference[] = [];
  for (const input of body.inputs) {
    const outcome = computePayslip(input, parameters);
    if (!outcome.ok) {
      refusals.push({ employeeId: input.employee.id, errors: outcome.errors });
      continue;
    }
    results.push(outcome.result);
    const client = clientById.get(input.employee.id);
    if (!client) {
      differences.push({ employeeId: input.employee.id, field: "résultat", client: undefined, server: outcome.result.netPaid });
      continue;
    }
    differences.push(...compareSummaries(client, summarise(outcome.result)));
  }
  for (const r of body.results)
    if (!seen.has(r.employeeId)) differences.push({ employeeId: r.employeeId, field: "entrée", client: r.netPaid, server: undefined });
  if (refusals.length) {
    throw new ApiError(422, "ENGINE_REFUSED", `Le moteur refuse ${refusals.length} bulletin(s) : matricule ${refusals[0]!.employeeId}.`, refusals);
  }
  if (differences.length) {
    const d = differences[0]!;
    throw new ApiError(
      409,
      "RESULTS_DIFFER",
      `Le calcul du serveur diffère de celui du classeur pour ${differences.length} montant(s) ; premier écart : matricule ${d.employeeId}, ${d.field} : classeur ${euros(d.client)}, serveur ${euros(d.server)}. Recalculez le classeur puis soumettez à nouveau.`,
      differences.slice(0, 50),
    );
  }
  // After a correction of the previous month, a month computed from its old carry is refused (carry-check.ts).
  const stale = await staleCarry(services, companyId, period, new Map(body.inputs.map((i) => [i.employee.id, i.carry])));
  if (stale) throw new ApiError(409, "CARRY_STALE", stale.message, stale.employees);
  const now = services.now();
  const company = await companiesRepository(services.storage).get(companyId);
  if (!company) throw new ApiError(404, "not_found", `Société ${companyId} introuvable.`);
  refuseOtherCompanySettings(body.inputs, company);
  const stored = await employeesRepository(services.storage).list(companyId);
  const snapshot = staffSnapshot({ companyId, period, company, inputs: body.inputs, rows: body.employees, stored, now: now.toISOString() });
  const incomplete = snapshot.issues.filter((i) => i.severity === "error");
  if (incomplete.length) {
    throw new ApiError(
      422,
      "INCOMPLETE_MASTER_DATA",
      `${incomplete.length} donnée(s) manquante(s) pour la paie ; ${incomplete[0]!.message}`,
      incomplete.slice(0, 100).map(({ severity: _s, ...i }) => i),
    );
  }
  // Compared with what the version it replaces was run with (the employees table for a first version), for the audit.
  const previous = await previousStaff(services, companyId, period);
  const changes = staffChanges(previous ?? new Map(stored.map((e) => [e.employeeId, e])), snapshot.employees);
  // Master data is part of what is submitted: an e-mail or an exit changed alone is a new version, not a no-op.
  const notice = parameterNotice(period, results, parameters.files);
  const names = new Map([...snapshot.employees].map(([id, e]) => [id, `${e.lastName} ${e.firstName}`]));
  const cases = casesToCheck(results, names);
  const staffForHash = body.employees?.map(({ cells: _cells, row: _row, ...r }) => r);
  let outcome: SubmitOutcome;
  try {
    outcome = await submitPeriod(services.storage, {
      companyId,
      period,
      // The same inputs on another parameter set, or with other master data, are another submission.
      input: { inputs: body.inputs, parameterSet: parameters.version, ...(staffForHash ? { employees: staffForHash } : {}) },
      payslips: results.map((result, i) => ({
        employeeId: result.employeeId,
        result: { input: body.inputs[i], result, parameterSet: parameters.version },
        carry: result.carry,
        employee: snapshot.employees.get(result.employeeId)!,
        // The period state's totals, with the documents' definitions (cost = gross + 5 % allowance + employer charges).
        grossCents: grossPay(result),
        netCents: netPaid(result),
        employerCostCents: employerCost(result),
      })),
      submittedBy: principal.name || principal.oid,
      now,
      replacesVersion: body.replacesVersion ?? 0,
      ...(notice ? { parameterNotice: notice } : {}),
      counts: {
        employees: results.length,
        warnings: results.reduce((s, r) => s + r.warnings.length, 0),
        casesToCheck: cases.length,
        entries: results.filter((r) => r.events.some((e) => e.kind === "entreeDuSalarie")).length,
        exits: results.filter((r) => r.events.some((e) => e.kind === "sortieDuSalarie")).length,
      },
    });
  } catch (error) {
    if (error instanceof StaleSubmissionError) {
      throw new ApiError(409, "STALE_VERSION", error.message, [{ period, storedVersion: error.storedVersion, replacesVersion: error.replacesVersion }]);
    }
    throw error;
  }
  const correction = outcome.period.correction;
  if (outcome.written) {
    await auditRepository(services.storage).append({
      companyId,
      at: now.toISOString(),
      actor: principal.oid,
      action: "period.submit",
      target: `${companyId}/${period}`,
      before: outcome.period.version > 1 ? { version: body.replacesVersion ?? 0 } : null,
      after: {
        version: outcome.period.version,
        inputHash: outcome.period.inputHash,
        employees: results.length,
        parameterSet: parameters.version,
        // A corrected version of a reopened month says which version it corrects and why it was reopened.
        ...(correction ? { correctionOf: { version: correction.fromVersion, reason: correction.reason, reopenedBy: correction.reopenedBy } } : {}),
      },
    });
    // The second way master data changes (the first is the admin PUT, audited as employees.replace).
    await auditRepository(services.storage).append({
      companyId,
      at: now.toISOString(),
      actor: principal.oid,
      action: "employees.snapshot",
      target: `${companyId}/${period}`,
      before: previous ? { source: "version précédente" } : { source: "table des salariés" },
      after: { version: outcome.period.version, source: snapshot.source, ...changes },
    });
  }
  services.log("period.submitted", { companyId, period, version: outcome.period.version, employees: results.length, written: outcome.written });
  return {
    companyId,
    period,
    version: outcome.period.version,
    status: outcome.period.status,
    written: outcome.written,
    employees: results.length,
    parameterNotice: notice ?? null,
    casesToCheck: cases,
  };
}

/** The master data of the version currently stored, when every one of its rows carries it. */
async function previousStaff(services: Services, companyId: string, period: string): Promise<Map<string, Employee> | undefined> {
  const record = await periodsRepository(services.storage).get(companyId, period);
  if (!record?.payslipSet) return undefined;
  const rows = await payslipsRepository(services.storage).listSet(companyId, period, record.payslipSet);
  if (rows.length === 0 || rows.some((r) => !r.employee)) return undefined;
  return new Map(rows.map((r) => [r.employeeId, r.employee!]));
}
