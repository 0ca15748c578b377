/**
 * Exact, type-preserving text form of a Table entity, for backups.
 * Entities are read with `disableTypeConversion`, so every property arrives as its EDM type and the
 * service's text value; each is kept as [type, text]. Restoring sends the same EDM type back, so an
 * Int64 stays Int64 (not a bigint that JSON cannot hold), a Double stays Double, a DateTime keeps its
 * ticks-level text, Binary stays base64.
 */
import type { TableEntity } from "@azure/data-tables";
import { Type } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { StorageError } from "../storage/errors.ts";
import { describeErrors } from "../storage/validation.ts";

export const EDM_TYPES = ["String", "Int32", "Int64", "Double", "Boolean", "DateTime", "Guid", "Binary"] as const;
export type EdmType = (typeof EDM_TYPES)[number];

export interface TypedEntity {
  pk: string;
  rk: string;
  /** Property name → [EDM type, value as text]. System properties (ETag, Timestamp) are not kept. */
  p: Record<string, [EdmType, string]>;
}

export const TypedEntitySchema = Type.Object(
  {
    pk: Type.String({ minLength: 1 }),
    rk: Type.String({ minLength: 1 }),
    p: Type.Record(Type.String(), Type.Tuple([Type.Union(EDM_TYPES.map((t) => Type.Literal(t))), Type.String()])),
  },
  { additionalProperties: false },
);
const typedCheck = TypeCompiler.Compile(TypedEntitySchema);

/** Parses and validates one backup line; `where` names the file and line in the error. */
export function parseTypedLine(line: string, where: string): TypedEntity {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new StorageError("backup", `${where} : JSON illisible.`);
  }
  if (!typedCheck.Check(value)) throw new StorageError("backup", `${where} : ${describeErrors(typedCheck.Errors(value))}`);
  return value;
}

const SYSTEM = new Set(["partitionKey", "rowKey", "etag", "timestamp", "odata.metadata", "odata.etag", "Timestamp"]);

/** From an entity listed with `disableTypeConversion: true`. */
export function toTyped(raw: Record<string, unknown>): TypedEntity {
  const p: Record<string, [EdmType, string]> = {};
  for (const name of Object.keys(raw).sort()) {
    if (SYSTEM.has(name)) continue;
    const v = raw[name];
    if (v && typeof v === "object" && "type" in v && "value" in v) {
      const { type, value } = v as { type: string; value: unknown };
      if (!(EDM_TYPES as readonly string[]).includes(type)) throw new StorageError("backup", `Type de propriété inconnu « ${type} » pour « ${name} ».`);
      p[name] = [type as EdmType, String(value)];
    } else if (typeof v === "string") {
      p[name] = ["String", v];
    } else if (typeof v === "boolean") {
      p[name] = ["Boolean", String(v)];
    } else if (typeof v === "number") {
      p[name] = [Number.isInteger(v) ? "Int32" : "Double", String(v)];
    } else {
      throw new StorageError("backup", `Propriété « ${name} » de valeur non sauvegardable (${typeof v}).`);
    }
  }
  return { pk: String(raw.partitionKey), rk: String(raw.rowKey), p };
}

/** To the entity to send: native JSON for String/Int32/Boolean (the service infers those), EDM objects otherwise. */
export function fromTyped(typed: TypedEntity): TableEntity<Record<string, unknown>> {
  const entity: TableEntity<Record<string, unknown>> = { partitionKey: typed.pk, rowKey: typed.rk };
  for (const [name, [type, text]] of Object.entries(typed.p)) {
    switch (type) {
      case "String":
        entity[name] = text;
        break;
      case "Int32":
        entity[name] = Number(text);
        break;
      case "Boolean":
        entity[name] = text === "true";
        break;
      case "Double": {
        // A JSON number for finite values; the service's own spellings for NaN and infinities.
        const n = Number(text);
        entity[name] = { value: Number.isFinite(n) ? n : text, type };
        break;
      }
      default:
        entity[name] = { value: text, type };
    }
  }
  return entity;
}
