/**
 * Per-computation state: the parameters read for the period (with their sources, for the explanations),
 * and the warnings and errors gathered on the way. Nothing here guesses: a missing value is an error,
 * an unconfirmed or stale one a warning.
 */
import { resolveParameter, type Override, type ResolvedValue } from "../rates/parameters.ts";
import type { Issue } from "./result.ts";
import { date as fmtDate } from "./explain.ts";

export interface Bounded {
  /** Known value, or undefined when only a lower bound is known. */
  value?: number;
  atLeast?: number;
  ref: string;
}

export class ParameterReader {
  readonly used = new Map<string, ResolvedValue>();
  readonly warnings: Issue[] = [];
  readonly errors: Issue[] = [];
  private readonly warned = new Set<string>();

  readonly hasOverrides: boolean;

  constructor(
    readonly date: string,
    private readonly overrides: readonly Override[] = [],
  ) {
    this.hasOverrides = overrides.length > 0;
  }

  private warnOnce(key: string, issue: Issue) {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.warnings.push(issue);
  }

  private record(v: ResolvedValue, stale: boolean, knownUntil: string) {
    this.used.set(v.id, v);
    if (!v.confirmed) {
      this.warnOnce(`unconfirmed:${v.id}`, {
        code: "PARAM_UNCONFIRMED",
        path: v.id,
        message: `${v.id} : valeur ${v.value} (en vigueur depuis le ${fmtDate(v.from)}) non confirmée par une source officielle — ${v.source}`,
      });
    }
    if (stale) {
      this.warnOnce(`stale:${v.id}`, {
        code: "PARAM_STALE",
        path: v.id,
        message: `${v.id} : la dernière valeur connue date du ${fmtDate(v.from)} et n'est vérifiée que jusqu'au ${fmtDate(knownUntil)} ; un changement a pu intervenir depuis — vérifiez et mettez à jour le paramètre`,
      });
    }
  }

  /** A known value or undefined (with an error recorded). */
  get(id: string): number | undefined {
    const b = this.bounded(id);
    if (b.value === undefined) {
      if (b.atLeast !== undefined) this.missing(id, `seul un minimum (${b.atLeast}) est connu`);
      return undefined;
    }
    return b.value;
  }

  getText(id: string): string | undefined {
    const r = resolveParameter(id, this.date, this.overrides);
    if (r.kind === "value") {
      this.record(r.resolved, r.stale, r.knownUntil);
      return String(r.resolved.value);
    }
    this.missing(id);
    return undefined;
  }

  /** A value, or a lower bound when the value is unknown but the parameter never decreases. */
  bounded(id: string): Bounded {
    const r = resolveParameter(id, this.date, this.overrides);
    switch (r.kind) {
      case "value":
        this.record(r.resolved, r.stale, r.knownUntil);
        return { value: Number(r.resolved.value), ref: `${id} du ${fmtDate(r.resolved.from)}` };
      case "missing":
        if (r.atLeast !== undefined) return { atLeast: r.atLeast, ref: `${id} (inconnu depuis le ${fmtDate(r.from)}, au moins ${r.atLeast})` };
        this.missing(id, `valeur inconnue depuis le ${fmtDate(r.from)} (${r.source})`);
        return { ref: id };
      case "before-first":
        this.missing(id, `aucune valeur avant le ${fmtDate(r.first)}`);
        return { ref: id };
      case "unknown-id":
        this.missing(id, "paramètre inconnu");
        return { ref: id };
    }
  }

  missing(id: string, why = "valeur manquante") {
    if (this.errors.some((e) => e.path === id)) return;
    this.errors.push({
      code: "PARAM_MISSING",
      path: id,
      message: `${id} : ${why} pour une période se terminant le ${fmtDate(this.date)} ; saisissez la valeur avec sa source (parameterOverrides) ou mettez à jour les paramètres`,
    });
  }

  source(id: string): string {
    const v = this.used.get(id);
    return v ? v.source : "";
  }
}
