/** Public API of backup / restore. */

export type { BackupManifest, BackupOptions } from "./backup.ts";
export { BACKUP_TABLE_ORDER, backupAll, backupContainer, backupDate, DEFAULT_BACKUP_CONTAINER, listBackups, readManifest } from "./backup.ts";
export { compareStorages, diffSnapshots, type StorageSnapshot, snapshotCounts, snapshotStorage } from "./compare.ts";
export { nonEmptyParts, type RestoreOptions, type RestoreReport, restore } from "./restore.ts";
export { applyRetention, type RetentionOptions, type RetentionReport } from "./retention.ts";
export { type EdmType, fromTyped, type TypedEntity, toTyped } from "./typed-entity.ts";
