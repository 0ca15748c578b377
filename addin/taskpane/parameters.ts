/**
 * The parameter set the pane computes with: loaded from the server when the pane opens (GET /api/parameters), kept in
 * localStorage for offline work, rebuilt on the bundled baseline with shared/rates/parameter-set.ts — so the version
 * the pane sends is the one the server rebuilds from the same stored values. Without server nor copy: the baseline.
 */
import { baselineParameterSet, buildParameterSet, type ParameterSet, type StoredParameterValue } from "../../shared/rates/parameter-set.ts";

/** What GET /api/parameters answers (functions/payroll/parameters.ts parameterSetView). */
export interface ParameterSetView {
  version: string;
  baselineVersion: string;
  updatedAt: string | null;
  updatedBy: string | null;
  values: StoredParameterValue[];
}

export type ParametersSource = "server" | "copy" | "baseline";

export interface LoadedParameters {
  set: ParameterSet;
  source: ParametersSource;
  /** When the server's set was last changed (ISO), null for the baseline. */
  updatedAt: string | null;
  /** The server's version when it differs from the one rebuilt here (another bundled baseline): submissions will be refused. */
  serverVersion?: string;
}

const KEY = "paie.parameters";

export function fromView(view: ParameterSetView, source: ParametersSource): LoadedParameters {
  const set = buildParameterSet(view.values);
  return { set, source, updatedAt: view.updatedAt, ...(set.version !== view.version ? { serverVersion: view.version } : {}) };
}

export function baselineParameters(): LoadedParameters {
  return { set: baselineParameterSet(), source: "baseline", updatedAt: null };
}

function isView(v: unknown): v is ParameterSetView {
  const o = v as ParameterSetView | null;
  return !!o && typeof o.version === "string" && Array.isArray(o.values);
}

export function storeCopy(view: ParameterSetView, storage: Pick<Storage, "setItem"> | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(KEY, JSON.stringify(view));
  } catch {
    // A full or forbidden storage only costs the offline copy.
  }
}

/** The last set loaded from the server, or the baseline when there is none (or it is unreadable). */
export function readCopy(storage: Pick<Storage, "getItem"> | undefined = globalThis.localStorage): LoadedParameters {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(KEY) ?? "null");
    if (isView(parsed)) return fromView(parsed, "copy");
  } catch {
    // Unreadable copy: the baseline.
  }
  return baselineParameters();
}
