/**
 * Dated parameters (rates, ceilings, SMIC, legal constants…), one data file per parameter under rates/data (listed by
 * the generated baseline.generated.ts: `npm run rates:index`), each value with its valid-from date, its evidence
 * status and its source. A period uses the values in force on its last day
 * (CSM rule: "les taux et plafonds applicables sont ceux en vigueur le dernier jour de chaque période d'emploi").
 */
import { type Static, Type } from "@sinclair/typebox";
import { ISO_DATE_PATTERN } from "../core/period.ts";
import { compileChecker } from "../schema/checker.ts";
import { RAW_PARAMETER_FILES } from "./baseline.generated.ts";
import regularisation from "./regularisation.json" with { type: "json" };

export const EvidenceStatus = Type.Union([
  Type.Literal("official"), // [S] official or primary source
  Type.Literal("payslip"), // [P] shown on a real Cegid document, checked by recomputation
  Type.Literal("secondary"), // [S2] press, law firm, Cleiss…
  Type.Literal("inferred"), // [I] inferred from the numbers
  Type.Literal("unknown"), // [?] not found
]);

/** Where a value comes from: a document a reader can find (title; a link, an identifier, a publication date). */
export const Reference = Type.Object(
  {
    title: Type.String({ minLength: 3, description: "the document's title, as the explanations will cite it" }),
    href: Type.Optional(Type.String({ pattern: "^https://", description: "where to read it" })),
    document: Type.Optional(Type.String({ minLength: 1, description: "its identifier or the part cited: an article, a journal issue, BS2025-08…" })),
    publishedOn: Type.Optional(Type.String({ pattern: ISO_DATE_PATTERN, description: "publication date" })),
  },
  { additionalProperties: false },
);

// Transitional: the words the explanations print today for a value (the former free-text `source`), kept
// byte-identical until the explanations cite reference.title instead (a later issue); then this field goes.
const Printed = Type.String({ minLength: 3, description: "words printed in explanations and warnings (transitional)" });
const Note = Type.String({ minLength: 3, description: "internal evidence: what a payslip prints, how the value was checked" });

const KnownValue = Type.Object(
  {
    from: Type.String({ pattern: "^\\d{4}-\\d{2}-01$" }),
    value: Type.Union([Type.Number(), Type.String()]),
    status: Type.Exclude(EvidenceStatus, Type.Literal("unknown")),
    reference: Reference,
    note: Type.Optional(Note),
    printed: Printed,
  },
  { additionalProperties: false },
);

/** A value not found: no reference to cite, a note that says what was looked for; perhaps a lower bound. */
const UnknownValue = Type.Object(
  {
    from: Type.String({ pattern: "^\\d{4}-\\d{2}-01$" }),
    value: Type.Null(),
    status: Type.Literal("unknown"),
    note: Note,
    printed: Printed,
    atLeast: Type.Optional(Type.Number()),
  },
  { additionalProperties: false },
);

const DatedValue = Type.Union([KnownValue, UnknownValue]);

