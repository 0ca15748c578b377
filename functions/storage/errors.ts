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
    super("corrupt", `Donnée stockée invalide dans la table « ${table} », partition « ${partitionKey} », ligne « ${rowKey} » : ${details}`);
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

/** The service's own size refusals (Azure and Azurite): entity over 1 MiB, property over 64 KiB, body over 4 MiB. */
const SIZE_CODES = new Set(["EntityTooLarge", "PropertyValueTooLarge", "RequestBodyTooLarge"]);

function serviceCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && code) return code;
  // Some batch responses only carry the code in the message's OData error.
  const m = /"code"\s*:\s*"([A-Za-z]+)"|\b(EntityTooLarge|PropertyValueTooLarge|RequestBodyTooLarge)\b/.exec(
    String((error as { message?: unknown }).message ?? ""),
  );
  return m?.[1] ?? m?.[2];
}

/**
 * A size refusal from the storage service, as a StorageError("too-large") naming what was refused; undefined for
 * any other error. Writes are single entities or one atomic transaction, so a refused write stored nothing.
 */
export function sizeRefusal(error: unknown, table: string, partitionKey: string, rowKey?: string): StorageError | undefined {
  const code = serviceCode(error);
  if (!(code !== undefined && SIZE_CODES.has(code)) && statusOf(error) !== 413) return undefined;
  const where = `table « ${table} », partition « ${partitionKey} »${rowKey !== undefined ? `, ligne « ${rowKey} »` : ""}`;
  const what =
    code === "PropertyValueTooLarge"
      ? "une propriété dépasse 64 Kio (32 K caractères)"
      : code === "RequestBodyTooLarge"
        ? "la requête dépasse 4 Mio"
        : "l'entité dépasse 1 Mio";
  return new StorageError("too-large", `Entité trop volumineuse (${where}) : refusée par le stockage, ${what} ; rien n'a été enregistré.`, error);
}
