/**
 * Company options as settings, on the local stack (real Azurite, real HTTP): an admin stores a higher CMRC
 * tranche-A rate and a conventional holiday with the company; a rate below the legal one, a date that does not
 * exist, a duplicate holiday are refused in French naming the field, and nothing is stored or audited; the
 * accepted change is audited before/after; a month computed as the pane computes it (the engine company built from
 * the stored record) is accepted by the server's recompute, and one computed with other options is refused.
 */

import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { buildMonth } from "../../addin/workbook/build.ts";
import { type LocalStack, startLocalStack } from "../../functions/host/local-stack.ts";
import { type CompanyRecord, engineCompany } from "../../shared/api/company.ts";
import { applyPercent, toRate4 } from "../../shared/core/fixed.ts";
import type { CompanyInput, PayslipInput } from "../../shared/schema/payslip-input.ts";
import { apiCaller } from "../support/api-call.ts";
import { demoCompany as company, DEMO_PERIOD, demoEmployees, demoSummaries, demoWorkbook } from "../support/demo.ts";

let stack: LocalStack;
const call = apiCaller(() => stack.host.url);

const HIGHER = { validFrom: "2025-08-01", employeeRate: 4.55, employerRate: 6.825, reference: "accord CSM du 15/07/2025" };
const HOLIDAYS = [{ date: "2025-09-03", label: "Libération (CCNT art. 11)" }];

const withEngine = (engine: Record<string, unknown>) => ({ ...company, settings: { engine: { ...company.settings.engine, ...engine } } });

/** The month as the pane builds it: the workbook read with the engine company derived from the stored record. */
function paneInputs(engine: CompanyInput): PayslipInput[] {
  const build = buildMonth({
    period: DEMO_PERIOD,
    employees: { name: "Salariés", values: demoWorkbook.employees as never, rowIndex: 0, columnIndex: 0 },
    variables: { name: `Variables ${DEMO_PERIOD}`, values: demoWorkbook.variables as never, rowIndex: 0, columnIndex: 0 },
    company: engine,
  });
  assert.deepEqual(
    build.issues.filter((i) => i.severity === "error"),
    [],
  );
  return build.inputs;
}

before(async () => {
  stack = await startLocalStack({ outbox: mkdtempSync(path.join(tmpdir(), "outbox-company-settings-")), port: 0, now: () => new Date("2025-09-20T09:00:00Z") });
  assert.equal((await call("PUT", `companies/${company.id}`, company)).status, 201);
  assert.equal((await call("PUT", `companies/${company.id}/employees`, demoEmployees())).status, 200);
});

after(async () => {
  await stack?.stop();
});

