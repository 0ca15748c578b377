/**
 * Read-compatibility for columns that were renamed: the one place the old names live. Rows written before a rename
 * still hold the old column (Table Storage is never rewritten in bulk), so the codec reads the old name when the new
 * one is absent; every write goes through the codec's `toEntity`, which only knows the new names, so a row is
 * upgraded the next time it is written. JSON columns are split into `name_0…`, `name_n`: those move together.
 *
 * Renamed so far (issue 11, one vocabulary with the engine):
 * - employees `entryDate` → `hireDate` (the engine's name for the same date);
 * - payslips `ytd` → `carry` (the state carried to next month: the engine's `result.carry`).
 */
import type { TSchema } from "@sinclair/typebox";
import type { EntityCodec, RawEntity } from "./codec.ts";

export const RENAMED_COLUMNS = {
  employees: { entryDate: "hireDate" },
  payslips: { ytd: "carry" },
} as const;

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
export function readingRenamed<S extends TSchema>(codec: EntityCodec<S>, renames: Readonly<Record<string, string>>): EntityCodec<S> {
  return { ...codec, fromEntity: (raw) => codec.fromEntity(upgradeColumns(raw as RawEntity, renames)) };
}
