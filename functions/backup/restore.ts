/**
 * Restores a backup into EMPTY storage (new account, or after a loss). It refuses a target that holds
 * any entity or document: merging a backup into live data would silently resurrect deleted rows and
 * overwrite newer ones. Every file's sha256 is checked against the manifest before anything is written.
 */
import { createHash } from "node:crypto";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import type { ContainerClient } from "@azure/storage-blob";
import { type BatchOperation, writeBatch } from "../storage/batch.ts";
import type { Storage } from "../storage/config.ts";
import { TABLE_NAMES } from "../storage/config.ts";
import { StorageError, statusOf } from "../storage/errors.ts";
import { type BackupManifest, backupContainer, readManifest } from "./backup.ts";
import { fromTyped, parseTypedLine } from "./typed-entity.ts";

export interface RestoreOptions {
  /** Where the backup is; defaults to the "backups" container of the target account. */
  source?: ContainerClient;
}

export interface RestoreReport {
  date: string;
  entities: Record<string, number>;
  blobs: number;
}

async function sha256OfBlob(container: ContainerClient, path: string): Promise<string> {
  const hash = createHash("sha256");
  const download = await container.getBlockBlobClient(path).download();
  for await (const chunk of download.readableStreamBody as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest("hex");
}

/** Names of the target's tables / container that are not empty (missing ones count as empty). */
export async function nonEmptyParts(storage: Storage): Promise<string[]> {
  const found: string[] = [];
  for (const table of TABLE_NAMES) {
    try {
      const first = await storage
        .table(table)
        .listEntities({ queryOptions: { select: ["RowKey"] } })
        .byPage({ maxPageSize: 1 })
        .next();
      if (!first.done && first.value.length > 0) found.push(`table « ${storage.tableName(table)} »`);
    } catch (e) {
      if (statusOf(e) !== 404) throw e;
    }
  }
  const documents = storage.blobService.getContainerClient(storage.documentsContainer);
  if (await documents.exists()) {
    const first = await documents.listBlobsFlat().byPage({ maxPageSize: 1 }).next();
    if (!first.done && first.value.segment.blobItems.length > 0) found.push(`conteneur « ${storage.documentsContainer} »`);
  }
  return found;
}

async function verify(source: ContainerClient, manifest: BackupManifest): Promise<void> {
  for (const file of [...manifest.tables, ...manifest.blobs]) {
    let actual: string;
    try {
      actual = await sha256OfBlob(source, file.path);
    } catch (e) {
      if (statusOf(e) === 404) throw new StorageError("backup", `Sauvegarde du ${manifest.date} incomplète : fichier « ${file.path} » absent.`);
      throw e;
    }
    if (actual !== file.sha256) {
      throw new StorageError("backup", `Sauvegarde du ${manifest.date} altérée : l'empreinte sha256 de « ${file.path} » ne correspond pas au manifeste.`);
    }
  }
}

export async function restore(storage: Storage, date: string, options: RestoreOptions = {}): Promise<RestoreReport> {
  const source = options.source ?? backupContainer(storage);
  const manifest = await readManifest(source, date);
  const busy = await nonEmptyParts(storage);
  if (busy.length > 0) {
    throw new StorageError(
      "not-empty",
      `Restauration refusée : le stockage cible n'est pas vide (${busy.join(", ")}). Restaurez la sauvegarde du ${date} dans un stockage vide.`,
    );
  }
  await verify(source, manifest);
  await storage.ensure();

  const report: RestoreReport = { date, entities: {}, blobs: 0 };
  for (const file of manifest.tables) {
    const client = storage.table(file.table);
    const download = await source.getBlockBlobClient(file.path).download();
    const lines = createInterface({ input: (download.readableStreamBody as Readable).pipe(createGunzip()), crlfDelay: Infinity });
    let pending: BatchOperation[] = [];
    let count = 0;
    const flush = async () => {
      if (pending.length === 0) return;
      await writeBatch(client, pending);
      pending = [];
    };
    for await (const line of lines) {
      if (!line) continue;
      const typed = parseTypedLine(line, `Sauvegarde du ${date}, « ${file.path} », ligne ${count + 1}`);
      pending.push({ kind: "upsert", entity: fromTyped(typed) });
      count++;
      // Lines come partition by partition, so a flush every 1,000 rows still fills 100-row transactions.
      if (pending.length >= 1000) await flush();
    }
    await flush();
    if (count !== file.entities) {
      throw new StorageError("backup", `Sauvegarde du ${date}, table « ${file.table} » : ${count} entités lues, ${file.entities} annoncées par le manifeste.`);
    }
    report.entities[file.table] = count;
  }

  for (const blob of manifest.blobs) {
    // Backups hold the documents container only; it is restored under the target's own container name.
    const container = storage.blobService.getContainerClient(storage.documentsContainer);
    const download = await source.getBlockBlobClient(blob.path).download();
    await container.getBlockBlobClient(blob.name).uploadStream(download.readableStreamBody as Readable, 4 * 1024 * 1024, 4, {
      blobHTTPHeaders: { blobContentType: blob.contentType },
      metadata: blob.metadata,
    });
    report.blobs++;
  }
  return report;
}
