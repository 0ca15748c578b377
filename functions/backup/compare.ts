/**
 * Compares two storages entity by entity (every property with its EDM type) and document by document
 * (content sha256, content type, metadata). Used to prove a restore is exact and to check a copy.
 * A snapshot holds one fingerprint per row and per blob, not the data, so it stays small.
 */
import { createHash } from "node:crypto";
import type { Storage, TableName } from "../storage/config.ts";
import { TABLE_NAMES } from "../storage/config.ts";
import { statusOf } from "../storage/errors.ts";
import { toTyped } from "./typed-entity.ts";

export interface StorageSnapshot {
  /** table → "pk\u0000rk" → sha256 of the typed properties. */
  tables: Record<string, Map<string, string>>;
  /** blob name → fingerprint of content + content type + metadata. */
  blobs: Map<string, string>;
}

function fingerprint(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex");
}

export async function snapshotStorage(storage: Storage): Promise<StorageSnapshot> {
  const tables: Record<string, Map<string, string>> = {};
  for (const table of TABLE_NAMES) {
    const rows = new Map<string, string>();
    try {
      for await (const raw of storage.table(table).listEntities<Record<string, unknown>>({ disableTypeConversion: true })) {
        const typed = toTyped(raw);
        rows.set(`${typed.pk}\u0000${typed.rk}`, fingerprint(typed.p));
      }
    } catch (e) {
      if (statusOf(e) !== 404) throw e;
    }
    tables[table] = rows;
  }
  const blobs = new Map<string, string>();
  const container = storage.blobService.getContainerClient(storage.documentsContainer);
  if (await container.exists()) {
    for await (const item of container.listBlobsFlat({ includeMetadata: true })) {
      const content = await container.getBlockBlobClient(item.name).downloadToBuffer();
      const metadata = Object.fromEntries(Object.entries(item.metadata ?? {}).sort(([a], [b]) => a.localeCompare(b)));
      blobs.set(item.name, fingerprint([createHash("sha256").update(content).digest("hex"), item.properties.contentType ?? "", metadata]));
    }
  }
  return { tables, blobs };
}

/** Human-readable differences (French), at most `max`; empty when both are identical. */
export function diffSnapshots(a: StorageSnapshot, b: StorageSnapshot, max = 50): string[] {
  const out: string[] = [];
  const push = (line: string) => out.length < max && out.push(line);
  const diffMaps = (label: string, left: Map<string, string>, right: Map<string, string>) => {
    for (const [key, fp] of left) {
      const shown = key.replace("\u0000", " / ");
      if (!right.has(key)) push(`${label} : « ${shown} » absent du second stockage`);
      else if (right.get(key) !== fp) push(`${label} : « ${shown} » diffère`);
    }
    for (const key of right.keys()) if (!left.has(key)) push(`${label} : « ${key.replace("\u0000", " / ")} » absent du premier stockage`);
  };
  const tableNames = new Set([...Object.keys(a.tables), ...Object.keys(b.tables)]);
  for (const table of tableNames) diffMaps(`table ${table}`, a.tables[table] ?? new Map(), b.tables[table] ?? new Map());
  diffMaps("document", a.blobs, b.blobs);
  return out;
}

export async function compareStorages(a: Storage, b: Storage, max = 50): Promise<string[]> {
  return diffSnapshots(await snapshotStorage(a), await snapshotStorage(b), max);
}

export function snapshotCounts(snapshot: StorageSnapshot): Record<TableName | "blobs", number> {
  const counts = Object.fromEntries(TABLE_NAMES.map((t) => [t, snapshot.tables[t]?.size ?? 0])) as Record<TableName, number>;
  return { ...counts, blobs: snapshot.blobs.size };
}
