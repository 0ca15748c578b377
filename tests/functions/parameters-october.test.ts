/**
 * Playing October 2026 on the local stack (real Azurite, real HTTP, the .eml outbox): a 2026-10 month computed with
 * the 2025 values carries ONE notice naming the stale parameters — in the submission's answer, the period's state,
 * the admins' summary and health — and no "case to check" per payslip; an admin enters the new CCSS ceiling and CAR
 * rate with their reference; the resubmission on the new version is accepted and explained with the reference's
 * title; the audit holds the change; a pane left on the old version is refused naming the parameter and both values.
 *
 * The values entered here are TEST DATA (no public source for 2026-10 was found): 9 950 € and 6,95 % are invented
 * for the test and marked so in their reference.
 */

import assert from "node:assert/strict";
import { mkdtempSync, readdirSync } from "node:fs";
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
import { readEml } from "../support/eml.ts";

const PERIOD = "2026-10";
const TEST_REFERENCE = {
  title: "DONNÉE DE TEST — circulaire CSM au 1er octobre 2026 (valeurs inventées pour le test)",
  document: "test-2026-10",
  publishedOn: "2026-09-20",
};
const outbox = mkdtempSync(path.join(tmpdir(), "outbox-october-"));
let stack: LocalStack;

const call = apiCaller(() => stack.host.url);

function submission(set: ParameterSet, replacesVersion?: number) {
  const inputs = demoMonthInputs().map((i) => ({ ...i, period: PERIOD, variables: undefined }) as PayslipInput);
  const results = inputs.map((i) => {
    const o = computePayslip(i, set);
    if (!o.ok) throw new Error(`${i.employee.id}: ${o.errors[0]?.message}`);
    return summarise(o.result);
  });
  return { period: PERIOD, inputs, results, parameterSet: set.version, ...(replacesVersion ? { replacesVersion } : {}) };
}

/** The text of the admins' run summaries, read back with a real mail parser. */
const summaryMail = async () => {
  const files = readdirSync(outbox, { recursive: true, encoding: "utf8" }).filter((f) => f.includes("notification-success") && f.endsWith(".eml"));
  return (await Promise.all(files.map(async (f) => (await readEml(path.join(outbox, f))).text ?? ""))).join("\n");
};

before(async () => {
  stack = await startLocalStack({ outbox, port: 0, now: () => new Date("2026-12-03T09:00:00Z") });
  assert.equal((await call("PUT", `companies/${company.id}`, company)).status, 201);
  const staff = demoEmployees().map((e) => (e.employeeId === "D005" ? { ...e, data: { ...(e.data as object), ccssNumber: "478123" } } : e));
  assert.equal((await call("PUT", `companies/${company.id}/employees`, staff)).status, 200);
});

after(async () => {
  await stack?.stop();
});

