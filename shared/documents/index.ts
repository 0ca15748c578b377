/** Public API of the documents module: pure functions from engine results to bytes. */
export type { CompanyInfo, EmployeeInfo, Fonts } from "./types.ts";
export { renderPayslipPdf, KEEP_PAYSLIP_SENTENCE, type PayslipDocumentInput } from "./payslip.ts";
export {
  buildJournal, journalCsv, journalXlsx, renderJournalPdf, DEFAULT_CHART, JournalImbalanceError, fundOf, grossNatureOf,
  type Account, type ChartOfAccounts, type Fund, type GrossNature, type Journal, type JournalLine, type JournalOptions,
} from "./journal.ts";
export { buildStatement, renderStatementPdf, statementXlsx, STATEMENT_ORGANISMS, type Statement, type StatementLine, type StatementOrganism } from "./statement.ts";
export {
  computeProvision, provisionEmployeesFromResults, renderProvisionPdf, provisionXlsx, dailyValue, PROVISION_FORMULA,
  type LeaveYearBalance, type Provision, type ProvisionEmployee, type ProvisionInput, type ProvisionRow,
} from "./provision.ts";
export { buildDsmXml, DsmInputError, DSM_NAMESPACE, DSM_DOCTYPE, type DsmOptions } from "./dsm/dsm.ts";
export { writeXlsx, type Sheet, type Row as XlsxRow, type Cell as XlsxCell } from "./xlsx.ts";
