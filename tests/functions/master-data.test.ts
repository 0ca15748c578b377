/**
 * Master data travels with the month, on the embedded local stack (real Azurite, real HTTP, .eml outbox): a hire and
 * an exit typed only in the workbook's `Salariés` are submitted with the month and the payroll-day run prints, declares
 * and mails them from the version's snapshot; an employee without what the run needs is refused at Submit with the
 * cell; one employee's payslip that cannot be built does not stop the others.
 */

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { buildMonth } from "../../addin/workbook/build.ts";
import { type LocalStack, startLocalStack } from "../../functions/host/local-stack.ts";
import { payrollScheduler } from "../../functions/timers/handlers.ts";
import { apiCaller } from "../support/api-call.ts";
import { demoCompany, demoEmployees, demoEngineCompany, demoSummaries, demoWorkbook, DEMO_PERIOD as PERIOD } from "../support/demo.ts";
import { readEml, toAddresses } from "../support/eml.ts";

let stack: LocalStack;
let outbox: string;
const clock = new Date("2025-08-25T00:30:00Z"); // the payroll day, 02:30 in Monaco

const call = apiCaller(() => stack.host.url);

const HEADERS = demoWorkbook.employees[0] as string[];
const col = (header: string) => HEADERS.indexOf(header);

/** The demo workbook's `Salariés`, edited like a user would, validated and built by the add-in's own code. */
function month(companyId: string, edit: (rows: unknown[][]) => void = () => {}) {
  const rows = structuredClone(demoWorkbook.employees);
  edit(rows);
  const build = buildMonth({
    period: PERIOD,
    employees: { name: "Salariés", values: rows as never, rowIndex: 0, columnIndex: 0 },
    variables: { name: `Variables ${PERIOD}`, values: demoWorkbook.variables as never, rowIndex: 0, columnIndex: 0 },
    company: { ...demoEngineCompany, id: companyId },
    employerNumber: demoCompany.ccssEmployerNumber,
  });
  return build;
}

async function seedCompany(id: string, staff: Record<string, unknown>[]) {
  let r = await call("PUT", `companies/${id}`, { ...demoCompany, id });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  r = await call("PUT", `companies/${id}/employees`, staff);
  assert.equal(r.status, 200, JSON.stringify(r.json));
}

async function documentText(url: string, name: string): Promise<string> {
  const bytes = Buffer.from(await (await fetch(url)).arrayBuffer());
  if (!name.endsWith(".pdf")) return bytes.toString("utf8");
  const file = path.join(mkdtempSync(path.join(tmpdir(), "doc-")), name);
  writeFileSync(file, bytes);
  return execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
}

before(async () => {
  outbox = mkdtempSync(path.join(tmpdir(), "outbox-"));
  stack = await startLocalStack({ outbox, port: 0, now: () => clock });
});

after(async () => {
  await stack?.stop();
});

