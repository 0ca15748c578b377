/**
 * Backup retention: deletes complete or unfinished backup folders whose date is STRICTLY older than
 * `days` days before `now` (UTC calendar days). With days = 90 on 2026-06-30, 2026-04-01 (90 days
 * before) is kept and 2026-03-31 is deleted. Folders that are not dates are never touched.
 */
import type { ContainerClient } from "@azure/storage-blob";
import type { Storage } from "../storage/config.ts";
import { StorageError } from "../storage/errors.ts";
import { BACKUP_DATE_PATTERN, backupContainer } from "./backup.ts";

export interface RetentionOptions {
  now: Date;
  days?: number;
  target?: ContainerClient;
}

export interface RetentionReport {
  kept: string[];
  deleted: string[];
  blobsDeleted: number;
}

const DAY_MS = 86_400_000;

export async function applyRetention(storage: Storage, options: RetentionOptions): Promise<RetentionReport> {
  const days = options.days ?? 90;
  if (!Number.isInteger(days) || days < 1) {
    throw new StorageError("config", `Durée de conservation des sauvegardes invalide : ${days} (nombre entier de jours ≥ 1).`);
  }
  const target = options.target ?? backupContainer(storage);
  const report: RetentionReport = { kept: [], deleted: [], blobsDeleted: 0 };
  if (!(await target.exists())) return report;
  const today = Date.UTC(options.now.getUTCFullYear(), options.now.getUTCMonth(), options.now.getUTCDate());
  const cutoff = new Date(today - days * DAY_MS).toISOString().slice(0, 10);

  for await (const item of target.listBlobsByHierarchy("/")) {
    if (item.kind !== "prefix") continue;
    const date = item.name.replace(/\/$/, "");
    if (!BACKUP_DATE_PATTERN.test(date)) continue;
    if (date >= cutoff) {
      report.kept.push(date);
      continue;
    }
    // The manifest goes first, so an interrupted deletion leaves an "unfinished" backup, never one
    // that claims to be complete while files are missing.
    if ((await target.getBlockBlobClient(`${date}/manifest.json`).deleteIfExists()).succeeded) report.blobsDeleted++;
    for await (const blob of target.listBlobsFlat({ prefix: `${date}/` })) {
      if ((await target.getBlockBlobClient(blob.name).deleteIfExists()).succeeded) report.blobsDeleted++;
    }
    report.deleted.push(date);
  }
  report.kept.sort();
  report.deleted.sort();
  return report;
}
