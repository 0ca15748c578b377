/**
 * Every document of a period, generated from the stored results and written to Blob Storage under the period's
 * version: one payslip PDF per employee, the pay journal (PDF, CSV, XLSX), the contributions statement (PDF, XLSX),
 * the paid-leave provision (PDF, XLSX) and the DSM XML. Payslips are stored sealed (`sealPayslip`, see
 * functions/documents/payslip-protection.ts). Deterministic for a given signing time and an RSA seal key (ECDSA
 * signatures are randomised): re-running it rewrites the same content.
 *
 * One employee never costs the company its month: a document whose BUILDING fails (an employee without master data,
 * a DSM missing a birth date) is left out and reported with the employee and the reason, and the others are built.
 * A failure to STORE a document is not that — Blob Storage down fails the run, which is retried.
 */

import { addDays, periodBounds } from "../../shared/core/period.ts";
import type { PayslipResult } from "../../shared/core/result.ts";
import { buildJournal, type ChartOfAccounts, journalCsv, journalSheets, renderJournalPdf } from "../../shared/documents/journal.ts";
import { renderPayslipPdf } from "../../shared/documents/payslip.ts";
import { computeProvision, provisionEmployeesFromResults, provisionSheets, renderProvisionPdf } from "../../shared/documents/provision.ts";
import { buildStatement, renderStatementPdf, statementSheets } from "../../shared/documents/statement.ts";
import type { CompanyInfo, EmployeeInfo, Fonts } from "../../shared/documents/types.ts";
import { leaveYearStart } from "../../shared/rules/calendar.ts";
import { writeXlsx } from "../documents/xlsx.ts";
import { type BlobStore, type DocumentRef, documentPath, sha256Hex } from "../storage/index.ts";

export interface GeneratedDocument {
  kind: string;
  path: string;
  sha256: string;
  bytes: number;
}

export interface PeriodDocumentsInput {
  companyId: string;
  period: string;
  version: number;
  company: CompanyInfo;
  employees: EmployeeInfo[];
  results: PayslipResult[];
  chart?: ChartOfAccounts;
  fonts: Fonts;
  /** Seals each payslip PDF before it is stored (required: an unsealed payslip is never kept). */
  sealPayslip: (pdf: Uint8Array) => Promise<Uint8Array>;
  /** Optional extra documents (e.g. the DSM) produced by the caller, built here so that their failure is reported too. */
  extra?: { ref: DocumentRef; kind: string; build: () => Uint8Array }[];
  /** What the caller already knows cannot be built (an employee without master data). */
  failures?: DocumentFailure[];
  /** A corrected version (functions/payroll/correction.ts): only these employees get a payslip… */
  payslipsFor?: ReadonlySet<string>;
  /** …each printed as cancelling and replacing the payslip of the day given here (YYYY-MM-DD), when there was one. */
  replaces?: ReadonlyMap<string, string>;
}

/** A document left out of the period, with the employee it concerns (when it is one employee's) and why, in French. */
export interface DocumentFailure {
  kind: string;
  employeeId?: string;
  reason: string;
}

export interface PeriodDocuments {
  documents: GeneratedDocument[];
  failures: DocumentFailure[];
}

export async function generatePeriodDocuments(store: BlobStore, input: PeriodDocumentsInput): Promise<PeriodDocuments> {
  const { companyId, period, version, company, employees, results, fonts } = input;
  const documents: GeneratedDocument[] = [];
  const failures: DocumentFailure[] = [...(input.failures ?? [])];
  /** Builds then stores one document; only the building is forgiven (see the header). */
  const make = async (ref: DocumentRef, kind: string, build: () => Uint8Array | Promise<Uint8Array>, employeeId?: string) => {
    let bytes: Uint8Array;
    try {
      bytes = await build();
    } catch (error) {
      failures.push({ kind, ...(employeeId ? { employeeId } : {}), reason: (error as Error).message });
      return;
    }
    const path = documentPath(companyId, period, version, ref);
    await store.put(path, bytes);
    documents.push({ kind, path, sha256: sha256Hex(bytes), bytes: bytes.length });
  };
  const byId = new Map(employees.map((e) => [e.id, e]));
  for (const result of results) {
    // Already known not to be buildable (the caller said why).
    if (failures.some((f) => f.kind === "payslip" && f.employeeId === result.employeeId)) continue;
    // Unchanged by a correction: the payslip in force stays the employee's.
    if (input.payslipsFor && !input.payslipsFor.has(result.employeeId)) continue;
    const employee = byId.get(result.employeeId);
    if (!employee) {
      failures.push({ kind: "payslip", employeeId: result.employeeId, reason: `matricule ${result.employeeId} absent des salariés de ${companyId}` });
      continue;
    }
    await make(
      { kind: "payslip", employeeId: result.employeeId },
      "payslip",
      async () => {
        const replaces = input.replaces?.get(result.employeeId);
        return input.sealPayslip(await renderPayslipPdf({ result, employee, company, ...(replaces ? { replaces } : {}) }, fonts));
      },
      result.employeeId,
    );
  }
  let journal: ReturnType<typeof buildJournal> | undefined;
  try {
    journal = buildJournal(results, { company, period, employees, ...(input.chart ? { chart: input.chart } : {}) });
  } catch (error) {
    failures.push({ kind: "journal", reason: (error as Error).message });
  }
  if (journal) {
    const j = journal;
    await make({ kind: "journal", format: "pdf" }, "journal", () => renderJournalPdf(j, fonts));
    await make({ kind: "journal", format: "csv" }, "journal", () => new TextEncoder().encode(journalCsv(j, { bom: true })));
    await make({ kind: "journal", format: "xlsx" }, "journal", () => writeXlsx(journalSheets(j)));
  }
  const statement = buildStatement(results, { company, period, employees });
  await make({ kind: "charges", format: "pdf" }, "charges", () => renderStatementPdf(statement, fonts));
  await make({ kind: "charges", format: "xlsx" }, "charges", () => writeXlsx(statementSheets(statement)));
  const { end } = periodBounds(period);
  const currentStart = leaveYearStart(period);
  const previousStart = `${Number(currentStart.slice(0, 4)) - 1}-05-01`;
  const provision = computeProvision({
    company,
    closingDate: end,
    carryOverAsOf: previousStart,
    previousPeriod: { start: previousStart, end: addDays(currentStart, -1) },
    currentPeriod: { start: currentStart, end },
    employees: provisionEmployeesFromResults(results, employees),
  });
  await make({ kind: "provision", format: "pdf" }, "provision", () => renderProvisionPdf(provision, fonts));
  await make({ kind: "provision", format: "xlsx" }, "provision", () => writeXlsx(provisionSheets(provision)));
  for (const e of input.extra ?? []) await make(e.ref, e.kind, e.build);
  return { documents, failures };
}
