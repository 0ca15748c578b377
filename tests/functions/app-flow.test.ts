/**
 * The functions app end to end on the embedded local stack (real Azurite, real HTTP, .eml outbox):
 * submit with server recomputation, refusals, the payroll run, documents, mails sent exactly once.
 */

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { type LocalStack, startLocalStack } from "../../functions/host/local-stack.ts";
import { payrollScheduler } from "../../functions/timers/handlers.ts";
import { computePayslip } from "../../shared/engine/compute.ts";
import { demoCompany as company, demoEmployees, demoMonthInputs as monthInputs, DEMO_PERIOD as PERIOD, demoSummaries as summaries } from "../support/demo.ts";
import { pdfAttachment, readEml, toAddresses } from "../support/eml.ts";

let stack: LocalStack;
let outbox: string;
let clock = new Date("2025-08-25T00:30:00Z"); // 02:30 in Monaco (summer time) on the payroll day

async function call(method: string, route: string, body?: unknown, raw?: string) {
  const res = await fetch(`${stack.host.url}/api/${route}`, {
    method,
    headers: { "Content-Type": "application/json" },
    ...(raw !== undefined ? { body: raw } : body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text && res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : undefined, bytes: text };
}

before(async () => {
  outbox = mkdtempSync(path.join(tmpdir(), "outbox-"));
  stack = await startLocalStack({ outbox, port: 0, now: () => clock });
  let r = await call("PUT", `companies/${company.id}`, company);
  assert.equal(r.status, 201, JSON.stringify(r.json));
  r = await call("PUT", `companies/${company.id}/employees`, demoEmployees());
  assert.equal(r.status, 200, JSON.stringify(r.json));
});

after(async () => {
  await stack?.stop();
});

test("health reports reachable storage", async () => {
  const r = await call("GET", "health");
  assert.equal(r.status, 200);
  assert.equal(r.json.storage, "reachable");
});

test("a submission whose figures differ from the server's is refused, naming the employee and the figure", async () => {
  const inputs = monthInputs();
  const results = summaries(inputs);
  results[1]!.netPaid += 1;
  const r = await call("POST", `companies/${company.id}/periods/${PERIOD}`, { period: PERIOD, inputs, results });
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /matricule D002, netPaid/);
  assert.equal(r.json.error.details[0].employeeId, "D002");
  const state = await call("GET", `companies/${company.id}/periods/${PERIOD}`);
  assert.equal(state.status, 404, "nothing stored");
});

test("malformed, oversized and mismatched bodies are refused with a located French message", async () => {
  let r = await call("POST", `companies/${company.id}/periods/${PERIOD}`, undefined, "{ pas du json");
  assert.equal(r.status, 400);
  assert.match(r.json.error.message, /JSON invalide/);
  r = await call("POST", `companies/${company.id}/periods/${PERIOD}`, { period: PERIOD, inputs: [], results: [] });
  assert.equal(r.status, 400);
  assert.match(r.json.error.message, /inputs/);
  r = await call("POST", `companies/${company.id}/periods/2025-07`, { period: PERIOD, inputs: monthInputs(), results: summaries(monthInputs()) });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, "PERIOD_MISMATCH");
  r = await call("POST", `companies/${company.id}/periods/${PERIOD}`, undefined, JSON.stringify({ junk: "x".repeat(9 * 1024 * 1024) }));
  assert.equal(r.status, 413);
  r = await call("GET", `companies/bad%20id/periods/${PERIOD}`);
  assert.equal(r.status, 400);
});

