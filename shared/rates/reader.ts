/**
 * Per-computation state: the parameters read for the period (with their sources, for the explanations),
 * and the warnings and errors gathered on the way. Nothing here guesses: a missing value is an error,
 * an unconfirmed or stale one a warning.
 *
 * Every payslip of a month reads the same ~20 values with the same sources and the same warnings, so what a value
 * says for a date (its number, its reference text, the warnings it raises) is worked out once per date in a
 * PeriodParameters and shared, frozen, by every payslip of that month. A ParameterReader only records which of them
 * one payslip used.
 */
import { date as fmtDate, pct } from "../core/explain.ts";
import { type Rate4, toRate4 } from "../core/fixed.ts";
import type { Issue } from "../core/issue.ts";
import { remember } from "../core/memo.ts";
import { type Override, PARAMETERS, type ParameterFile, type ResolvedValue, resolveParameter } from "./parameters.ts";

export interface Bounded {
  /** Known value, or undefined when only a lower bound is known. */
  readonly value?: number;
  readonly atLeast?: number;
  readonly ref: string;
}

/** What one parameter says on one date. */
interface Entry {
  readonly id: string;
  readonly resolved: ResolvedValue | undefined;
  readonly bounded: Bounded;
  /** Warnings raised the first time a payslip uses the value (unconfirmed, stale). */
  readonly warnings: readonly Issue[];
  /** Why there is no usable value (an error once recorded), when there is none. */
  readonly missing: string | undefined;
}

/** An employee/employer rate pair in 1e-4 percent units, with the words that cite it. */
export interface Rates {
  readonly employee?: Rate4;
  readonly employer?: Rate4;
  readonly employeeId?: string;
  readonly employerId?: string;
  /** "salarié 6,85 % (source) ; employeur 8,35 % (source)" */
  readonly text: string;
}

/** The parameters in force on one date (overrides included), each resolved and explained once. */
export class PeriodParameters {
  private readonly entries = new Map<string, Entry>();
  private readonly rateCache = new Map<string, Map<string, Rates | null>>();
  private readonly texts = new Map<string, string>();

  constructor(
    readonly date: string,
    readonly overrides: readonly Override[] = [],
    /** The parameter set's files (shared/rates/parameter-set.ts); the bundled baseline by default. */
    readonly files: Map<string, ParameterFile> = PARAMETERS,
  ) {}

  entry(id: string): Entry {
    let e = this.entries.get(id);
    if (e === undefined) {
      e = this.resolve(id);
      this.entries.set(id, e);
    }
    return e;
  }

  private resolve(id: string): Entry {
    const r = resolveParameter(id, this.date, this.overrides, this.files);
    const make = (resolved: ResolvedValue | undefined, bounded: Bounded, warnings: Issue[], missing: string | undefined): Entry =>
      Object.freeze({ id, resolved, bounded: Object.freeze(bounded), warnings: Object.freeze(warnings.map((w) => Object.freeze(w))), missing });
    switch (r.kind) {
      case "value": {
        const v = r.resolved;
        const warnings: Issue[] = [];
        if (!v.confirmed) {
          warnings.push({
            code: "PARAM_UNCONFIRMED",
            path: id,
            message: `${id} : valeur ${v.value} (en vigueur depuis le ${fmtDate(v.from)}) non confirmée par une source officielle — ${v.source}`,
          });
        }
        if (r.stale) {
          warnings.push({
            code: "PARAM_STALE",
            path: id,
            message: `${id} : la dernière valeur connue date du ${fmtDate(v.from)} et n'est vérifiée que jusqu'au ${fmtDate(r.knownUntil)} ; un changement a pu intervenir depuis — vérifiez et mettez à jour le paramètre`,
          });
        }
        return make(v, { value: Number(v.value), ref: `${id} du ${fmtDate(v.from)}` }, warnings, undefined);
      }
      case "missing":
        if (r.atLeast !== undefined) {
          return make(
            undefined,
            { atLeast: r.atLeast, ref: `${id} (inconnu depuis le ${fmtDate(r.from)}, au moins ${r.atLeast})` },
            [],
            `seul un minimum (${r.atLeast}) est connu`,
          );
        }
        return make(undefined, { ref: id }, [], `valeur inconnue depuis le ${fmtDate(r.from)} (${r.source})`);
      case "before-first":
        return make(undefined, { ref: id }, [], `aucune valeur avant le ${fmtDate(r.first)}`);
      case "unknown-id":
        return make(undefined, { ref: id }, [], "paramètre inconnu");
    }
  }

  /** Words that depend only on these parameters (a ceiling's citation, the SMIC base…), once worded. */
  text(key: string): string | undefined {
    return this.texts.get(key);
  }

  keepText(key: string, text: string): string {
    this.texts.set(key, text);
    return text;
  }

  /** The rate pair, or null when a named side has no value. Keyed by the two ids: constant strings, cheap to look up. */
  rates(employeeId: string | undefined, employerId: string | undefined): Rates | null {
    const k1 = employeeId ?? "";
    const k2 = employerId ?? "";
    let inner = this.rateCache.get(k1);
    if (inner === undefined) {
      inner = new Map();
      this.rateCache.set(k1, inner);
    }
    let r = inner.get(k2);
    if (r === undefined) {
      r = this.buildRates(employeeId, employerId);
      inner.set(k2, r);
    }
    return r;
  }