export const ParameterFile = Type.Object(
  {
    id: Type.String({ pattern: "^[a-z0-9_.]+$" }),
    description: Type.String({ minLength: 3 }),
    unit: Type.Union([
      Type.Literal("eur"),
      Type.Literal("percent"),
      Type.Literal("eur_per_hour"),
      Type.Literal("hours"),
      Type.Literal("days"),
      Type.Literal("code"),
    ]),
    changes: Type.String(),
    knownUntil: Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$" }),
    lastReview: Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$" }),
    values: Type.Array(DatedValue, { minItems: 1 }),
    notes: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type ParameterFile = Static<typeof ParameterFile>;
export type Reference = Static<typeof Reference>;
export type EvidenceStatus = Static<typeof EvidenceStatus>;

const checkFile = compileChecker(ParameterFile);

/** Validates the data files once; a malformed file is a programming error caught by the tests. */
export function loadParameterFiles(raw: readonly unknown[] = RAW_PARAMETER_FILES): Map<string, ParameterFile> {
  const map = new Map<string, ParameterFile>();
  for (const file of raw) {
    if (!checkFile.Check(file)) {
      const first = [...checkFile.Errors(file)][0];
      throw new Error(`Fichier de paramètres invalide (${(file as { id?: string }).id ?? "?"}): ${first?.path} ${first?.message}`);
    }
    for (let i = 1; i < file.values.length; i++) {
      if (file.values[i]!.from <= file.values[i - 1]!.from) throw new Error(`Paramètre ${file.id}: dates non croissantes`);
    }
    if (map.has(file.id)) throw new Error(`Paramètre ${file.id} défini deux fois`);
    map.set(file.id, file);
  }
  return map;
}

export const PARAMETERS = loadParameterFiles();

export type FamilyId = "CAR" | "CCSS" | "CMRC" | "AC" | "RC";
export interface FamilyRule {
  windowStartMonth: number;
  defaultMode: "monthly" | "progressive";
  tranches: 1 | 2;
  tbMultiple?: number;
  source: string;
}
export const FAMILIES = regularisation.families as Record<FamilyId, FamilyRule>;

export interface ResolvedValue {
  id: string;
  value: number | string;
  from: string;
  status: EvidenceStatus;
  source: string;
  /** Official or seen on a payslip (the others carry a warning). */
  confirmed: boolean;
}

export type Resolution =
  | { kind: "value"; resolved: ResolvedValue; stale: boolean; knownUntil: string }
  | { kind: "missing"; id: string; from: string; source: string; atLeast?: number }
  | { kind: "before-first"; id: string; first: string }
  | { kind: "unknown-id"; id: string };

export interface Override {
  id: string;
  from: string;
  value: number;
  source: string;
}

/** The value of a parameter in force on `date` (YYYY-MM-DD). Overrides (company-supplied, with a source) win. */
const cache = new Map<string, Map<string, Resolution>>();

export function resolveParameter(
  id: string,
  date: string,
  overrides: readonly Override[] = [],
  parameters: Map<string, ParameterFile> = PARAMETERS,
): Resolution {
  // Every payslip of a month reads the same ~20 values: memoise the common case (built-in data, no override).
  if (overrides.length === 0 && parameters === PARAMETERS) {
    let byId = cache.get(date);
    if (!byId) {
      if (cache.size > 500) cache.clear();
      byId = new Map();
      cache.set(date, byId);
    }
    let hit = byId.get(id);
    if (!hit) {
      hit = resolveUncached(id, date, overrides, parameters);
      // Shared by every payslip of the month (results list them): nobody may change it.
      if (hit.kind === "value") Object.freeze(hit.resolved);
      byId.set(id, Object.freeze(hit));
    }
    return hit;
  }
  return resolveUncached(id, date, overrides, parameters);
}

function resolveUncached(id: string, date: string, overrides: readonly Override[], parameters: Map<string, ParameterFile>): Resolution {
  const file = parameters.get(id);
  if (!file) return { kind: "unknown-id", id };
  let chosen: ParameterFile["values"][number] | undefined;
  for (const v of file.values) if (v.from <= date) chosen = v;
  const override = overrides
    .filter((o) => o.id === id && o.from <= date && (!chosen || o.from >= chosen.from))
    .sort((a, b) => (a.from < b.from ? -1 : 1))
    .pop();
  if (override) {
    return {
      kind: "value",
      resolved: { id, value: override.value, from: override.from, status: "official", source: `valeur saisie: ${override.source}`, confirmed: true },
      stale: false,
      knownUntil: file.knownUntil,
    };
  }
  if (!chosen) return { kind: "before-first", id, first: file.values[0]!.from };
  if (chosen.value === null) {
    return chosen.atLeast === undefined
      ? { kind: "missing", id, from: chosen.from, source: chosen.printed }
      : { kind: "missing", id, from: chosen.from, source: chosen.printed, atLeast: chosen.atLeast };
  }
  return {
    kind: "value",
    resolved: { id, value: chosen.value, from: chosen.from, status: chosen.status, source: chosen.printed, confirmed: isConfirmed(chosen.status) },
    stale: date > file.knownUntil,
    knownUntil: file.knownUntil,
  };
}

export function isConfirmed(status: EvidenceStatus): boolean {
  return status === "official" || status === "payslip";
}
