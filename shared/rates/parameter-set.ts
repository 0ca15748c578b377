/**
 * A parameter set: the bundled dated files (the baseline, rates/data) merged with the dated values the firm has
 * entered since (stored by the functions app), identified by a version derived from its content. The add-in and the
 * server rebuild the same set from the same stored values, so equal versions mean equal figures.
 *
 * The version is the sha-256 of the canonical JSON of every merged file (the baseline included: two deployments
 * with different bundled files have different versions even with the same stored values). @noble/hashes because the
 * engine runs in the browser too, where node:crypto is absent and WebCrypto is asynchronous.
 */
import { sha256 } from "@noble/hashes/sha2";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils";
import { type Static, Type } from "@sinclair/typebox";
import { EvidenceStatus, PARAMETERS, type ParameterFile, Reference } from "./parameters.ts";

/** One value the firm entered: what the payroll office types from a CSM circular. */
export const StoredParameterValue = Type.Object(
  {
    parameter: Type.String({ pattern: "^[a-z0-9_.]+$", maxLength: 60, description: "identifiant du paramètre (ccss.ceiling…)" }),
    validFrom: Type.String({ pattern: "^\\d{4}-\\d{2}-01$", description: "premier jour du mois d'entrée en vigueur" }),
    value: Type.Union([Type.Number(), Type.String({ minLength: 1, maxLength: 40 })]),
    status: Type.Exclude(EvidenceStatus, Type.Literal("unknown")),
    reference: Reference,
    note: Type.Optional(Type.String({ minLength: 3, maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type StoredParameterValue = Static<typeof StoredParameterValue>;

export interface ParameterSet {
  /** 12 hex digits of the sha-256 of the merged files. */
  readonly version: string;
  /** Every parameter file with the stored values merged in (the same map as PARAMETERS when nothing is stored). */
  readonly files: Map<string, ParameterFile>;
  /** The stored values it was built from, sorted by parameter then date. */
  readonly values: readonly StoredParameterValue[];
}

/** Keys sorted, no spaces: the same text for the same content whatever the order it was built in. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) throw new RangeError("canonicalJson: nombre non fini");
    return JSON.stringify(value) ?? "null";
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(",")}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(",")}}`;
}

export function shortHash(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text))).slice(0, 12);
}

/** What explanations and warnings print for an entered value: the reference's title, never the internal note. */
export function printedReference(reference: Reference): string {
  return reference.document ? `${reference.title} (${reference.document})` : reference.title;
}

/**
 * The day before the next expected change after `from`: an entered value is checked until then (a value entered
 * for October is current until the next 30 September; an irregular one until the end of its year).
 */
export function knownUntilAfter(from: string, changes: string): string {
  const year = Number(from.slice(0, 4));
  const month = Number(from.slice(5, 7));
  if (changes === "october") return `${month >= 10 ? year + 1 : year}-09-30`;
  return `${year}-12-31`;
}

const byKey = (a: StoredParameterValue, b: StoredParameterValue) =>
  a.parameter < b.parameter ? -1 : a.parameter > b.parameter ? 1 : a.validFrom < b.validFrom ? -1 : a.validFrom > b.validFrom ? 1 : 0;

/** The stored values in their canonical order, one per parameter and date (the last given wins). */
export function normaliseValues(values: readonly StoredParameterValue[]): StoredParameterValue[] {
  const one = new Map<string, StoredParameterValue>();
  for (const v of values) one.set(`${v.parameter}|${v.validFrom}`, v);
  return [...one.values()].sort(byKey);
}

function mergeFile(file: ParameterFile, entered: readonly StoredParameterValue[]): ParameterFile {
  const values = [...file.values];
  let knownUntil = file.knownUntil;
  for (const v of entered) {
    const dated: ParameterFile["values"][number] = {
      from: v.validFrom,
      value: v.value,
      status: v.status,
      reference: v.reference,
      ...(v.note ? { note: v.note } : {}),
      printed: printedReference(v.reference),
    };
    const at = values.findIndex((x) => x.from >= v.validFrom);
    if (at === -1) values.push(dated);
    else if (values[at]!.from === v.validFrom) values[at] = dated;
    else values.splice(at, 0, dated);
    const until = knownUntilAfter(v.validFrom, file.changes);
    if (until > knownUntil) knownUntil = until;
  }
  return { ...file, knownUntil, values };
}

const versions = new WeakMap<Map<string, ParameterFile>, string>();

function versionOf(files: Map<string, ParameterFile>): string {
  let v = versions.get(files);
  if (v === undefined) {
    v = shortHash(canonicalJson([...files.values()].sort((a, b) => (a.id < b.id ? -1 : 1))));
    versions.set(files, v);
  }
  return v;
}

/**
 * The baseline merged with the stored values. A value for a parameter the baseline does not know is left out (a
 * parameter removed from the product cannot be computed with); its absence from `values` shows it.
 */
export function buildParameterSet(stored: readonly StoredParameterValue[], baseline: Map<string, ParameterFile> = PARAMETERS): ParameterSet {
  const values = normaliseValues(stored).filter((v) => baseline.has(v.parameter));
  if (values.length === 0) return Object.freeze({ version: versionOf(baseline), files: baseline, values: Object.freeze([]) });
  const files = new Map(baseline);
  for (const id of new Set(values.map((v) => v.parameter)))
    files.set(
      id,
      mergeFile(
        baseline.get(id)!,
        values.filter((v) => v.parameter === id),
      ),
    );
  return Object.freeze({ version: versionOf(files), files, values: Object.freeze(values) });
}

let baselineSet: ParameterSet | undefined;

/** The bundled files alone (hashed on first use, not at import: the CLI and the corpus never need the version). */
export function baselineParameterSet(): ParameterSet {
  baselineSet ??= buildParameterSet([]);
  return baselineSet;
}
