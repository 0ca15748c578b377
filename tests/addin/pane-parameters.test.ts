/**
 * The pane's parameter set without a browser: rebuilt from the server's answer on the bundled baseline (same
 * version as the server's), kept for offline work, shown with its version and date; a calculation remembers the
 * version it used, a refusal for the set offers to reload it, and a calculation on an older set cannot be submitted.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import type { ServerCompany } from "../../addin/api/client.ts";
import type { CalculateOutcome } from "../../addin/excel/operations.ts";
import { baselineParameters, fromView, type ParameterSetView, readCopy, storeCopy } from "../../addin/taskpane/parameters.ts";
import { initialState, type PaneAction, type PaneState, paneReducer, parametersLine, submitBlocker } from "../../addin/taskpane/state.ts";
import { baselineParameterSet, buildParameterSet, type StoredParameterValue } from "../../shared/rates/parameter-set.ts";

const P = "2026-10";
const ceiling: StoredParameterValue = {
  parameter: "ccss.ceiling",
  validFrom: "2026-10-01",
  value: 9900,
  status: "official",
  reference: { title: "Circulaire CSM du 15/09/2026", document: "Circulaire 2026-09", publishedOn: "2026-09-15" },
};
const view = (values: StoredParameterValue[], updatedAt: string | null = "2026-12-01T09:30:00.000Z"): ParameterSetView => ({
  version: buildParameterSet(values).version,
  baselineVersion: baselineParameterSet().version,
  updatedAt,
  updatedBy: "admin",
  values,
});
const memory = () => {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), m };
};
const reduce = (state: PaneState, ...actions: PaneAction[]) => actions.reduce((s, a) => paneReducer(Object.freeze(s), a), state);
const outcome = {
  build: { issues: [], inputs: [{ employee: { id: "D001" } }] },
  results: [{ result: { employeeId: "D001" } }],
  written: true,
} as unknown as CalculateOutcome;
const company = { id: "A", name: "Société A" } as ServerCompany;
const signedIn = () => reduce(initialState(P), { type: "connected", user: "mode local", companies: [company], company });

test("the server's set is rebuilt on the bundled baseline with the server's version; the entered value applies", () => {
  const loaded = fromView(view([ceiling]), "server");
  assert.equal(loaded.set.version, view([ceiling]).version);
  assert.notEqual(loaded.set.version, baselineParameterSet().version);
  assert.equal(loaded.serverVersion, undefined);
  assert.equal(loaded.set.files.get("ccss.ceiling")?.values.at(-1)?.value, 9900);
  // A server on other bundled files: its version cannot be rebuilt here, and the pane says so.
  assert.equal(fromView({ ...view([ceiling]), version: "0123456789ab" }, "server").serverVersion, "0123456789ab");
});

test("the offline copy: the last set loaded, else the baseline when absent or unreadable", () => {
  const storage = memory();
  assert.equal(readCopy(storage).source, "baseline");
  assert.equal(readCopy(storage).set.version, baselineParameterSet().version);
  storeCopy(view([ceiling]), storage);
  const copy = readCopy(storage);
  assert.equal(copy.source, "copy");
  assert.equal(copy.set.version, view([ceiling]).version);
  storage.m.set("paie.parameters", "{pas du json");
  assert.equal(readCopy(storage).source, "baseline");
});

test("the version and date on screen, with where the set came from", () => {
  const v = view([ceiling]).version;
  assert.equal(parametersLine(fromView(view([ceiling]), "server")), `Paramètres ${v} du 01/12/2026 (chargés du serveur)`);
  assert.equal(parametersLine(fromView(view([ceiling]), "copy")), `Paramètres ${v} du 01/12/2026 (copie hors connexion)`);
  assert.equal(parametersLine(baselineParameters()), `Paramètres ${baselineParameterSet().version} (intégrés à l'application)`);
});

test("a calculation keeps its set's version; a newer set blocks its submission until recalculated", () => {
  const a = baselineParameters();
  const b = fromView(view([ceiling]), "server");
  const calculated = reduce(signedIn(), { type: "parametersLoaded", parameters: a }, { type: "calculated", outcome, period: P, seen: null });
  assert.equal(calculated.calcParameters, a.set.version);
  assert.equal(submitBlocker(calculated), null);
  const reloaded = reduce(calculated, { type: "parametersLoaded", parameters: b });
  assert.equal(submitBlocker(reloaded), `Les paramètres ont changé depuis le calcul (version ${b.set.version}) : recalculez les bulletins de ${P}.`);
  const again = reduce(reloaded, { type: "calculated", outcome, period: P, seen: null });
  assert.equal(again.calcParameters, b.set.version);
  assert.equal(submitBlocker(again), null);
});

test("a refusal for the set lists the server's sentences and offers the reload; a new set or calculation clears it", () => {
  const message =
    "le classeur a calculé avec le plafond CCSS 9 800 € ; le serveur applique 9 900 € depuis le 01/10/2026 — actualisez les paramètres puis recalculez";
  const refused = reduce(signedIn(), { type: "parametersRefused", details: [{ parameter: "ccss.ceiling", message }, {}] });
  assert.equal(refused.parametersRefused, true);
  assert.deepEqual(refused.details, [message]);
  assert.equal(reduce(refused, { type: "parametersLoaded", parameters: refused.parameters }).parametersRefused, true, "the same set: still refused");
  assert.equal(reduce(refused, { type: "parametersLoaded", parameters: fromView(view([ceiling]), "server") }).parametersRefused, false);
  assert.equal(reduce(refused, { type: "calculated", outcome, period: P, seen: null }).parametersRefused, false);
  const failed = reduce(signedIn(), { type: "parametersLoaded", parameters: baselineParameters(), error: "Paramètres non actualisés" });
  assert.equal(failed.parametersError, "Paramètres non actualisés");
  assert.equal(reduce(failed, { type: "parametersLoaded", parameters: baselineParameters() }).parametersError, null);
});
