/**
 * Read-compatibility for columns that were renamed: the one place the old names live. Rows written before a rename
 * still hold the old column (Table Storage is never rewritten in bulk), so the codec reads the old name when the new
 * one is absent; every write goes through the codec's `toEntity`, which only knows the new names, so a row is
 * upgraded the next time it is written. JSON columns are split into `name_0…`, `name_n`: those move together.
 *
 * Renamed so far (issue 11, one vocabulary with the engine):
 * - employees `entryDate` → `hireDate` (the engine's name for the same date);
 * - payslips `ytd` → `carry` (the state carried to next month: the engine's `result.carry`);
 * - inside the payslips' `employee` JSON column (the master-data snapshot of the version), `entryDate` → `hireDate`.
 */
import type { TSchema } from "@sinclair/typebox";
import { type EntityCodec, type RawEntity, splitJson } from "./codec.ts";

export const RENAMED_COLUMNS = {
  employees: { entryDate: "hireDate" },
  payslips: { ytd: "carry" },
} as const;

/** Fields renamed inside a JSON column: table → column → old name → new name. */
export const RENAMED_IN_JSON = {
  payslips: { employee: { entryDate: "hireDate" } },
} as const;

type JsonRenames = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** The row with the renamed fields of each JSON column's object moved under their new names (chunks re-split). */
export function upgradeJsonFields<T extends RawEntity>(raw: T, columns: JsonRenames): T {
  let out: Record<string, unknown> | undefined;
  for (const [column, renames] of Object.entries(columns)) {
    const count = raw[`${column}_n`];
    if (typeof count !== "number" || !Number.isInteger(count) || count < 1) continue;
    let text = "";
    for (let i = 0; i < count; i++) {
      const part = raw[`${column}_${i}`];
      if (typeof part !== "string") return raw; // the codec names the corruption
      text += part;
    }
    // Rows already in the new shape (all of them, soon) are not parsed twice.
    if (!Object.keys(renames).some((from) => text.includes(`"${from}"`))) continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return raw;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) continue;
    const obj = { ...(value as Record<string, unknown>) };
    let moved = false;
    for (const [from, to] of Object.entries(renames)) {
      if (!(from in obj)) continue;
      if (obj[to] === undefined) obj[to] = obj[from];
      delete obj[from];
      moved = true;
    }
    if (!moved) continue;
    out ??= { ...raw };
    for (let i = 0; i < count; i++) delete out[`${column}_${i}`];
    const chunks = splitJson(JSON.stringify(obj));
    for (const [i, chunk] of chunks.entries()) out[`${column}_${i}`] = chunk;
    out[`${column}_n`] = chunks.length;
  }
  return (out ?? raw) as T;
}

/** The row with each old column copied under its new name, when the row has no value under the new name yet. */
export function upgradeColumns<T extends RawEntity>(raw: T, renames: Readonly<Record<string, string>>): T {
  let out: Record<string, unknown> | undefined;
  for (const [from, to] of Object.entries(renames)) {
    for (const key of Object.keys(raw)) {
      // `from` itself, or one of its JSON chunks (`from_0`, `from_n`…).
      const suffix = key === from ? "" : key.startsWith(`${from}_`) && /^_(\d+|n)$/.test(key.slice(from.length)) ? key.slice(from.length) : undefined;
      if (suffix === undefined) continue;
      const target = `${to}${suffix}`;
      if (raw[target] !== undefined || raw[`${to}_n`] !== undefined || raw[to] !== undefined) continue;
      out ??= { ...raw };
      out[target] = raw[key];
      delete out[key];
    }
  }
  return (out ?? raw) as T;
}

/** The codec, reading rows written under the old column names too. */
export function readingRenamed<S extends TSchema>(codec: EntityCodec<S>, renames: Readonly<Record<string, string>>, inJson: JsonRenames = {}): EntityCodec<S> {
  return { ...codec, fromEntity: (raw) => codec.fromEntity(upgradeJsonFields(upgradeColumns(raw as RawEntity, renames), inJson)) };
}
