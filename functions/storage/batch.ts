/**
 * Batch writer: entity-group transactions grouped by partition, ≤ 100 operations and under the 4 MiB
 * body limit each, plus ETag-guarded single writes that raise ConcurrencyError.
 * Upserts use Replace mode so that writing the same entity twice leaves exactly the same row
 * (Merge would keep properties a previous version had, e.g. an extra JSON chunk).
 */
import type { TableClient, TableEntity, TransactionAction } from "@azure/data-tables";
import { ConcurrencyError, StorageError, sizeRefusal, statusOf } from "./errors.ts";
import { assertKey } from "./keys.ts";

export const MAX_TRANSACTION_OPS = 100;
/** Azure refuses a transaction body above 4 MiB; keep a margin for multipart headers we do not count. */
export const MAX_TRANSACTION_BYTES = 3.5 * 1024 * 1024;
const PER_OPERATION_OVERHEAD = 600;

export type BatchOperation = { kind: "upsert"; entity: TableEntity<Record<string, unknown>> } | { kind: "delete"; partitionKey: string; rowKey: string };

export interface BatchOptions {
  /** Transactions sent in parallel (different partitions, or chunks of one). Default 4. */
  concurrency?: number;
  maxOperations?: number;
  maxBytes?: number;
}

export interface BatchReport {
  operations: number;
  transactions: number;
}

function keysOf(op: BatchOperation): { partitionKey: string; rowKey: string } {
  return op.kind === "upsert"
    ? { partitionKey: String(op.entity.partitionKey), rowKey: String(op.entity.rowKey) }
    : { partitionKey: op.partitionKey, rowKey: op.rowKey };
}

function operationBytes(op: BatchOperation): number {
  return PER_OPERATION_OVERHEAD + (op.kind === "upsert" ? Buffer.byteLength(JSON.stringify(op.entity), "utf8") : 0);
}

/**
 * Plans the transactions: one list per partition (the last operation on a row wins, since a transaction
 * may not touch a row twice), cut into chunks by count and by bytes.
 */
export function planTransactions(
  operations: readonly BatchOperation[],
  options: Pick<BatchOptions, "maxOperations" | "maxBytes"> = {},
): Array<{ partitionKey: string; operations: BatchOperation[] }> {
  const maxOps = Math.min(options.maxOperations ?? MAX_TRANSACTION_OPS, MAX_TRANSACTION_OPS);
  const maxBytes = options.maxBytes ?? MAX_TRANSACTION_BYTES;
  const byPartition = new Map<string, Map<string, BatchOperation>>();
  for (const op of operations) {
    const { partitionKey, rowKey } = keysOf(op);
    let rows = byPartition.get(partitionKey);
    if (!rows) byPartition.set(partitionKey, (rows = new Map()));
    rows.set(rowKey, op);
  }
  const plan: Array<{ partitionKey: string; operations: BatchOperation[] }> = [];
  for (const [partitionKey, rows] of byPartition) {
    let current: BatchOperation[] = [];
    let bytes = 0;
    for (const op of rows.values()) {
      const size = operationBytes(op);
      if (current.length > 0 && (current.length >= maxOps || bytes + size > maxBytes)) {
        plan.push({ partitionKey, operations: current });
        current = [];
        bytes = 0;
      }
      current.push(op);
      bytes += size;
    }
    if (current.length > 0) plan.push({ partitionKey, operations: current });
  }
  return plan;
}

/**
 * The row a refused transaction names: Azure prefixes the message with the failed operation's index ("3:The entity
 * is larger…"); Azurite does not, and then the largest entity of the transaction is the one over the limit.
 */
function offender(error: unknown, operations: readonly BatchOperation[]): string | undefined {
  const message = String((error as { message?: unknown })?.message ?? "");
  const index = /(?:^|"value"\s*:\s*")(\d+):/.exec(message)?.[1];
  const byIndex = index !== undefined ? operations[Number(index)] : undefined;
  if (byIndex) return keysOf(byIndex).rowKey;
  let largest: BatchOperation | undefined;
  for (const op of operations) if (!largest || operationBytes(op) > operationBytes(largest)) largest = op;
  return largest && keysOf(largest).rowKey;
}

async function runLimited<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item);
    }
  });
  await Promise.all(workers);
}

