/**
 * The API contract (shared/api/contract.ts) against the real routes on the embedded local stack: every route of the
 * table is called through a month's life, and each answer is checked against what the contract declares for that
 * route and status (the schemas the add-in's client types itself with; ErrorBody for refusals; the media type for
 * documents and metrics). A route never answered with success, a status the contract does not declare, or a field
 * renamed on one side only fails here.
 */

import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import type { TSchema } from "@sinclair/typebox";
import { type LocalStack, startLocalStack } from "../../functions/host/local-stack.ts";
import { ROUTES, type RouteRow } from "../../functions/http/routes.ts";
import { CompanyBody, engineCompany } from "../../shared/api/company.ts";
import { CONTRACT, isMedia } from "../../shared/api/contract.ts";
import { EmployeesBody } from "../../shared/api/employees.ts";
import { ErrorBody } from "../../shared/api/errors.ts";
import { PeriodSubmissionBody } from "../../shared/api/periods.ts";
import { compileChecker } from "../../shared/schema/checker.ts";
import { schemaIssues } from "../../shared/schema/validate.ts";
import { demoCompany as company, demoEmployees, demoEngineCompany, demoMonthInputs, demoSummaries, DEMO_PERIOD as PERIOD } from "../support/demo.ts";

let stack: LocalStack;
const clock = new Date("2025-08-25T00:30:00Z");

function conforms(schema: TSchema, value: unknown, what: string): void {
  const check = compileChecker(schema);
  assert.ok(check.Check(value), `${what}: ${JSON.stringify(schemaIssues(value, check).slice(0, 3))}`);
}

/** Per route name, the success statuses seen and checked; the last test asks that every route of the table is here. */
const answered = new Map<string, Set<number>>();

function rowOf(method: string, route: string): RouteRow {
  const segments = route.split("/");
  const row = ROUTES.find((r) => {
    const pattern = r.route.split("/");
    if (!r.methods.includes(method as "GET")) return false;
    const wildcard = pattern.findIndex((x) => x.startsWith("{*"));
    if (wildcard >= 0 ? segments.length <= wildcard : segments.length !== pattern.length) return false;
    return pattern.every((x, i) => x.startsWith("{*") || (x.startsWith("{") ? segments[i] !== undefined : x === segments[i]));
  });
  assert.ok(row, `${method} ${route}: no route of the table`);
  return row;
}

/**
 * Calls the route, expects `status`, and checks the answer against the contract of the route it reaches: the schema
 * declared for that status (a success status the contract does not declare fails), ErrorBody for a refusal.
 */