test("a hire and an exit typed only in the workbook: submitted with the month, the run prints, declares and mails them", async () => {
  const id = "MDHIRE";
  // The server's employees table does not know the new hire D005, and D004's exit is only in the workbook.
  await seedCompany(
    id,
    demoEmployees().filter((e) => e.employeeId !== "D005"),
  );
  const build = month(id, (rows) => {
    rows[4]![col("Date de sortie")] = "20/08/2025";
  });
  assert.deepEqual(
    build.issues.filter((i) => i.severity === "error"),
    [],
  );
  assert.equal(build.staff.find((s) => s.employeeId === "D004")?.exitDate, "2025-08-20");
  const r = await call("POST", `companies/${id}/periods/${PERIOD}`, {
    period: PERIOD,
    inputs: build.inputs,
    results: demoSummaries(build.inputs),
    employees: build.staff,
  });
  assert.equal(r.status, 201, JSON.stringify(r.json));

  // The snapshot's personal fields are sealed in the payslip rows, never in clear.
  const raw: string[] = [];
  for await (const e of stack.services.storage.table("payslips").listEntities()) if (String(e.partitionKey).startsWith(id)) raw.push(JSON.stringify(e));
  assert.equal(raw.length, 6);
  const d005 = raw.find((t) => t.includes("|D005"))!;
  assert.match(d005, /enc:v1:/);
  assert.doesNotMatch(d005, /2000-07-08/, "birth date encrypted at rest");

  const dispatched = await payrollScheduler(stack.services);
  assert.ok(dispatched.find((o) => o.companyId === id)?.enqueued, JSON.stringify(dispatched));
  await stack.host.drainQueues();
  const state = await call("GET", `companies/${id}/periods/${PERIOD}`);
  assert.equal(state.json.period.status, "generated", JSON.stringify(state.json.period));
  const docs = state.json.documents as { path: string; url: string; kind: string }[];
  const slip = docs.find((d) => d.path.endsWith("payslips/D005.pdf"));
  assert.ok(slip, "the new hire has a payslip");
  assert.match(await documentText(slip.url, "D005.pdf"), /GARCIA/i);
  const exitSlip = await documentText(docs.find((d) => d.path.endsWith("payslips/D004.pdf"))!.url, "D004.pdf");
  assert.match(exitSlip, /20\/08\/2025/, "the exit date from the workbook is printed");
  const dsm = await documentText(docs.find((d) => d.kind === "dsm")!.url, "dsm.xml");
  assert.match(dsm, /<nom>GARCIA<\/nom>[\s\S]*?<dateNaissance>2000-07-08<\/dateNaissance>/, "the hire is declared");
  assert.match(dsm, /2025-08-20/, "the exit is declared");

  await stack.host.fire("mail-dispatcher");
  const emls = readdirSync(outbox).filter((f) => f.startsWith(`${id}_${PERIOD}_D`));
  assert.deepEqual(
    emls.sort(),
    ["D001", "D002", "D003", "D004", "D005", "D006"].map((e) => `${id}_${PERIOD}_${e}.eml`),
  );
  assert.deepEqual(toAddresses(await readEml(path.join(outbox, `${id}_${PERIOD}_D005.eml`))), ["ines.garcia@demo.example"]);

  // The employees table was not the source: it still lacks D005. Both paths are audited, without personal values.
  const staff = (await call("GET", `companies/${id}/employees`)).json.employees as { employeeId: string }[];
  assert.ok(!staff.some((e) => e.employeeId === "D005"));
  const audit = (await call("GET", `companies/${id}/audit`)).json.entries as { action: string; after: Record<string, unknown> }[];
  assert.ok(audit.some((e) => e.action === "employees.replace"));
  const snap = audit.find((e) => e.action === "employees.snapshot")!;
  assert.deepEqual(snap.after.added, ["D005"]);
  assert.deepEqual((snap.after.changed as Record<string, string[]>).D004, ["exitDate"]);
  assert.doesNotMatch(JSON.stringify(snap), /2000-07-08|ines\.garcia/);
});

test("an employee without a birth date is refused at Submit, naming the cell; nothing is stored", async () => {
  const id = "MDBIRTH";
  await seedCompany(id, demoEmployees());
  const build = month(id, (rows) => {
    rows[5]![col("Date de naissance")] = "";
  });
  // Validate says it first, on the cell.
  const atValidate = build.issues.find((i) => i.code === "missing-birthDate")!;
  assert.equal(atValidate.severity, "error");
  assert.equal(atValidate.address, "F6");
  assert.equal(atValidate.column, "Date de naissance");
  assert.ok(!build.inputs.some((i) => i.employee.id === "D005"), "not calculated while incomplete");
  // A tool that skips Validate and submits the row without the date gets the same refusal from the server.
  const { inputs, staff } = month(id);
  delete staff.find((s) => s.employeeId === "D005")!.birthDate;
  const r = await call("POST", `companies/${id}/periods/${PERIOD}`, { period: PERIOD, inputs, results: demoSummaries(inputs), employees: staff });
  assert.equal(r.status, 422, JSON.stringify(r.json));
  assert.equal(r.json.error.code, "INCOMPLETE_MASTER_DATA");
  assert.match(r.json.error.message, /Salariés F6 Date de naissance : absente/);
  assert.deepEqual(
    r.json.error.details.map((d: { employeeId: string; address: string; column: string }) => [d.employeeId, d.address, d.column]),
    [["D005", "F6", "Date de naissance"]],
  );
  assert.equal((await call("GET", `companies/${id}/periods/${PERIOD}`)).status, 404, "nothing stored");
});
