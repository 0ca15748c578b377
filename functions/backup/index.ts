/** Public API of backup / restore. */
export { backupAll, listBackups, readManifest, backupContainer, backupDate, DEFAULT_BACKUP_CONTAINER, BACKUP_TABLE_ORDER } from "./backup.ts";
export type { BackupManifest, BackupOptions } from "./backup.ts";
export { applyRetention, type RetentionOptions, type RetentionReport } from "./retention.ts";
export { restore, nonEmptyParts, type RestoreOptions, type RestoreReport } from "./restore.ts";
export { compareStorages, snapshotStorage, diffSnapshots, snapshotCounts, type StorageSnapshot } from "./compare.ts";
export { toTyped, fromTyped, type TypedEntity, type EdmType } from "./typed-entity.ts";
