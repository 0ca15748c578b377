/**
 * Typed storage errors. Messages are in French because they reach payroll staff (pane, admin mail);
 * each one names where the problem is (table, partition, row, property) so nobody has to guess.
 */

export type StorageErrorCode =
  | "config"
  | "key"
  | "codec"
  | "too-large"
  | "corrupt"
  | "concurrency"
  | "not-found"
  | "transition"
  | "not-empty"
  | "backup"
  | "request";

export class StorageError extends Error {
  readonly code: StorageErrorCode;
  override readonly cause?: unknown;
  constructor(code: StorageErrorCode, message: string, cause?: unknown) {
    super(message);
    this.name = "StorageError";
    this.code = code;
    if (cause !== undefined) this.cause = cause;
  }
}

/** Raised when an ETag-guarded write finds the row changed (HTTP 412) or already created (HTTP 409). */
export class ConcurrencyError extends StorageError {
  constructor(
    readonly table: string,
    readonly partitionKey: string,
    readonly rowKey: string,
    cause?: unknown,
  ) {
    super(
      "concurrency",
      `Modification concurrente : la ligne « ${rowKey} » (partition « ${partitionKey} ») de la table « ${table} » a été modifiée par quelqu'un d'autre entre-temps. Relisez-la puis recommencez.`,
      cause,
    );
    this.name = "ConcurrencyError";
  }
}

/** A stored row that does not match its schema: named precisely, never a crash deep inside a caller. */
export class CorruptEntityError extends StorageError {
  constructor(
    readonly table: string,
    readonly partitionKey: string,
    readonly rowKey: string,
    readonly details: string,
  ) {
    super(
      "corrupt",
      `Donnée stockée invalide dans la table « ${table} », partition « ${partitionKey} », ligne « ${rowKey} » : ${details}`,
    );
    this.name = "CorruptEntityError";
  }
}

export class NotFoundError extends StorageError {
  constructor(what: string) {
    super("not-found", `Introuvable : ${what}.`);
    this.name = "NotFoundError";
  }
}

export function statusOf(error: unknown): number | undefined {
  if (typeof error === "object" && error !== null && "statusCode" in error) {
    const status = (error as { statusCode?: unknown }).statusCode;
    return typeof status === "number" ? status : undefined;
  }
  return undefined;
}