test("submit → run → documents → mails: each payslip mailed once even when timers fire twice at once", async () => {
  const inputs = monthInputs();
  const body = { period: PERIOD, inputs, results: summaries(inputs) };
  let r = await call("POST", `companies/${company.id}/periods/${PERIOD}`, body);
  assert.equal(r.status, 201, JSON.stringify(r.json));
  assert.equal(r.json.version, 1);
  r = await call("POST", `companies/${company.id}/periods/${PERIOD}`, body);
  assert.equal(r.status, 200, "same input again: nothing rewritten");
  assert.equal(r.json.written, false);

  // The payroll-day timer fires twice at the same time: one message is queued, the period is generated once.
  const [a, b] = await Promise.all([payrollScheduler(stack.services), payrollScheduler(stack.services)]);
  assert.equal([...a, ...b].filter((x) => x.enqueued).length, 1, JSON.stringify([a, b]));
  await stack.host.drainQueues();
  let state = await call("GET", `companies/${company.id}/periods/${PERIOD}`);
  assert.equal(state.json.period.status, "generated");
  assert.equal(state.json.documents.length, 14);
  assert.equal(state.json.mails.counts.pending, 6);

  // Documents are downloadable and readable: the payslip PDF shows the net paid.
  const slip = state.json.documents.find((d: { path: string }) => d.path.endsWith("payslips/D004.pdf"));
  const pdf = await fetch(slip.url);
  assert.equal(pdf.headers.get("content-type"), "application/pdf");
  const file = path.join(outbox, "..", "D004.pdf");
  writeFileSync(file, Buffer.from(await pdf.arrayBuffer()));
  const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
  const d004 = computePayslip(inputs.find((i) => i.employee.id === "D004"));
  assert.ok(d004.ok);
  const net = (d004.result.netPaid / 100)
    .toFixed(2)
    .replace(".", ",")
    .replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");
  assert.ok(text.replace(/[\u202f ]/g, "\u00a0").includes(net), `net ${net} in the PDF`);
  assert.match(text, /NET À PAYER/);

  // Two dispatchers at once: six mails, one .eml each.
  await Promise.all([stack.host.fire("mail-dispatcher"), stack.host.fire("mail-dispatcher")]);
  const emls = readdirSync(outbox).filter((f) => /_D\d{3}\.eml$/.test(f));
  assert.deepEqual(
    emls.sort(),
    ["D001", "D002", "D003", "D004", "D005", "D006"].map((id) => `${company.id}_${PERIOD}_${id}.eml`),
  );
  state = await call("GET", `companies/${company.id}/periods/${PERIOD}`);
  assert.equal(state.json.mails.counts.sent, 6);
  assert.equal(state.json.period.status, "mailed");
  const mail = await readEml(path.join(outbox, `${company.id}_${PERIOD}_D004.eml`));
  assert.deepEqual(toAddresses(mail), ["thierry.nguyen@demo.example"]);
  assert.match(pdfAttachment(mail)?.subarray(0, 5).toString("latin1") ?? "", /^%PDF-/);

  // The admins were told, and the audit trail has the submission and the generation.
  assert.ok(readdirSync(outbox).some((f) => f.includes("notification-success")));
  const audit = await call("GET", `companies/${company.id}/audit`);
  const actions = audit.json.entries.map((e: { action: string }) => e.action);
  for (const a of ["period.submit", "period.generated", "period.mailed", "company.create", "employees.replace", "mail.sent"]) assert.ok(actions.includes(a), a);
  assert.equal(actions.filter((a: string) => a === "mail.sent").length, 6, "one audit entry per mail sent");

  // The work shows in the metrics (Prometheus text): payslips processed, mails sent, requests by route.
  const metrics = await fetch(`${stack.host.url}/api/metrics`).then((res) => res.text());
  const value = (name: string) => Number(new RegExp(`^${name.replace(/[{}"]/g, "\\$&")} (\\d+)`, "m").exec(metrics)?.[1] ?? "NaN");
  assert.ok(value('paie_payslips_processed_total{outcome="generated"}') >= 6, metrics);
  assert.ok(value('paie_mails_total{result="sent"}') >= 6, metrics);
  assert.match(metrics, /paie_http_requests_total\{route="period-submit",method="POST",status="201"\} \d+/);

  // Edits to the staff are audited as what changed (field names), never with the personal values.
  clock = new Date(clock.getTime() + 60_000); // the audit lists newest first: the edit must come after the seeding
  const staff = (await call("GET", `companies/${company.id}/employees`)).json.employees;
  const d001 = staff.find((e: { employeeId: string }) => e.employeeId === "D001");
  d001.email = "nouvelle.adresse@demo.example";
  d001.data.ccssNumber = "499999";
  const put = await call(
    "PUT",
    `companies/${company.id}/employees`,
    staff.map(({ companyId: _c, updatedAt: _u, ...e }: Record<string, unknown>) => e),
  );
  assert.equal(put.status, 200, JSON.stringify(put.json));
  const latest = (await call("GET", `companies/${company.id}/audit`)).json.entries.find((e: { action: string }) => e.action === "employees.replace");
  assert.deepEqual(latest.after.changed, { D001: ["email", "data.ccssNumber"] });
  assert.doesNotMatch(JSON.stringify(latest), /nouvelle\.adresse|499999/);

  // Next month's preparation reads the year-to-date state.
  const carry = await call("GET", `companies/${company.id}/periods/${PERIOD}/carry`);
  assert.equal(carry.json.carries.D001.year, 2025);
  clock = new Date("2025-08-26T00:30:00Z");
  const again = await payrollScheduler(stack.services);
  assert.equal(again.length, 0, "a mailed period is not run again");
  assert.equal(stack.host.queueStats()["payroll-runs"]?.handled, 1, "one delivery of the one message");

  // Closing the month locks it: a changed resubmission is refused.
  const close = await call("POST", `companies/${company.id}/periods/${PERIOD}/close`);
  assert.equal(close.status, 200, JSON.stringify(close.json));
  assert.equal(close.json.status, "closed");
  const changed = monthInputs();
  changed[0]!.variables = { ...changed[0]!.variables, overtime125: 1 };
  const late = await call("POST", `companies/${company.id}/periods/${PERIOD}`, { period: PERIOD, inputs: changed, results: summaries(changed) });
  assert.equal(late.status, 409);
  assert.match(late.json.error.message, /clôturée/);
});
