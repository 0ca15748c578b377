/**
 * October's values as operated data, on the local stack (real Azurite, real HTTP): an admin enters the new CCSS
 * ceiling with its reference → a new parameter-set version; a pane still on the old version is refused naming the
 * parameter and both values; on the new version it is accepted and the explanations cite the new reference; the
 * audit trail holds the change; implausible values are refused in French and nothing is stored.
 */

import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { type LocalStack, startLocalStack } from "../../functions/host/local-stack.ts";
import { computePayslip } from "../../shared/engine/compute.ts";
import { summarise } from "../../shared/engine/summary.ts";
import { baselineParameterSet, buildParameterSet, type ParameterSet } from "../../shared/rates/parameter-set.ts";
import type { PayslipInput } from "../../shared/schema/payslip-input.ts";
import { apiCaller } from "../support/api-call.ts";
import { demoCompany as company, demoEmployees, demoMonthInputs } from "../support/demo.ts";

const PERIOD = "2026-10";
const REFERENCE = {
  title: "Caisses Sociales de Monaco — circulaire plafonds et taux au 1er octobre 2026",
  document: "circulaire CSM n° 2026-10",
  publishedOn: "2026-09-15",
};
let stack: LocalStack;

const call = apiCaller(() => stack.host.url);

/** The demo staff in October 2026 (the August workbook's variables are August's: left out). */
const octoberInputs = (): PayslipInput[] => demoMonthInputs().map((i) => ({ ...i, period: PERIOD, variables: undefined }) as PayslipInput);

/** What the pane sends: its inputs, its own figures on its own parameter set, and that set's version. */
function submission(set: ParameterSet, version: string | undefined = set.version) {
  const inputs = octoberInputs();
  const results = inputs.map((i) => {
    const o = computePayslip(i, set);
    if (!o.ok) throw new Error(`${i.employee.id}: ${o.errors[0]?.message}`);
    return summarise(o.result);
  });
  return { period: PERIOD, inputs, results, ...(version ? { parameterSet: version } : {}) };
}

const ceiling = (value: number, extra: Record<string, unknown> = {}) => ({
  parameter: "ccss.ceiling",
  validFrom: "2026-10-01",
  value,
  status: "official",
  reference: REFERENCE,
  note: "saisi depuis la circulaire reçue le 20/09/2026",
  ...extra,
});

before(async () => {
  stack = await startLocalStack({ outbox: mkdtempSync(path.join(tmpdir(), "outbox-params-")), port: 0, now: () => new Date("2026-12-03T09:00:00Z") });
  assert.equal((await call("PUT", `companies/${company.id}`, company)).status, 201);
  // In 2026 the August 2025 hire has long had her CCSS number (a month past the hire, Submit requires it).
  const staff = demoEmployees().map((e) => (e.employeeId === "D005" ? { ...e, data: { ...(e.data as object), ccssNumber: "478123" } } : e));
  assert.equal((await call("PUT", `companies/${company.id}/employees`, staff)).status, 200);
});

after(async () => {
  await stack?.stop();
});

test("before any entry the set in force is the bundled baseline", async () => {
  const r = await call("GET", "parameters");
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.version, baselineParameterSet().version);
  assert.equal(r.json.baselineVersion, baselineParameterSet().version);
  assert.deepEqual(r.json.values, []);
});

test("implausible values are refused in French naming the field, and nothing is stored", async () => {
  const cases: [unknown, RegExp][] = [
    [
      ceiling(98000),
      /^Valeur refusée — value : 98 000 € pour le plafond CCSS est plus du double de la valeur précédente \(9 800 € depuis le 01\/10\/2025\).*confirm/,
    ],
    [{ ...ceiling(-6.85), parameter: "car.employee_rate" }, /^Valeur refusée — value : le taux salarial CAR ne peut pas être négatif/],
    [ceiling(9900, { reference: { title: "Circulaire" } }), /^Valeur refusée — reference : indiquez le lien \(href\) ou le document/],
    [ceiling(9900, { parameter: "ccss.plafond" }), /^Valeur refusée — parameter : paramètre « ccss.plafond » inconnu/],
  ];
  for (const [body, message] of cases) {
    const r = await call("PUT", "parameters", body);
    assert.equal(r.status, 422, r.text);
    assert.equal(r.json.error.code, "PARAMETER_REFUSED");
    assert.match(r.json.error.message, message);
  }
  const schema = await call("PUT", "parameters", ceiling(9900, { validFrom: "2026-10-15" }));
  assert.equal(schema.status, 400, schema.text);
  assert.match(schema.json.error.message, /validFrom/);
  assert.equal((await call("GET", "parameters")).json.version, baselineParameterSet().version, "no new version");
  assert.deepEqual((await call("GET", "parameters/history")).json.entries, [], "nothing audited");
});