test("refused options: French message naming the field, nothing stored, nothing audited", async () => {
  const stored = await call("GET", `companies/${company.id}`);
  const audited = (await call("GET", `companies/${company.id}/audit`)).json.entries.length;
  const cases: [Record<string, unknown>, number, RegExp][] = [
    [
      { cmrcTrancheARate: { ...HIGHER, employeeRate: 3.5 } },
      422,
      /^Société refusée — settings\.engine\.cmrcTrancheARate\.employeeRate : le taux salarial CMRC tranche A de la société \(3,5 %\) est inférieur au taux légal \(4,01 % depuis le 01\/01\/2024\)/,
    ],
    [
      { cmrcTrancheARate: { ...HIGHER, employerRate: 15 } },
      422,
      /^Société refusée — settings\.engine\.cmrcTrancheARate\.employerRate : .*dépasse le double du taux légal \(6,01 %\)/,
    ],
    [{ conventionalHolidays: [{ date: "2025-02-30", label: "?" }] }, 422, /conventionalHolidays\[0\]\.date : la date 2025-02-30 n'existe pas/],
    [
      { conventionalHolidays: [...HOLIDAYS, { date: "2025-09-03", label: "doublon" }] },
      422,
      /^Société refusée — settings\.engine\.conventionalHolidays\[1\]\.date : le 03\/09\/2025 figure déjà en ligne 1 des jours fériés conventionnels\.$/,
    ],
  ];
  for (const [engine, status, message] of cases) {
    const r = await call("PUT", `companies/${company.id}`, withEngine(engine));
    assert.equal(r.status, status, r.text);
    assert.equal(r.json.error.code, "COMPANY_SETTINGS_REFUSED");
    assert.match(r.json.error.message, message);
  }
  // Not an ISO date at all: refused by the schema, naming the field.
  const malformed = await call("PUT", `companies/${company.id}`, withEngine({ conventionalHolidays: [{ date: "03/09/2025", label: "Libération" }] }));
  assert.equal(malformed.status, 400, malformed.text);
  assert.match(malformed.json.error.message, /conventionalHolidays\/0\/date|conventionalHolidays\[0\]\.date/);

  const after = await call("GET", `companies/${company.id}`);
  assert.deepEqual(after.json, stored.json, "the stored company is unchanged");
  assert.equal((await call("GET", `companies/${company.id}/audit`)).json.entries.length, audited, "nothing audited");
});

test("accepted options: audited before/after; the pane's month on them is accepted by the server's recompute", async () => {
  const r = await call("PUT", `companies/${company.id}`, withEngine({ cmrcTrancheARate: HIGHER, conventionalHolidays: HOLIDAYS }));
  assert.equal(r.status, 200, r.text);
  const audit = (await call("GET", `companies/${company.id}/audit`)).json.entries;
  const entry = audit.find((e: { action: string }) => e.action === "company.update");
  assert.ok(entry, JSON.stringify(audit.map((e: { action: string }) => e.action)));
  assert.equal(entry.before.settings.engine.cmrcTrancheARate, undefined);
  assert.deepEqual(entry.after.settings.engine.cmrcTrancheARate, HIGHER);
  assert.deepEqual(entry.after.settings.engine.conventionalHolidays, HOLIDAYS);

  // The pane loads the company and derives the engine's company from it (addin/taskpane/App.tsx).
  const { etag: _etag, ...record } = (await call("GET", `companies/${company.id}`)).json as CompanyRecord & { etag: string };
  const engine = engineCompany(record);
  assert.deepEqual(engine.cmrcTrancheARate, HIGHER);

  // A pane on the company as it was (no higher rate) is refused, naming the option and both values.
  const stale = paneInputs(engineCompany({ ...record, settings: { engine: company.settings.engine } }));
  const refused = await call("POST", `companies/${company.id}/periods/${DEMO_PERIOD}`, { period: DEMO_PERIOD, inputs: stale, results: demoSummaries(stale) });
  assert.equal(refused.status, 409, refused.text);
  assert.equal(refused.json.error.code, "COMPANY_SETTINGS_DIFFER");
  assert.match(
    refused.json.error.message,
    /le classeur a calculé avec le taux CMRC tranche A de la société aucun taux supérieur \(taux légal\) ; la société enregistrée indique salarié 4,55 %, employeur 6,825 % depuis le 01\/08\/2025 — rechargez la société puis recalculez\.$/,
  );

  const inputs = paneInputs(engine);
  const ok = await call("POST", `companies/${company.id}/periods/${DEMO_PERIOD}`, { period: DEMO_PERIOD, inputs, results: demoSummaries(inputs) });
  assert.equal(ok.status, 201, ok.text);
  const state = await call("GET", `companies/${company.id}/periods/${DEMO_PERIOD}`);
  const payslips = state.json.payslips as {
    employeeId: string;
    result: { contributions: { code: string; base: number; employeeRate?: number; employerRate?: number; employeeAmount?: number; employerAmount?: number }[] };
  }[];
  assert.ok(payslips.length > 0, state.text);
  let checked = 0;
  for (const p of payslips) {
    const ta = p.result.contributions.find((c) => c.code === "1911" && c.base > 0);
    if (!ta) continue;
    checked++;
    assert.equal(ta.employeeRate, toRate4(4.55), p.employeeId);
    assert.equal(ta.employerRate, toRate4(6.825), p.employeeId);
    assert.equal(ta.employeeAmount, applyPercent(ta.base, toRate4(4.55)), p.employeeId);
    assert.equal(ta.employerAmount, applyPercent(ta.base, toRate4(6.825)), p.employeeId);
  }
  assert.ok(checked > 0, "at least one CMRC TA line");
});
