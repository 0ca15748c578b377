/**
 * Entity codec: turns a typed record into a Table entity and back, with a TypeBox schema on both sides.
 *
 * Storage rules this enforces (Azure limits, and Azurite quirks that would otherwise slip through tests):
 * - money is integer cents: Int32 when it fits, else a decimal string — never a double
 *   (integer-valued doubles come back as Int32, Int64 comes back as bigint);
 * - JSON payloads are split into string properties of ≤ 30,000 UTF-16 units (`field_0`, `field_1`… plus
 *   `field_n`, the chunk count) because a string property holds at most 32 K units;
 * - an entity is refused above ~900 KB (Azure: 1 MiB, in UTF-16 units; Azurite: 1 MiB of UTF-8 JSON) or 252
 *   properties, before any request is sent;
 * - every row read back is validated: a corrupt row raises CorruptEntityError naming table/partition/row.
 *   Columns the codec does not know are ignored on read, so an older deployment can still read rows
 *   written by a newer one that added a column.
 */

import type { TableEntity, TableEntityResult } from "@azure/data-tables";
import type { Static, TSchema } from "@sinclair/typebox";
import { type TypeCheck, TypeCompiler } from "@sinclair/typebox/compiler";
import { CorruptEntityError, StorageError } from "./errors.ts";
import { assertKey } from "./keys.ts";
import { describeErrors } from "./validation.ts";

export const JSON_CHUNK_CHARS = 30_000;
export const MAX_ENTITY_BYTES = 900 * 1024;
export const MAX_CUSTOM_PROPERTIES = 252;
const INT32_MAX = 2_147_483_647;
const INT32_MIN = -2_147_483_648;

export type FieldKind = "string" | "int" | "bool" | "cents" | "json";

export type StoredValue = string | number | boolean;
export type RawEntity = Record<string, unknown> & { partitionKey?: string; rowKey?: string; etag?: string };

/** Integer cents → what is stored: a number when it fits Int32, else its decimal string. */
export function encodeCents(cents: number, where = "montant"): number | string {
  if (!Number.isSafeInteger(cents)) {
    throw new StorageError("codec", `${where} : ${String(cents)} n'est pas un nombre entier de centimes.`);
  }
  return cents >= INT32_MIN && cents <= INT32_MAX ? cents : String(cents);
}

export function decodeCents(stored: unknown): number | undefined {
  if (typeof stored === "number") return Number.isSafeInteger(stored) ? stored : undefined;
  if (typeof stored === "bigint") return stored >= BigInt(Number.MIN_SAFE_INTEGER) && stored <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(stored) : undefined;
  if (typeof stored === "string" && /^-?\d{1,16}$/.test(stored)) {
    const n = Number(stored);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
}

/** Splits without cutting a surrogate pair: half an emoji would be re-encoded as U+FFFD on the wire. */
export function splitJson(text: string, size = JSON_CHUNK_CHARS): string[] {
  const chunks: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + size, text.length);
    if (end < text.length) {
      const last = text.charCodeAt(end - 1);
      if (last >= 0xd800 && last <= 0xdbff) end -= 1;
    }
    chunks.push(text.slice(start, end));
    start = end;
  }
  return chunks.length > 0 ? chunks : [""];
}

/** Azure's documented size formula (UTF-16 strings), close enough to guard before sending. */
export function estimateEntityBytes(entity: Record<string, unknown>): number {
  let bytes = 4;
  for (const [name, value] of Object.entries(entity)) {
    if (name === "etag" || name === "timestamp") continue;
    if (name === "partitionKey" || name === "rowKey") {
      bytes += String(value).length * 2;
      continue;
    }
    bytes += 8 + name.length * 2;
    if (typeof value === "string") bytes += 4 + value.length * 2;
    else if (typeof value === "boolean") bytes += 1;
    else if (typeof value === "number") bytes += 8;
    else if (value && typeof value === "object" && "value" in value) bytes += 4 + String((value as { value: unknown }).value).length * 2;
    else bytes += 8;
  }
  return bytes;
}

export function assertEntityFits(table: string, entity: Record<string, unknown>): void {
  const where = `table « ${table} », partition « ${String(entity.partitionKey)} », ligne « ${String(entity.rowKey)} »`;
  const custom = Object.keys(entity).filter((k) => !["partitionKey", "rowKey", "etag", "timestamp"].includes(k)).length;
  if (custom > MAX_CUSTOM_PROPERTIES) {
    throw new StorageError("too-large", `Entité trop large (${where}) : ${custom} propriétés, 252 au plus.`);
  }
  // Azure counts UTF-16 units (the formula above); Azurite counts the UTF-8 JSON it receives, where a CJK
  // character takes 3 bytes and a quote inside a JSON chunk 2. Checking both keeps every write of a batch under
  // both limits before the first transaction leaves, so no staff list is ever half-written.
  const bytes = Math.max(estimateEntityBytes(entity), Buffer.byteLength(JSON.stringify(entity), "utf8"));
  if (bytes > MAX_ENTITY_BYTES) {
    throw new StorageError(
      "too-large",
      `Entité trop volumineuse (${where}) : environ ${Math.round(bytes / 1024)} Ko, limite de sécurité ${MAX_ENTITY_BYTES / 1024} Ko (Azure refuse au-delà de 1 Mio).`,
    );
  }
}

/** A record as read from storage, with the ETag that guards the next write. */
export type Stored<T> = T & { readonly etag: string };

export interface Decoded<T> {
  value: T;
  etag: string;
  partitionKey: string;
  rowKey: string;
}

