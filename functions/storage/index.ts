/** Public API of the storage layer (import from here, not from the individual modules). */

export { type AuditEntry, AuditSchema, auditRepository, GLOBAL_AUDIT_PARTITION } from "./audit.ts";
export type { BatchOperation, BatchOptions, BatchReport } from "./batch.ts";
export { createIfAbsent, deleteAll, MAX_TRANSACTION_OPS, planTransactions, replaceIfMatch, upsertAll, upsertEach, writeBatch } from "./batch.ts";
export type { BlobStore, DocumentRef, StoredBlob } from "./blob-store.ts";
export { blobStore, CONTENT_TYPES, contentTypeOf, documentPath, versionPrefix } from "./blob-store.ts";
export type { EntityCodec, FieldKind, Stored } from "./codec.ts";
export { decodeCents, defineCodec, encodeCents, fieldKindsOf, JSON_CHUNK_CHARS, MAX_ENTITY_BYTES, splitJson } from "./codec.ts";
export { type Company, CompanySchema, companiesRepository } from "./companies.ts";
export type { RequestCounter, Storage, StorageOptions, StorageSettings, TableName } from "./config.ts";
export { createStorage, DEFAULT_DOCUMENTS_CONTAINER, isInsecureConnection, readStorageSettings, storageFromEnv, TABLE_NAMES, TABLES } from "./config.ts";
export { type Employee, EmployeeSchema, employeesRepository } from "./employees.ts";
export { tableCreator } from "./ensure-table.ts";
export { ConcurrencyError, CorruptEntityError, NotFoundError, StorageError } from "./errors.ts";
export { canonicalJson, inputHash, sha256Hex } from "./hash.ts";
export { assertCompanyId, assertEmployeeId, assertKey, assertPeriod, companyPeriodKey, KEY_SEPARATOR, keyProblem, splitCompanyPeriodKey } from "./keys.ts";
export {
  type EnqueueOutcome,
  MAIL_STATUSES,
  type MailKey,
  type MailRecord,
  MailSchema,
  type MailStatus,
  type MailsRepository,
  mailsRepository,
  mailsTable,
  type NewMail,
} from "./mails.ts";
export { type CurrentParameters, type ParameterHead, type ParametersRepository, parametersRepository } from "./parameters.ts";
export { newPayslipSet, type PayslipRecord, PayslipSchema, type PayslipSetInfo, payslipRowKey, payslipsRepository, versionOfSet } from "./payslips.ts";
export type { CurrentPayslips, PeriodSubmission, PruneOptions, PruneReport, SubmitOutcome, SubmittedPayslip } from "./period-store.ts";
export { pruneAllSupersededPayslips, pruneSupersededPayslips, readCurrentPayslips, StaleSubmissionError, submitPeriod } from "./period-store.ts";
export {
  ALLOWED_TRANSITIONS,
  assertTransition,
  type Correction,
  claimHolder,
  type PayslipInForce,
  PERIOD_STATUSES,
  type PeriodRecord,
  PeriodSchema,
  type PeriodStatus,
  type PeriodsRepository,
  periodsRepository,
  RUN_CLAIM_MS,
} from "./periods.ts";
export { RUN_STATUS_LABELS, type RunRecord, RunSchema, type RunStatus, runsRepository } from "./runs.ts";
