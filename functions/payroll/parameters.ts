/**
 * The parameter set as the firm operates it: an admin enters a dated value with its reference (checked, audited,
 * a new version), every pane and the server compute with the same version, and a submission computed with another
 * version is refused naming the parameter and both values (shared/rates/parameter-change.ts words it).
 */

import { periodBounds } from "../../shared/core/period.ts";
import { checkParameterChange, type GeneratedPeriod, parameterDifferences } from "../../shared/rates/parameter-change.ts";
import { baselineParameterSet, buildParameterSet, type ParameterSet, type StoredParameterValue } from "../../shared/rates/parameter-set.ts";
import { resolveParameter } from "../../shared/rates/parameters.ts";
import type { Services } from "../app/services.ts";
import type { Principal } from "../auth/index.ts";
import { auditRepository, ConcurrencyError, type CurrentParameters, parametersRepository, periodsRepository } from "../storage/index.ts";
import { ApiError } from "./errors.ts";

/** What GET /api/parameters answers: enough for the pane to rebuild the same set on its own baseline. */
export function parameterSetView(current: CurrentParameters) {
  return {
    version: current.set.version,
    baselineVersion: baselineParameterSet().version,
    updatedAt: current.updatedAt ?? null,
    updatedBy: current.updatedBy ?? null,
    values: current.set.values,
  };
}

const DOCUMENTED = new Set(["generated", "mailed", "closed", "reopened"]);

export interface ParameterChangeOutcome {
  changed: boolean;
  version: string;
  previousVersion: string;
}

/**
 * Stores one dated value after every check; a refused change stores nothing. The audit entry (firm-wide partition)
 * holds who, when, the value it replaces or follows, the new one with its reference, and both versions.
 */
export async function changeParameter(s: Services, p: Principal, change: StoredParameterValue, confirm: boolean): Promise<ParameterChangeOutcome> {
  const repo = parametersRepository(s.storage);
  const current = await repo.current();
  const generated: GeneratedPeriod[] = (await periodsRepository(s.storage).listAll())
    .filter((r) => DOCUMENTED.has(r.status))
    .map((r) => ({ companyId: r.companyId, period: r.period, status: r.status }));
  const issues = checkParameterChange(change, { set: current.set, confirm, generated });
  if (issues.length) throw new ApiError(422, "PARAMETER_REFUSED", `Valeur refusée — ${issues[0]!.message}.`, issues);

  const next = buildParameterSet([...current.set.values, change]);
  if (next.version === current.set.version) return { changed: false, version: next.version, previousVersion: current.set.version };

  const at = s.now().toISOString();
  const replaced = current.set.values.find((v) => v.parameter === change.parameter && v.validFrom === change.validFrom);
  const before = resolveParameter(change.parameter, change.validFrom, [], current.set.files);
  try {
    await repo.save(next, current, at, p.name || p.oid);
  } catch (e) {
    if (e instanceof ConcurrencyError)
      throw new ApiError(
        409,
        "PARAMETERS_CHANGED",
        "Les paramètres ont été modifiés entre-temps par un autre administrateur : rechargez-les puis saisissez à nouveau.",
      );
    throw e;
  }
  await auditRepository(s.storage).append({
    at,
    actor: p.oid,
    action: replaced ? "parameter.correct" : "parameter.add",
    target: `${change.parameter}@${change.validFrom}`,
    before: {
      version: current.set.version,
      ...(replaced
        ? { value: replaced.value, status: replaced.status, reference: replaced.reference }
        : before.kind === "value"
          ? { inForce: { value: before.resolved.value, from: before.resolved.from, source: before.resolved.source } }
          : { inForce: null }),
    },
    after: { version: next.version, ...change, ...(confirm ? { confirm: true } : {}) },
  });
  s.log("parameters.changed", { parameter: change.parameter, validFrom: change.validFrom, version: next.version });
  return { changed: true, version: next.version, previousVersion: current.set.version };
}

/**
 * The set a submission of `period` is computed with: the one in force. A pane on another version is refused, naming
 * each parameter of the period that differs and both values; a version the server cannot rebuild is refused too.
 * A pane whose version differs only in values that do not apply to this period computes the same figures: accepted.
 */
export async function submissionParameters(s: Services, period: string, clientVersion: string | undefined): Promise<ParameterSet> {
  const repo = parametersRepository(s.storage);
  const server = (await repo.current()).set;
  const claimed = clientVersion ?? baselineParameterSet().version;
  if (claimed === server.version) return server;
  const client = await repo.byVersion(claimed);
  if (!client) {
    throw new ApiError(
      409,
      "PARAMETERS_UNKNOWN",
      `Le classeur a calculé avec la version de paramètres ${claimed}, que le serveur ne connaît pas (il applique la version ${server.version}) — actualisez les paramètres puis recalculez.`,
      [{ clientVersion: claimed, serverVersion: server.version }],
    );
  }
  const differences = parameterDifferences(periodBounds(period).end, client, server);
  if (differences.length === 0) return server;
  const more =
    differences.length > 1
      ? ` (et ${differences.length - 1} autre(s) paramètre(s) : ${differences
          .slice(1)
          .map((d) => d.label)
          .join(", ")})`
      : "";
  const first = differences[0]!.message;
  throw new ApiError(
    409,
    "PARAMETERS_DIFFER",
    `Paramètres différents : ${first.replace(" — actualisez", `${more} — actualisez`)}.`,
    differences.map((d) => ({
      parameter: d.parameter,
      message: d.message,
      client: d.client.kind === "value" ? { value: d.client.resolved.value, from: d.client.resolved.from } : null,
      server: d.server.kind === "value" ? { value: d.server.resolved.value, from: d.server.resolved.from } : null,
      clientVersion: claimed,
      serverVersion: server.version,
    })),
  );
}

/** The set a stored submission was computed with (its version is in the stored payslip), for the payroll run. */
export async function storedParameters(s: Services, version: string | undefined): Promise<ParameterSet> {
  if (version === undefined) return baselineParameterSet();
  const set = await parametersRepository(s.storage).byVersion(version);
  if (!set) throw new Error(`version de paramètres ${version} introuvable : la soumission doit être refaite avec les paramètres actuels`);
  return set;
}