export interface EntityCodec<S extends TSchema> {
  readonly table: string;
  readonly schema: S;
  /** Validates then encodes; throws StorageError("codec") naming the bad property. */
  toEntity(partitionKey: string, rowKey: string, value: Static<S> | Stored<Static<S>>): TableEntity<Record<string, StoredValue>>;
  /** Decodes then validates; throws CorruptEntityError naming table/partition/row. */
  fromEntity(raw: RawEntity | TableEntityResult<Record<string, unknown>>): Decoded<Static<S>>;
}

/** Marks an integer property as money: stored by encodeCents (Int32, else a decimal string), never as a double. */
export const STORED_AS = "storedAs";

/**
 * The column kinds of an object schema, read from the schema itself so that a repository states its shape once:
 * strings and unions of string literals are "string", integers "int" (or "cents" when marked `storedAs: "cents"`),
 * booleans "bool", anything else (arrays, objects, records, unknown) "json". A plain `number` is refused: a stored
 * double is exactly what the money rule forbids, so the schema must say integer or cents.
 */
export function fieldKindsOf(table: string, schema: TSchema): Record<string, FieldKind> {
  const properties = (schema as { properties?: Record<string, TSchema> }).properties;
  if (!properties) throw new StorageError("codec", `Table « ${table} » : le schéma n'est pas un objet.`);
  const kinds: Record<string, FieldKind> = {};
  for (const [name, property] of Object.entries(properties)) kinds[name] = kindOf(table, name, property);
  return kinds;
}

function kindOf(table: string, name: string, schema: TSchema): FieldKind {
  const s = schema as { type?: string; anyOf?: TSchema[]; [STORED_AS]?: string };
  if (s[STORED_AS] === "cents") return "cents";
  switch (s.type) {
    case "string":
      return "string";
    case "integer":
      return "int";
    case "boolean":
      return "bool";
    case "number":
      throw new StorageError("codec", `Table « ${table} », propriété « ${name} » : un nombre non entier ne se stocke pas (entier ou centimes).`);
  }
  if (s.anyOf?.length && s.anyOf.every((member) => (member as { type?: string }).type === "string")) return "string";
  return "json";
}

export function defineCodec<S extends TSchema>(table: string, schema: S): EntityCodec<S> {
  const check: TypeCheck<S> = TypeCompiler.Compile(schema);
  const entries = Object.entries(fieldKindsOf(table, schema));

  return {
    table,
    schema,
    toEntity(partitionKey, rowKey, value) {
      assertKey("PartitionKey", partitionKey, table);
      assertKey("RowKey", rowKey, table);
      // A record read back carries its ETag; it is not part of the stored data.
      const { etag: _etag, ...record } = value as Record<string, unknown>;
      if (!check.Check(record)) {
        throw new StorageError(
          "codec",
          `Donnée refusée pour la table « ${table} » (partition « ${partitionKey} », ligne « ${rowKey} ») : ${describeErrors(check.Errors(record))}`,
        );
      }
      const entity: TableEntity<Record<string, StoredValue>> = { partitionKey, rowKey };
      for (const [name, kind] of entries) {
        const v = record[name];
        if (v === undefined) continue;
        switch (kind) {
          case "string":
          case "bool":
            entity[name] = v as string | boolean;
            break;
          case "int": {
            const n = v as number;
            if (!Number.isInteger(n) || n < INT32_MIN || n > INT32_MAX) {
              throw new StorageError("codec", `Table « ${table} », propriété « ${name} » : ${n} n'est pas un entier 32 bits.`);
            }
            entity[name] = n;
            break;
          }
          case "cents":
            entity[name] = encodeCents(v as number, `Table « ${table} », propriété « ${name} »`);
            break;
          case "json": {
            const chunks = splitJson(JSON.stringify(v));
            for (const [i, chunk] of chunks.entries()) entity[`${name}_${i}`] = chunk;
            entity[`${name}_n`] = chunks.length;
            break;
          }
        }
      }
      assertEntityFits(table, entity);
      return entity;
    },
    fromEntity(raw) {
      const pk = String(raw.partitionKey ?? "?");
      const rk = String(raw.rowKey ?? "?");
      const corrupt = (details: string) => new CorruptEntityError(table, pk, rk, details);
      const out: Record<string, unknown> = {};
      for (const [name, kind] of entries) {
        if (kind === "json") {
          const count = raw[`${name}_n`];
          if (count === undefined) continue;
          if (typeof count !== "number" || !Number.isInteger(count) || count < 1) {
            throw corrupt(`nombre de morceaux JSON « ${name}_n » invalide (${String(count)}).`);
          }
          let text = "";
          for (let i = 0; i < count; i++) {
            const part = raw[`${name}_${i}`];
            if (typeof part !== "string") throw corrupt(`morceau JSON « ${name}_${i} » manquant ou non textuel.`);
            text += part;
          }
          try {
            out[name] = JSON.parse(text);
          } catch (e) {
            throw corrupt(`JSON illisible dans « ${name} » (${(e as Error).message}).`);
          }
          continue;
        }
        const v = raw[name];
        if (v === undefined || v === null) continue;
        if (kind === "cents") {
          const cents = decodeCents(v);
          if (cents === undefined) throw corrupt(`« ${name} » devrait être un nombre entier de centimes, trouvé ${JSON.stringify(String(v))}.`);
          out[name] = cents;
        } else if (kind === "int" && typeof v === "bigint") {
          throw corrupt(`« ${name} » devrait être un entier 32 bits, trouvé un Int64 (${v.toString()}).`);
        } else {
          out[name] = v;
        }
      }
      if (!check.Check(out)) throw corrupt(describeErrors(check.Errors(out)));
      return { value: out as Static<S>, etag: String(raw.etag ?? ""), partitionKey: pk, rowKey: rk };
    },
  };
}