export async function writeBatch(client: TableClient, operations: readonly BatchOperation[], options: BatchOptions = {}): Promise<BatchReport> {
  for (const op of operations) {
    const { partitionKey, rowKey } = keysOf(op);
    assertKey("PartitionKey", partitionKey, client.tableName);
    assertKey("RowKey", rowKey, client.tableName);
  }
  const plan = planTransactions(operations, options);
  await runLimited(plan, options.concurrency ?? 4, async (tx) => {
    const actions: TransactionAction[] = tx.operations.map((op) =>
      op.kind === "upsert" ? ["upsert", op.entity, "Replace"] : ["delete", { partitionKey: op.partitionKey, rowKey: op.rowKey }],
    );
    try {
      await client.submitTransaction(actions);
    } catch (e) {
      const tooLarge = sizeRefusal(e, client.tableName, tx.partitionKey, offender(e, tx.operations));
      if (tooLarge) throw tooLarge;
      throw new StorageError(
        "request",
        `Échec de l'écriture groupée dans la table « ${client.tableName} », partition « ${tx.partitionKey} » (${actions.length} opérations, HTTP ${statusOf(e) ?? "?"}) : ${(e as Error).message}`,
        e,
      );
    }
  });
  return { operations: plan.reduce((n, tx) => n + tx.operations.length, 0), transactions: plan.length };
}

export function upsertAll(client: TableClient, entities: ReadonlyArray<TableEntity<Record<string, unknown>>>, options?: BatchOptions): Promise<BatchReport> {
  return writeBatch(
    client,
    entities.map((entity) => ({ kind: "upsert", entity }) as const),
    options,
  );
}

export function deleteAll(client: TableClient, keys: ReadonlyArray<{ partitionKey: string; rowKey: string }>, options?: BatchOptions): Promise<BatchReport> {
  return writeBatch(
    client,
    keys.map((k) => ({ kind: "delete", partitionKey: k.partitionKey, rowKey: k.rowKey }) as const),
    options,
  );
}

/** One request per entity: what the batch writer avoids (kept for the benchmark and tiny writes). */
export async function upsertEach(client: TableClient, entities: ReadonlyArray<TableEntity<Record<string, unknown>>>, concurrency = 4): Promise<BatchReport> {
  await runLimited(entities, concurrency, async (entity) => {
    try {
      await client.upsertEntity(entity, "Replace");
    } catch (e) {
      throw sizeRefusal(e, client.tableName, String(entity.partitionKey), String(entity.rowKey)) ?? e;
    }
  });
  return { operations: entities.length, transactions: 0 };
}

/** Replaces a row only if it still has `etag`; returns the new ETag. */
export async function replaceIfMatch(client: TableClient, entity: TableEntity<Record<string, unknown>>, etag: string): Promise<string> {
  try {
    const response = await client.updateEntity(entity, "Replace", { etag });
    return response.etag ?? "";
  } catch (e) {
    if (statusOf(e) === 412) throw new ConcurrencyError(client.tableName, String(entity.partitionKey), String(entity.rowKey), e);
    throw sizeRefusal(e, client.tableName, String(entity.partitionKey), String(entity.rowKey)) ?? e;
  }
}

/** Creates a row that must not exist yet; a 409 means someone else created it first. */
export async function createIfAbsent(client: TableClient, entity: TableEntity<Record<string, unknown>>): Promise<string> {
  try {
    const response = await client.createEntity(entity);
    return response.etag ?? "";
  } catch (e) {
    if (statusOf(e) === 409) throw new ConcurrencyError(client.tableName, String(entity.partitionKey), String(entity.rowKey), e);
    throw sizeRefusal(e, client.tableName, String(entity.partitionKey), String(entity.rowKey)) ?? e;
  }
}

/** Reads one row, or undefined when it does not exist. */
export async function getOrUndefined(client: TableClient, partitionKey: string, rowKey: string): Promise<Record<string, unknown> | undefined> {
  assertKey("PartitionKey", partitionKey, client.tableName);
  assertKey("RowKey", rowKey, client.tableName);
  try {
    return (await client.getEntity<Record<string, unknown>>(partitionKey, rowKey)) as Record<string, unknown>;
  } catch (e) {
    if (statusOf(e) === 404) return undefined;
    throw e;
  }
}
