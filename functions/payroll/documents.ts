/**
 * Every document of a period, generated from the stored results and written to Blob Storage under the period's
 * version: one payslip PDF per employee, the pay journal (PDF, CSV, XLSX), the contributions statement (PDF, XLSX),
 * the paid-leave provision (PDF, XLSX) and the DSM XML. Payslips are stored sealed (`sealPayslip`, see
 * functions/documents/payslip-protection.ts). Deterministic for a given signing time and an RSA seal key (ECDSA
 * signatures are randomised): re-running it rewrites the same content.
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
  /** Optional extra documents (e.g. the DSM) produced by the caller. */
  extra?: { ref: DocumentRef; kind: string; bytes: Uint8Array }[];
}

export async function generatePeriodDocuments(store: BlobStore, input: PeriodDocumentsInput): Promise<GeneratedDocument[]> {
  const { companyId, period, version, company, employees, results, fonts } = input;
  const out: GeneratedDocument[] = [];
  const put = async (ref: DocumentRef, kind: string, bytes: Uint8Array) => {
    const path = documentPath(companyId, period, version, ref);
    await store.put(path, bytes);
    out.push({ kind, path, sha256: sha256Hex(bytes), bytes: bytes.length });
  };
  const byId = new Map(employees.map((e) => [e.id, e]));
  for (const result of results) {
    const employee = byId.get(result.employeeId);
    if (!employee) throw new Error(`Salarié ${result.employeeId} absent de la liste des salariés de ${companyId}`);
    await put(
      { kind: "payslip", employeeId: result.employeeId },
      "payslip",
      await input.sealPayslip(await renderPayslipPdf({ result, employee, company }, fonts)),
    );
  }
  const journal = buildJournal(results, { company, period, employees, ...(input.chart ? { chart: input.chart } : {}) });
  await put({ kind: "journal", format: "pdf" }, "journal", await renderJournalPdf(journal, fonts));
  await put({ kind: "journal", format: "csv" }, "journal", new TextEncoder().encode(journalCsv(journal, { bom: true })));
  await put({ kind: "journal", format: "xlsx" }, "journal", await writeXlsx(journalSheets(journal)));
  const statement = buildStatement(results, { company, period, employees });
  await put({ kind: "charges", format: "pdf" }, "charges", await renderStatementPdf(statement, fonts));
  await put({ kind: "charges", format: "xlsx" }, "charges", await writeXlsx(statementSheets(statement)));
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
  await put({ kind: "provision", format: "pdf" }, "provision", await renderProvisionPdf(provision, fonts));
  await put({ kind: "provision", format: "xlsx" }, "provision", await writeXlsx(provisionSheets(provision)));
  for (const e of input.extra ?? []) await put(e.ref, e.kind, e.bytes);
  return out;
}
