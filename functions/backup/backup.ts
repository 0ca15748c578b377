/**
 * Daily backup of the storage account's payroll data into a backups container:
 *
 *   {YYYY-MM-DD}/tables/{table}.jsonl.gz   one TypedEntity per line (typed-entity.ts), gzip
 *   {YYYY-MM-DD}/blobs/{container}/{name}  each document copied as is (content type and metadata kept)
 *   {YYYY-MM-DD}/manifest.json             written LAST: counts, sizes and sha256 of every file above
 *
 * A date folder without manifest.json is an unfinished backup: restore refuses it. Documents are kept
 * as one blob each rather than a tar bundle so a single payslip can be inspected or recovered by hand.
 * Tables are read in dependency order (periods before payslips) so that, with writes still going on,
 * a period row in the backup never names payslip rows the backup lacks (they are written first).
 * The backups container may be in another account (`target`): a backup in the same account does not
 * survive the loss of that account.
 */
import { createHash } from "node:crypto";
import { pipeline, Readable } from "node:stream";
import { createGzip } from "node:zlib";
import type { BlockBlobClient, ContainerClient } from "@azure/storage-blob";
import { Type } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import type { Storage, TableName } from "../storage/config.ts";
import { TABLE_NAMES } from "../storage/config.ts";
import { StorageError } from "../storage/errors.ts";
import { describeErrors } from "../storage/validation.ts";
import { toTyped } from "./typed-entity.ts";

export const DEFAULT_BACKUP_CONTAINER = "backups";
export const MANIFEST_NAME = "manifest.json";
export const BACKUP_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** Dependency order: a row's references are written before it is (see header). */
export const BACKUP_TABLE_ORDER: readonly TableName[] = [
  "companies",
  "employees",
  "documentcodes",
  "periods",
  "payslips",
  "mails",
  "runs",
  "audit",
  "grants",
  "parameters",
];

export interface ManifestFile {
  path: string;
  size: number;
  sha256: string;
}
export interface BackupManifest {
  format: "paie-monaco-backup/1";
  date: string;
  createdAt: string;
  tables: Array<ManifestFile & { table: TableName; entities: number }>;
  blobs: Array<ManifestFile & { container: string; name: string; contentType: string; metadata: Record<string, string> }>;
}

const Sha256 = Type.String({ pattern: "^[0-9a-f]{64}$" });
const FileSchema = { path: Type.String({ minLength: 1 }), size: Type.Integer({ minimum: 0 }), sha256: Sha256 };
export const BackupManifestSchema = Type.Object({
  format: Type.Literal("paie-monaco-backup/1"),
  date: Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$" }),
  createdAt: Type.String(),
  tables: Type.Array(Type.Object({ ...FileSchema, table: Type.Union(TABLE_NAMES.map((t) => Type.Literal(t))), entities: Type.Integer({ minimum: 0 }) })),
  blobs: Type.Array(
    Type.Object({
      ...FileSchema,
      container: Type.String(),
      name: Type.String({ minLength: 1 }),
      contentType: Type.String(),
      metadata: Type.Record(Type.String(), Type.String()),
    }),
  ),
});
const manifestCheck = TypeCompiler.Compile(BackupManifestSchema);

export function backupDate(now: Date): string {
  return now.toISOString().slice(0, 10);
}

export function backupContainer(storage: Storage, name = DEFAULT_BACKUP_CONTAINER): ContainerClient {
  return storage.blobService.getContainerClient(name);
}

async function uploadHashed(
  blob: BlockBlobClient,
  source: AsyncIterable<Buffer>,
  contentType: string,
  metadata?: Record<string, string>,
): Promise<{ size: number; sha256: string }> {
  const hash = createHash("sha256");
  let size = 0;
  async function* hashing() {
    for await (const chunk of source) {
      hash.update(chunk);
      size += chunk.length;
      yield chunk;
    }
  }
  await blob.uploadStream(Readable.from(hashing()), 4 * 1024 * 1024, 4, {
    blobHTTPHeaders: { blobContentType: contentType },
    ...(metadata ? { metadata } : {}),
  });
  return { size, sha256: hash.digest("hex") };
}

