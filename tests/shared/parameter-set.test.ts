/**
 * The parameter set: baseline + entered dated values, a version from its content, the engine computing with it,
 * the checks on a new value and the French sentence naming what differs between two sets.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { computePayslip } from "../../shared/engine/compute.ts";
import { checkParameterChange, parameterDifferences } from "../../shared/rates/parameter-change.ts";
import { baselineParameterSet, buildParameterSet, type StoredParameterValue } from "../../shared/rates/parameter-set.ts";
import { PARAMETERS } from "../../shared/rates/parameters.ts";
import { demoMonthInputs } from "../support/demo.ts";

const REF = { title: "Circulaire CSM — plafonds et taux au 1er octobre 2026", document: "circulaire n° 2026-10" };
const ceiling = (value: number, extra: Partial<StoredParameterValue> = {}): StoredParameterValue => ({
  parameter: "ccss.ceiling",
  validFrom: "2026-10-01",
  value,
  status: "official",
  reference: REF,
  ...extra,
});

test("the baseline set is the bundled files themselves; its version depends on content only", () => {
  const b = baselineParameterSet();
  assert.equal(b.files, PARAMETERS);
  assert.match(b.version, /^[0-9a-f]{12}$/);
  assert.equal(buildParameterSet([]).version, b.version);
  const one = buildParameterSet([ceiling(9900), { ...ceiling(6.9), parameter: "car.employee_rate" }]);
  const other = buildParameterSet([{ ...ceiling(6.9), parameter: "car.employee_rate" }, ceiling(9900)]);
  assert.equal(one.version, other.version, "order of entry does not matter");
  assert.notEqual(one.version, b.version);
  assert.notEqual(buildParameterSet([ceiling(9901)]).version, one.version);
  assert.notEqual(
    buildParameterSet([ceiling(9900, { reference: { ...REF, title: "Autre circulaire CSM" } })]).version,
    buildParameterSet([ceiling(9900)]).version,
  );
});

test("an entered value takes effect from its date, extends knownUntil, and the explanations cite its reference title", () => {
  const set = buildParameterSet([ceiling(9900)]);
  const file = set.files.get("ccss.ceiling")!;
  assert.equal(file.knownUntil, "2027-09-30");
  assert.equal(PARAMETERS.get("ccss.ceiling")!.knownUntil, "2026-09-30", "the baseline is untouched");
  const input = { ...demoMonthInputs()[0]!, period: "2026-10" };
  const old = computePayslip(input);
  const now = computePayslip(input, set);
  assert.ok(old.ok && now.ok);
  const codes = (r: typeof old) => (r.ok ? r.result.warnings.filter((w) => w.path === "ccss.ceiling").map((w) => w.code) : []);
  assert.deepEqual(codes(old), ["PARAM_STALE"]);
  assert.deepEqual(codes(now), []);
  assert.ok(JSON.stringify(now.result).includes(REF.title), "the new reference is cited");
  assert.ok(!JSON.stringify(old.result).includes(REF.title));
  // September still computes with the 2025 value.
  const sept = computePayslip({ ...input, period: "2026-09" }, set);
  const septBase = computePayslip({ ...input, period: "2026-09" });
  assert.ok(sept.ok && septBase.ok);
  assert.deepEqual(sept.result, septBase.result);
});

test("checks: unit, sign, range against the previous value, generated periods — French, naming the field", () => {
  const ctx = { set: baselineParameterSet(), generated: [] };
  assert.deepEqual(checkParameterChange(ceiling(9900), ctx), []);
  const tenfold = checkParameterChange(ceiling(98000), ctx);
  assert.equal(tenfold[0]?.code, "PARAM_IMPLAUSIBLE");
  assert.match(tenfold[0]!.message, /^value : 98 000 € pour le plafond CCSS .*9 800 € depuis le 01\/10\/2025.*confirm/);
  assert.deepEqual(checkParameterChange(ceiling(98000), { ...ctx, confirm: true }), []);
  const negative = checkParameterChange({ ...ceiling(-6.85), parameter: "car.employee_rate" }, ctx);
  assert.equal(negative[0]?.code, "PARAM_SIGN");
  assert.match(negative[0]!.message, /taux salarial CAR ne peut pas être négatif/);
  assert.equal(checkParameterChange({ ...ceiling(120), parameter: "car.employee_rate" }, ctx)[0]?.code, "PARAM_RANGE");
  assert.equal(checkParameterChange(ceiling(9900.123), ctx)[0]?.code, "PARAM_UNIT");
  assert.equal(checkParameterChange({ ...ceiling(9900), parameter: "ccss.plafond" }, ctx)[0]?.code, "PARAM_UNKNOWN");
  assert.equal(checkParameterChange(ceiling(9900, { reference: { title: "Circulaire" } }), ctx)[0]?.code, "REFERENCE_INCOMPLETE");
  const generated = checkParameterChange(ceiling(9900), { ...ctx, generated: [{ companyId: "ACME", period: "2026-10", status: "mailed" }] });
  assert.equal(generated[0]?.code, "PARAM_PERIOD_GENERATED");
  assert.match(generated[0]!.message, /^validFrom : le 01\/10\/2026 tombe dans une période déjà générée \(société ACME, octobre 2026\)/);
  assert.deepEqual(checkParameterChange(ceiling(9900), { ...ctx, generated: [{ companyId: "ACME", period: "2026-09", status: "closed" }] }), []);
});

test("the difference between two sets names the parameter and both values, for the period's date only", () => {
  const b = baselineParameterSet();
  const set = buildParameterSet([ceiling(9900)]);
  const d = parameterDifferences("2026-10-31", b, set);
  assert.deepEqual(
    d.map((x) => x.message),
    ["le classeur a calculé avec le plafond CCSS 9 800 € ; le serveur applique 9 900 € depuis le 01/10/2026 — actualisez les paramètres puis recalculez"],
  );
  assert.deepEqual(parameterDifferences("2026-09-30", b, set), []);
  // Confirmed unchanged: same value, new reference — named with both sources.
  const same = parameterDifferences("2026-10-31", b, buildParameterSet([ceiling(9800)]));
  assert.equal(same.length, 1);
  assert.match(same[0]!.message, /9 800 € \(CSM gens de maison au 01\/10\/2025.*\) ; le serveur applique 9 800 € \(Circulaire CSM/);
});