test("October: new ceiling entered → new version; old version refused naming the parameter and both values; new accepted", async () => {
  const old = baselineParameterSet();
  const put = await call("PUT", "parameters", ceiling(9900));
  assert.equal(put.status, 201, put.text);
  assert.equal(put.json.previousVersion, old.version);
  assert.notEqual(put.json.version, old.version);
  assert.equal((await call("PUT", "parameters", ceiling(9900))).status, 200, "the same value again changes nothing");

  // The pane reloads the set and rebuilds it on its own baseline: the same version.
  const loaded = await call("GET", "parameters");
  assert.equal(loaded.json.version, put.json.version);
  assert.equal(loaded.json.updatedAt, "2026-12-03T09:00:00.000Z");
  const fresh = buildParameterSet(loaded.json.values);
  assert.equal(fresh.version, loaded.json.version);

  // A pane still on the old version (stated, or not stated at all) is refused with the parameter, not net amounts.
  for (const body of [submission(old), submission(old, undefined)]) {
    const r = await call("POST", `companies/${company.id}/periods/${PERIOD}`, body);
    assert.equal(r.status, 409, r.text);
    assert.equal(r.json.error.code, "PARAMETERS_DIFFER");
    assert.equal(
      r.json.error.message,
      "Paramètres différents : le classeur a calculé avec le plafond CCSS 9 800 € ; le serveur applique 9 900 € depuis le 01/10/2026 — actualisez les paramètres puis recalculez.",
    );
    assert.deepEqual(r.json.error.details[0].client, { value: 9800, from: "2025-10-01" });
    assert.deepEqual(r.json.error.details[0].server, { value: 9900, from: "2026-10-01" });
    assert.ok(!/matricule|net/i.test(r.json.error.message));
  }
  assert.equal((await call("GET", `companies/${company.id}/periods/${PERIOD}`)).status, 404, "nothing stored");
  // September is not concerned by October's ceiling: the old version computes the same figures, accepted.
  const sept = { ...submission(old), period: "2026-09" };
  sept.inputs = sept.inputs.map((i) => ({ ...i, period: "2026-09" }));
  sept.results = sept.inputs.map((i) => summarise((computePayslip(i, old) as { ok: true; result: never }).result));
  const september = await call("POST", `companies/${company.id}/periods/2026-09`, sept);
  assert.equal(september.status, 201, september.text);
  // An invented version cannot be named value by value: refused as unknown.
  const unknown = await call("POST", `companies/${company.id}/periods/${PERIOD}`, submission(old, "0123456789ab"));
  assert.equal(unknown.status, 409);
  assert.equal(unknown.json.error.code, "PARAMETERS_UNKNOWN");

  // On the new version: accepted, computed with the new ceiling, explained with the new reference's title.
  const ok = await call("POST", `companies/${company.id}/periods/${PERIOD}`, submission(fresh));
  assert.equal(ok.status, 201, ok.text);
  // Run now goes through the payroll-run queue, as on payroll day.
  const run = await call("POST", `companies/${company.id}/periods/${PERIOD}/run`);
  assert.equal(run.status, 202, run.text);
  await stack.host.drainQueues();
  const state = await call("GET", `companies/${company.id}/periods/${PERIOD}`);
  assert.equal(state.json.period.status, "generated", JSON.stringify(state.json.period));
  const d006 = state.json.payslips.find((p: { employeeId: string }) => p.employeeId === "D006").result;
  const ccss = d006.contributions.find((c: { code: string }) => c.code === "9301");
  assert.equal(ccss.base, 990_000, "capped at the new ceiling");
  assert.match(
    ccss.explanation,
    /plafond 9 900,00 € \(ccss\.ceiling du 01\/10\/2026 : Caisses Sociales de Monaco — circulaire plafonds et taux au 1er octobre 2026 \(circulaire CSM n° 2026-10\)\)/,
  );
  assert.ok(!state.text.includes("saisi depuis la circulaire"), "the internal note is never shown as the source");

  // The audit trail: who, when, before, after, reference.
  const history = await call("GET", "parameters/history");
  assert.equal(history.json.entries.length, 1);
  const [entry] = history.json.entries;
  assert.equal(entry.action, "parameter.add");
  assert.equal(entry.target, "ccss.ceiling@2026-10-01");
  assert.equal(entry.at, "2026-12-03T09:00:00.000Z");
  assert.ok(entry.actor.length > 0);
  assert.deepEqual(entry.before, {
    version: old.version,
    inForce: { value: 9800, from: "2025-10-01", source: "CSM gens de maison au 01/10/2025: plafond 9 800 (annuel 117 600)" },
  });
  assert.equal(entry.after.version, put.json.version);
  assert.equal(entry.after.value, 9900);
  assert.deepEqual(entry.after.reference, REFERENCE);
});

test("a value dated inside a generated period is refused, naming the period; nothing stored", async () => {
  const before = await call("GET", "parameters");
  const r = await call("PUT", "parameters", {
    parameter: "car.employee_rate",
    validFrom: "2026-10-01",
    value: 6.9,
    status: "official",
    reference: REFERENCE,
  });
  assert.equal(r.status, 422, r.text);
  assert.match(
    r.json.error.message,
    new RegExp(`^Valeur refusée — validFrom : le 01/10/2026 tombe dans une période déjà générée \\(société ${company.id}, octobre 2026\\)`),
  );
  assert.equal((await call("GET", "parameters")).json.version, before.json.version);
  assert.equal((await call("GET", "parameters/history")).json.entries.length, 1);
  // The next month is open: accepted, a tenfold change needs confirm.
  const big = { parameter: "car.ceiling", validFrom: "2026-11-01", value: 61120, status: "official", reference: REFERENCE };
  assert.equal((await call("PUT", "parameters", big)).status, 422);
  assert.equal((await call("PUT", "parameters", { ...big, confirm: true })).status, 201);
});