async function backupTable(storage: Storage, table: TableName, blob: BlockBlobClient): Promise<{ size: number; sha256: string; entities: number }> {
  let entities = 0;
  const client = storage.table(table);
  async function* lines() {
    for await (const page of client.listEntities<Record<string, unknown>>({ disableTypeConversion: true }).byPage({ maxPageSize: 1000 })) {
      let text = "";
      for (const raw of page) {
        text += `${JSON.stringify(toTyped(raw))}\n`;
        entities++;
      }
      if (text) yield Buffer.from(text, "utf8");
    }
  }
  const gz = pipeline(Readable.from(lines()), createGzip(), () => undefined);
  const result = await uploadHashed(blob, gz, "application/gzip");
  return { ...result, entities };
}

export interface BackupOptions {
  now: Date;
  /** Where backups go; defaults to the "backups" container of the same account. */
  target?: ContainerClient;
}

export async function backupAll(storage: Storage, options: BackupOptions): Promise<BackupManifest> {
  const target = options.target ?? backupContainer(storage);
  // A table that was never created would make the listing fail with 404; an empty one backs up as 0 rows.
  await storage.ensure();
  await target.createIfNotExists();
  const date = backupDate(options.now);
  const manifest: BackupManifest = { format: "paie-monaco-backup/1", date, createdAt: options.now.toISOString(), tables: [], blobs: [] };

  for (const table of BACKUP_TABLE_ORDER) {
    const path = `${date}/tables/${table}.jsonl.gz`;
    const written = await backupTable(storage, table, target.getBlockBlobClient(path));
    manifest.tables.push({ table, path, ...written });
  }

  const documents = storage.blobService.getContainerClient(storage.documentsContainer);
  if (await documents.exists()) {
    for await (const item of documents.listBlobsFlat({ includeMetadata: true })) {
      const path = `${date}/blobs/${documents.containerName}/${item.name}`;
      const download = await documents.getBlockBlobClient(item.name).download();
      const contentType = download.contentType ?? "application/octet-stream";
      const metadata = download.metadata ?? {};
      const written = await uploadHashed(target.getBlockBlobClient(path), download.readableStreamBody as AsyncIterable<Buffer>, contentType, metadata);
      manifest.blobs.push({ container: documents.containerName, name: item.name, path, contentType, metadata, ...written });
    }
  }

  const body = Buffer.from(JSON.stringify(manifest, null, 2), "utf8");
  await target.getBlockBlobClient(`${date}/${MANIFEST_NAME}`).uploadData(body, { blobHTTPHeaders: { blobContentType: "application/json" } });
  return manifest;
}

/** Dates that have a complete backup (a manifest), oldest first. */
export async function listBackups(target: ContainerClient): Promise<string[]> {
  const dates: string[] = [];
  if (!(await target.exists())) return dates;
  for await (const item of target.listBlobsByHierarchy("/")) {
    if (item.kind !== "prefix") continue;
    const date = item.name.replace(/\/$/, "");
    if (BACKUP_DATE_PATTERN.test(date) && (await target.getBlobClient(`${date}/${MANIFEST_NAME}`).exists())) dates.push(date);
  }
  return dates.sort();
}

export async function readManifest(target: ContainerClient, date: string): Promise<BackupManifest> {
  if (!BACKUP_DATE_PATTERN.test(date)) throw new StorageError("backup", `Date de sauvegarde invalide « ${date} » : format attendu AAAA-MM-JJ.`);
  const blob = target.getBlockBlobClient(`${date}/${MANIFEST_NAME}`);
  if (!(await blob.exists())) {
    throw new StorageError("backup", `Aucune sauvegarde complète du ${date} dans le conteneur « ${target.containerName} » (manifeste absent).`);
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse((await blob.downloadToBuffer()).toString("utf8"));
  } catch {
    throw new StorageError("backup", `Manifeste de la sauvegarde du ${date} illisible (JSON invalide).`);
  }
  if (!manifestCheck.Check(manifest)) {
    throw new StorageError("backup", `Manifeste de la sauvegarde du ${date} invalide : ${describeErrors(manifestCheck.Errors(manifest))}`);
  }
  if (manifest.date !== date) throw new StorageError("backup", `Le manifeste rangé au ${date} décrit la sauvegarde du ${manifest.date}.`);
  return manifest;
}