  private buildRates(employeeId: string | undefined, employerId: string | undefined): Rates | null {
    const ee = employeeId ? this.entry(employeeId) : undefined;
    const er = employerId ? this.entry(employerId) : undefined;
    if ((ee && ee.bounded.value === undefined) || (er && er.bounded.value === undefined)) return null;
    const parts: string[] = [];
    const out: { -readonly [K in keyof Rates]: Rates[K] } = { text: "" };
    if (ee) {
      out.employee = toRate4(ee.bounded.value!);
      out.employeeId = ee.id;
      parts.push(`salarié ${pct(out.employee)} (${ee.resolved!.source})`);
    }
    if (er) {
      out.employer = toRate4(er.bounded.value!);
      out.employerId = er.id;
      parts.push(`employeur ${pct(out.employer)} (${er.resolved!.source})`);
    }
    out.text = parts.join(" ; ");
    return Object.freeze(out);
  }
}

// One PeriodParameters per month-end date and parameter set; with overrides each computation has its own.
const periods = new Map<string, PeriodParameters>();
const periodsBySet = new WeakMap<Map<string, ParameterFile>, Map<string, PeriodParameters>>();

const newPeriod = (date: string) => new PeriodParameters(date);

export function periodParameters(date: string, overrides: readonly Override[] = [], files: Map<string, ParameterFile> = PARAMETERS): PeriodParameters {
  if (overrides.length) return new PeriodParameters(date, overrides, files);
  if (files === PARAMETERS) return remember(periods, date, newPeriod, 500);
  let bySet = periodsBySet.get(files);
  if (bySet === undefined) {
    bySet = new Map();
    periodsBySet.set(files, bySet);
  }
  return remember(bySet, date, (d: string) => new PeriodParameters(d, [], files), 500);
}

export class ParameterReader {
  /** The values this payslip used, in order of first use (shared, frozen objects). */
  readonly used: ResolvedValue[] = [];
  readonly warnings: Issue[] = [];
  readonly errors: Issue[] = [];
  private readonly period: PeriodParameters;

  constructor(
    readonly date: string,
    overrides: readonly Override[] = [],
    files: Map<string, ParameterFile> = PARAMETERS,
  ) {
    this.period = periodParameters(date, overrides, files);
  }

  /** Records a resolved value once, with the warnings it carries. */
  private use(e: Entry): void {
    if (e.resolved === undefined || this.used.includes(e.resolved)) return;
    this.used.push(e.resolved);
    for (let i = 0; i < e.warnings.length; i++) this.warnings.push(e.warnings[i]!);
  }

  /** A known value or undefined (with an error recorded). */
  get(id: string): number | undefined {
    const e = this.period.entry(id);
    if (e.bounded.value === undefined) {
      this.missing(id, e.missing);
      return undefined;
    }
    this.use(e);
    return e.bounded.value;
  }

  getText(id: string): string | undefined {
    const e = this.period.entry(id);
    if (e.resolved === undefined) {
      this.missing(id, e.missing);
      return undefined;
    }
    this.use(e);
    return String(e.resolved.value);
  }

  /**
   * A legal constant (the legal monthly hours, the days of a month for a leave day…): its value in force on the
   * period's last day, from the same dated files as every parameter, with the same error when it is missing.
   * Unlike get(), the value is not added to `used` and raises no unconfirmed/stale warning: listing it in every
   * result would change every result, and issue 11 restructures the engine without changing one. The explanations
   * that use a constant cite it in their own words; its reference is in its data file.
   */
  constant(id: string): number | undefined {
    const e = this.period.entry(id);
    if (e.bounded.value === undefined) {
      this.missing(id, e.missing);
      return undefined;
    }
    return e.bounded.value;
  }

  /** A value, or a lower bound when the value is unknown but the parameter never decreases. */
  bounded(id: string): Bounded {
    const e = this.period.entry(id);
    if (e.resolved !== undefined) this.use(e);
    else if (e.bounded.atLeast === undefined) this.missing(id, e.missing);
    return e.bounded;
  }

  /** An employee/employer rate pair with its words, or undefined (errors recorded) when a named side is missing. */
  rates(employeeId: string | undefined, employerId: string | undefined): Rates | undefined {
    const ee = employeeId ? this.get(employeeId) : undefined;
    const er = employerId ? this.get(employerId) : undefined;
    if ((employeeId && ee === undefined) || (employerId && er === undefined)) return undefined;
    return this.period.rates(employeeId, employerId) ?? undefined;
  }

  /**
   * Words that depend only on the period's parameters, shared by every payslip of the month: undefined until
   * worded once, then kept with keepPeriodText (no closure on the path every payslip takes).
   */
  periodText(key: string): string | undefined {
    return this.period.text(key);
  }

  keepPeriodText(key: string, text: string): string {
    return this.period.keepText(key, text);
  }

  missing(id: string, why = "valeur manquante") {
    for (const e of this.errors) if (e.path === id) return;
    this.errors.push({
      code: "PARAM_MISSING",
      path: id,
      message: `${id} : ${why} pour une période se terminant le ${fmtDate(this.date)} ; saisissez la valeur avec sa source (parameterOverrides) ou mettez à jour les paramètres`,
    });
  }

  source(id: string): string {
    const e = this.period.entry(id);
    return e.resolved ? e.resolved.source : "";
  }
}
