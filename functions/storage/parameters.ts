/**
 * The parameter sets the firm entered (shared/rates/parameter-set.ts): the dated values on top of the bundled
 * baseline. Partition `set`, row = the version the set had when written: its values (content-addressed, never
 * rewritten, so a submission computed with an older version can still be named value by value). Partition `head`,
 * row `current`: which set is in force, ETag-guarded so two admins saving at once cannot lose a change.
 *
 * Writing a set row first and moving the head second means a failure in between changes nothing anyone reads.
 * The version in force is always recomputed from the bundled baseline + the stored values: after a release that
 * changed a baseline file it differs from the row key, as it should (the figures differ too).
 */
import { type Static, Type } from "@sinclair/typebox";
import { baselineParameterSet, buildParameterSet, type ParameterSet, StoredParameterValue } from "../../shared/rates/parameter-set.ts";
import { createIfAbsent, replaceIfMatch } from "./batch.ts";
import { defineCodec } from "./codec.ts";
import type { Storage } from "./config.ts";
import { ConcurrencyError } from "./errors.ts";
import { IsoDateTime, readOne } from "./repo.ts";

const VERSION = Type.String({ pattern: "^[0-9a-f]{12}$" });

export const ParameterSetRowSchema = Type.Object(
  {
    version: VERSION,
    values: Type.Array(StoredParameterValue, { maxItems: 5000 }),
    createdAt: IsoDateTime(),
    createdBy: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);

export const ParameterHeadSchema = Type.Object(
  { version: VERSION, updatedAt: IsoDateTime(), updatedBy: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export type ParameterHead = Static<typeof ParameterHeadSchema>;

const SET_PARTITION = "set";
const HEAD_PARTITION = "head";
const HEAD_ROW = "current";

/** The set in force, with who moved it there and the head's ETag (undefined while only the baseline exists). */
export interface CurrentParameters {
  set: ParameterSet;
  updatedAt?: string;
  updatedBy?: string;
  etag?: string;
}

// Content-addressed: a set read once is the same set for the life of the process.
const built = new Map<string, ParameterSet>();

export function parametersRepository(storage: Storage) {
  const client = storage.table("parameters");
  const setCodec = defineCodec(client.tableName, ParameterSetRowSchema);
  const headCodec = defineCodec(client.tableName, ParameterHeadSchema);

  /** The set stored under `key`, rebuilt on today's baseline; undefined when there is no such row. */
  const readSet = async (key: string): Promise<ParameterSet | undefined> => {
    const hit = built.get(key);
    if (hit) return hit;
    const row = await readOne(client, setCodec, SET_PARTITION, key);
    if (!row) return undefined;
    const set = buildParameterSet(row.values);
    if (built.size > 200) built.clear();
    built.set(key, set);
    return set;
  };

  return {
    async current(): Promise<CurrentParameters> {
      const head = await readOne(client, headCodec, HEAD_PARTITION, HEAD_ROW);
      if (!head) return { set: baselineParameterSet() };
      const set = await readSet(head.version);
      if (!set) throw new ConcurrencyError(client.tableName, SET_PARTITION, head.version);
      return { set, updatedAt: head.updatedAt, updatedBy: head.updatedBy, etag: head.etag };
    },
    /**
     * The set a client computed with, by its version: the baseline, or a stored set whose version is still that on
     * today's baseline. Undefined otherwise (a version from another release, or invented): it cannot be named.
     */
    async byVersion(version: string): Promise<ParameterSet | undefined> {
      const baseline = baselineParameterSet();
      if (version === baseline.version) return baseline;
      if (!/^[0-9a-f]{12}$/.test(version)) return undefined;
      const set = await readSet(version);
      return set && set.version === version ? set : undefined;
    },
    /**
     * Makes `next` the set in force, if the head is still the one read (`expected`, from current()).
     * ConcurrencyError when another change landed in between: nothing of `next` is in force then.
     */
    async save(next: ParameterSet, expected: CurrentParameters, at: string, by: string): Promise<CurrentParameters> {
      try {
        await createIfAbsent(
          client,
          setCodec.toEntity(SET_PARTITION, next.version, { version: next.version, values: [...next.values], createdAt: at, createdBy: by }),
        );
      } catch (e) {
        // The same content was saved before (a change undone then redone): the row is already right.
        if (!(e instanceof ConcurrencyError)) throw e;
      }
      const head = headCodec.toEntity(HEAD_PARTITION, HEAD_ROW, { version: next.version, updatedAt: at, updatedBy: by });
      const etag = expected.etag === undefined ? await createIfAbsent(client, head) : await replaceIfMatch(client, head, expected.etag);
      built.set(next.version, next);
      return { set: next, updatedAt: at, updatedBy: by, etag };
    },
  };
}
export type ParametersRepository = ReturnType<typeof parametersRepository>;