async function expect(status: number, method: string, route: string, body?: unknown): Promise<never> {
  const row = rowOf(method, route);
  const res = await fetch(`${stack.host.url}/api/${route}`, {
    method,
    headers: { "Content-Type": "application/json" },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const bytes = new Uint8Array(await res.arrayBuffer());
  const text = new TextDecoder().decode(bytes);
  assert.equal(res.status, status, `${method} ${route}: ${text.slice(0, 300)}`);
  const declared = row.contract.responses[status];
  if (status >= 400 && !declared) {
    const json = JSON.parse(text) as unknown;
    conforms(ErrorBody, json, `${method} ${route}`);
    return json as never;
  }
  assert.ok(declared, `${row.name}: status ${status} is not in its contract`);
  if (status < 400) answered.set(row.name, (answered.get(row.name) ?? new Set()).add(status));
  if (isMedia(declared)) {
    const type = res.headers.get("content-type") ?? "";
    if (declared.media === "none") assert.equal(bytes.length, 0, `${row.name}: no body`);
    else if (declared.media === "document") assert.ok(bytes.length > 0 && type !== "", `${row.name}: a document with its type`);
    else assert.ok(type.startsWith(declared.media) && bytes.length > 0, `${row.name}: ${declared.media}, got ${type}`);
    return bytes as never;
  }
  const json = JSON.parse(text) as unknown;
  conforms(declared, json, `${method} ${route}`);
  return json as never;
}

before(async () => {
  stack = await startLocalStack({ outbox: mkdtempSync(path.join(tmpdir(), "contract-")), port: 0, now: () => clock });
});

after(async () => {
  await stack?.stop();
});

test("the demo's requests are what the contract asks for, and the pane's engine company is derived from it", () => {
  conforms(CompanyBody, company, "samples/demo-company.json");
  conforms(EmployeesBody, demoEmployees(), "demo staff");
  conforms(PeriodSubmissionBody, { period: PERIOD, inputs: demoMonthInputs(), results: demoSummaries(demoMonthInputs()) }, "demo submission");
  assert.deepEqual(engineCompany(company), demoEngineCompany);
});

test("every answer of a month's life matches its contract: company, staff, submit, state, documents, run, carry, resend, close, audit, health, codes, parameters", async () => {
  const c = `companies/${company.id}`;
  const saved = await expect(201, "PUT", c, company);
  assert.deepEqual(
    { ...(saved as object), updatedAt: undefined, updatedBy: undefined, etag: undefined },
    { ...company, updatedAt: undefined, updatedBy: undefined, etag: undefined },
  );
  await expect(200, "PUT", c, company);
  await expect(200, "GET", c);
  await expect(200, "GET", "companies");
  await expect(200, "PUT", `${c}/employees`, demoEmployees());
  await expect(200, "GET", `${c}/employees`);
  const inputs = demoMonthInputs();
  const submitted = await expect(201, "POST", `${c}/periods/${PERIOD}`, { period: PERIOD, inputs, results: demoSummaries(inputs) });
  assert.equal((submitted as { version: number }).version, 1);
  await expect(200, "GET", `${c}/periods/${PERIOD}`);
  const run = await expect(202, "POST", `${c}/periods/${PERIOD}/run`);
  assert.equal((run as { status: string }).status, "queued");
  await stack.host.drainQueues();
  const state = (await expect(200, "GET", `${c}/periods/${PERIOD}`)) as {
    period: { status: string };
    run: { state: string };
    documents: { url: string }[];
    payslips: { result: { netPaid: number } }[];
  };
  assert.deepEqual([state.period.status, state.run.state], ["generated", "done"]);
  assert.equal(state.documents.length, 14);
  const link = state.documents[0]!.url;
  await expect(200, "GET", link.slice(link.indexOf("/api/") + "/api/".length));
  assert.ok(state.payslips.every((p) => Number.isInteger(p.result.netPaid)));
  const carry = (await expect(200, "GET", `${c}/periods/${PERIOD}/carry`)) as { carries: Record<string, unknown> };
  assert.equal(Object.values(carry.carries).filter(Boolean).length, 6);
  await expect(200, "POST", `${c}/periods/${PERIOD}/resend`);
  await expect(409, "POST", `${c}/periods/${PERIOD}/close`); // mails not out yet
  await stack.host.fire("mail-dispatcher");
  const closed = await expect(200, "POST", `${c}/periods/${PERIOD}/close`);
  assert.equal((closed as { status: string }).status, "closed");
  await expect(200, "GET", `${c}/audit`);
  await expect(200, "GET", "health");
  await expect(200, "GET", "metrics");
  const skipped = await expect(200, "POST", `${c}/periods/${PERIOD}/run`); // closed: nothing to queue
  assert.equal((skipped as { status: string }).status, "skipped");
  const reopened = await expect(200, "POST", `${c}/periods/${PERIOD}/reopen`, { reason: "contrôle du contrat" });
  assert.equal((reopened as { status: string }).status, "reopened");
  await expect(409, "POST", `${c}/periods/${PERIOD}/reopen`, { reason: "deux fois" }); // already reopened
  await expect(400, "POST", `${c}/periods/${PERIOD}/reopen`, {}); // the reason is mandatory
  const employeeId = String(demoEmployees()[0]!.employeeId);
  await expect(200, "POST", `${c}/employees/${employeeId}/document-code/rotate`, { reason: "demande du salarié" });
  const letters = (await expect(200, "POST", `${c}/document-codes/letters`, { onlyNew: false })) as Uint8Array;
  assert.equal(new TextDecoder().decode(letters.subarray(0, 5)), "%PDF-");
  await expect(204, "POST", `${c}/document-codes/letters`, {}); // onlyNew: every code already has its letter
  const me = (await expect(200, "GET", "me")) as { roles: string[]; companies: string[] };
  assert.deepEqual([me.roles, me.companies], [["Payroll.Admin", "Payroll.Operator"], ["*"]], "the development admin");
  const before = (await expect(200, "GET", "parameters")) as { version: string };
  const change = {
    parameter: "ccss.ceiling",
    validFrom: "2026-10-01",
    value: 9900,
    status: "official",
    reference: {
      title: "Caisses Sociales de Monaco — circulaire plafonds et taux au 1er octobre 2026",
      document: "circulaire CSM n° 2026-10",
      publishedOn: "2026-09-15",
    },
  };
  const changed = (await expect(201, "PUT", "parameters", change)) as { previousVersion: string };
  assert.equal(changed.previousVersion, before.version);
  await expect(200, "PUT", "parameters", change); // the same value again changes nothing
  const history = (await expect(200, "GET", "parameters/history")) as { entries: unknown[] };
  assert.equal(history.entries.length, 1);
});

test("refusals are ErrorBody: a body off the contract names the field, a stale address 404", async () => {
  const c = `companies/${company.id}`;
  const bad = (await expect(400, "PUT", c, { ...company, contracts: [{ code: "CDI", label: "x" }] })) as ErrorBody;
  assert.equal(bad.error.code, "INVALID_BODY");
  assert.match(bad.error.message, /contracts/);
  await expect(400, "PUT", c, { ...company, chartOfAccounts: { gross: "641100" } });
  await expect(400, "PUT", c, { ...company, settings: { engine: { prorata: "sometimes" } } });
  await expect(404, "GET", `${c}/periods/2025-01`);
  await expect(404, "GET", "companies/nobody");
  const wrong = (await expect(400, "PUT", "parameters", { parameter: "ccss.ceiling", value: 1 })) as ErrorBody;
  assert.match(wrong.error.message, /^Valeur de paramètre invalide : /);
});

test("every route of the table answered with success, checked against its contract; the table is the contract", () => {
  assert.deepEqual(
    ROUTES.map((r) => r.name).filter((n) => !answered.has(n)),
    [],
    "a route of the table never answered with success here: give it a call above (its contract is shared/api/contract.ts)",
  );
  assert.deepEqual(
    ROUTES.map((r) => [r.name, r.methods, r.route]),
    Object.entries(CONTRACT).map(([name, c]) => [name, [c.method], c.path]),
  );
});
