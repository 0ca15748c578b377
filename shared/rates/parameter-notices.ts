/**
 * A stale or unconfirmed parameter is a fact about the month, not about an employee: every payslip of the month
 * carries the same PARAM_STALE / PARAM_UNCONFIRMED warnings (the engine's output keeps them, unchanged: the corpus
 * hash covers them). The boundary (submission, period state, run summary, health) folds them here into one notice
 * per company and month, naming the parameters and what to do, so that the cases to check list employee-specific
 * facts only, each naming the employee.
 */
import { type Static, Type } from "@sinclair/typebox";
import { formatPeriod } from "../core/format.ts";
import type { Issue } from "../core/issue.ts";
import { PERIOD_PATTERN } from "../core/period.ts";
import { parameterLabel } from "./parameter-change.ts";
import { PARAMETERS, type ParameterFile } from "./parameters.ts";

export const PARAMETER_WARNING_CODES: ReadonlySet<string> = new Set(["PARAM_STALE", "PARAM_UNCONFIRMED"]);

/** A warning about the month's parameters (the notice says it once), not about the employee. */
export function isParameterWarning(issue: Issue): boolean {
  return PARAMETER_WARNING_CODES.has(issue.code);
}

const ParameterIds = Type.Array(Type.String({ pattern: "^[a-z0-9_.]+$", maxLength: 60 }), { maxItems: 100 });

export const ParameterNoticeSchema = Type.Object(
  {
    code: Type.Literal("PARAMETERS_TO_CHECK"),
    period: Type.String({ pattern: PERIOD_PATTERN }),
    /** Used past the date they were checked until (a change may have happened since). */
    stale: ParameterIds,
    /** Not confirmed by an official source or a payslip. */
    unconfirmed: ParameterIds,
    message: Type.String({ maxLength: 4000 }),
  },
  { additionalProperties: false },
);
export type ParameterNotice = Static<typeof ParameterNoticeSchema>;

/** "de novembre 2026", "d'octobre 2026". */
const ofMonth = (period: string) => {
  const words = formatPeriod(period);
  return /^[aeiouéèêâô]/i.test(words) ? `d'${words}` : `de ${words}`;
};

const listed = (ids: readonly string[], files: Map<string, ParameterFile>) => ids.map((id) => `${parameterLabel(id, files.get(id))} (${id})`).join(", ");

/** The one notice for a month's payslips, or undefined when every parameter they used is confirmed and current. */
export function parameterNotice(
  period: string,
  results: readonly { warnings: readonly Issue[] }[],
  files: Map<string, ParameterFile> = PARAMETERS,
): ParameterNotice | undefined {
  const stale = new Set<string>();
  const unconfirmed = new Set<string>();
  for (const r of results)
    for (const w of r.warnings) {
      if (w.code === "PARAM_STALE") stale.add(w.path);
      else if (w.code === "PARAM_UNCONFIRMED") unconfirmed.add(w.path);
    }
  if (stale.size === 0 && unconfirmed.size === 0) return undefined;
  const s = [...stale].sort();
  const u = [...unconfirmed].sort();
  const parts: string[] = [];
  if (s.length)
    parts.push(
      `${s.length} paramètre(s) appliqué(s) au-delà de la date jusqu'à laquelle ils sont vérifiés : ${listed(s, files)} — saisissez les nouvelles valeurs avec leur référence (circulaire CSM…), ou confirmez-les inchangées pour ce mois`,
    );
  if (u.length)
    parts.push(`${u.length} valeur(s) non confirmée(s) par une source officielle : ${listed(u, files)} — saisissez la valeur confirmée avec sa référence`);
  return {
    code: "PARAMETERS_TO_CHECK",
    period,
    stale: s,
    unconfirmed: u,
    message: `Paramètres ${ofMonth(period)} à vérifier (Administration › Paramètres) : ${parts.join(" ; ")}.`,
  };
}

/** One fact to check about one employee: the engine's warning, its message prefixed with who it is about. */
export interface CaseToCheck {
  employeeId: string;
  code: string;
  path: string;
  message: string;
}

/**
 * The employee-specific warnings of the month, each naming the employee ("matricule D003 (Durand Marie) : …");
 * the parameter warnings are left to the notice. `names` maps a matricule to "Nom Prénom" where known.
 */
export function casesToCheck(
  results: readonly { employeeId: string; warnings: readonly Issue[] }[],
  names: ReadonlyMap<string, string> = new Map(),
): CaseToCheck[] {
  const out: CaseToCheck[] = [];
  for (const r of results) {
    const name = names.get(r.employeeId);
    const who = `matricule ${r.employeeId}${name ? ` (${name})` : ""}`;
    for (const w of r.warnings)
      if (!isParameterWarning(w)) out.push({ employeeId: r.employeeId, code: w.code, path: w.path, message: `${who} : ${w.message}` });
  }
  return out;
}