test("October 2026: one notice on stale values, new values entered with their reference, resubmission accepted", async () => {
  const old = baselineParameterSet();
  // 1. Computed with the 2025 values: accepted, with one notice for the month naming the parameters.
  const first = await call("POST", `companies/${company.id}/periods/${PERIOD}`, submission(old));
  assert.equal(first.status, 201, first.text);
  const notice = first.json.parameterNotice;
  assert.equal(notice.code, "PARAMETERS_TO_CHECK");
  assert.ok(notice.stale.includes("ccss.ceiling") && notice.stale.includes("car.employee_rate"), notice.message);
  assert.match(notice.message, /^Paramètres d'octobre 2026 à vérifier \(Administration › Paramètres\)/);
  assert.match(notice.message, /le plafond CCSS \(ccss\.ceiling\)/);
  assert.deepEqual(first.json.casesToCheck, [], "no case to check per payslip for the month's parameters");

  const state = await call("GET", `companies/${company.id}/periods/${PERIOD}`);
  assert.deepEqual(state.json.parameterNotice, notice, "the period's state says it once");
  assert.deepEqual(state.json.casesToCheck, []);
  const health = await call("GET", "health");
  assert.equal(health.json.status, "attention");
  assert.equal(health.json.parameterNotices, 1);
  assert.deepEqual(
    health.json.notices.map((n: { companyId: string; period: string; stale: string[] }) => [n.companyId, n.period, n.stale.length]),
    [[company.id, PERIOD, notice.stale.length]],
  );
  // The admins' summary of the run: the notice once, not "6 bulletins avec des points à vérifier".
  assert.equal((await call("POST", `companies/${company.id}/periods/${PERIOD}/run`)).status, 202);
  await stack.host.drainQueues();
  const mail = await summaryMail();
  assert.match(mail, /Paramètres d'octobre 2026 à vérifier \(Administration › Paramètres\) : 10 paramètre\(s\)/);
  assert.ok(!/bulletin\(s\) avec des points/.test(mail), mail.slice(0, 400));

  // 2. The admin enters the new ceiling and the CAR employee rate (TEST DATA) with their reference.
  for (const [parameter, value] of [
    ["ccss.ceiling", 9950],
    ["car.employee_rate", 6.95],
  ] as const) {
    const put = await call("PUT", "parameters", { parameter, validFrom: "2026-11-01", value, status: "official", reference: TEST_REFERENCE });
    assert.equal(put.status, 201, put.text);
  }
  const loaded = await call("GET", "parameters");
  const fresh = buildParameterSet(loaded.json.values);
  assert.equal(fresh.version, loaded.json.version, "the pane rebuilds the same version");

  // 3. November on the old version: refused naming the parameter and both values.
  const novemberOld = { ...submission(old), period: "2026-11" };
  novemberOld.inputs = novemberOld.inputs.map((i) => ({ ...i, period: "2026-11" }));
  const refused = await call("POST", `companies/${company.id}/periods/2026-11`, novemberOld);
  assert.equal(refused.status, 409, refused.text);
  assert.equal(refused.json.error.code, "PARAMETERS_DIFFER");
  assert.match(
    refused.json.error.message,
    /^Paramètres différents : le classeur a calculé avec le taux salarial CAR 6,85 % ; le serveur applique 6,95 % depuis le 01\/11\/2026 \(et 1 autre\(s\) paramètre\(s\) : le plafond CCSS\)/,
  );
  assert.deepEqual(
    refused.json.error.details.map((d: { parameter: string; client: unknown; server: unknown }) => [d.parameter, d.client, d.server]),
    [
      ["car.employee_rate", { value: 6.85, from: "2025-10-01" }, { value: 6.95, from: "2026-11-01" }],
      ["ccss.ceiling", { value: 9800, from: "2025-10-01" }, { value: 9950, from: "2026-11-01" }],
    ],
  );

  // 4. On the new version: accepted; the notice no longer names what was entered; explanations cite the title.
  const body = submission(fresh);
  body.period = "2026-11";
  body.inputs = body.inputs.map((i) => ({ ...i, period: "2026-11" }));
  body.results = body.inputs.map((i) => summarise((computePayslip(i, fresh) as { ok: true; result: never }).result));
  const ok = await call("POST", `companies/${company.id}/periods/2026-11`, body);
  assert.equal(ok.status, 201, ok.text);
  assert.ok(!ok.json.parameterNotice.stale.includes("ccss.ceiling"), ok.json.parameterNotice.message);
  assert.ok(!ok.json.parameterNotice.stale.includes("car.employee_rate"));
  assert.ok(ok.json.parameterNotice.stale.includes("cmrc.ta_ceiling"), "what was not entered is still named");
  const nov = await call("GET", `companies/${company.id}/periods/2026-11`);
  const d006 = nov.json.payslips.find((p: { employeeId: string }) => p.employeeId === "D006").result;
  const ccss = d006.contributions.find((c: { code: string }) => c.code === "9301");
  assert.equal(ccss.base, 995_000, "capped at the new (test) ceiling");
  assert.ok(ccss.explanation.includes(`${TEST_REFERENCE.title} (${TEST_REFERENCE.document})`), ccss.explanation);

  // 5. The audit trail holds both changes with their reference.
  const history = await call("GET", "parameters/history");
  assert.deepEqual(history.json.entries.map((e: { target: string }) => e.target).sort(), ["car.employee_rate@2026-11-01", "ccss.ceiling@2026-11-01"]);
  for (const e of history.json.entries) assert.deepEqual(e.after.reference, TEST_REFERENCE);
});
