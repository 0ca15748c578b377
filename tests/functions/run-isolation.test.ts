/**
 * One employee never costs the company its month (issue 12 item 2), on the embedded local stack (real Azurite,
 * real HTTP, .eml outbox). A version stored before master data travelled with the month (payslip rows without their
 * `employee` snapshot, as the previous release wrote them) is run after an employee was deleted from the employees
 * table: that employee's payslip and the DSM (which must declare everyone) cannot be built. The run still generates
 * every other document, mails every other employee, and reports each failure — on the period, in the run's audit and
 * in the admins' summary — naming the employee and the reason.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { type LocalStack, startLocalStack } from "../../functions/host/local-stack.ts";
import { submitPeriod } from "../../functions/storage/index.ts";
import { payrollScheduler } from "../../functions/timers/handlers.ts";
import { computePayslip } from "../../shared/engine/compute.ts";
import { apiCaller } from "../support/api-call.ts";
import { demoCompany, demoEmployees, demoMonthInputs, DEMO_PERIOD as PERIOD } from "../support/demo.ts";
import { readEml } from "../support/eml.ts";

let stack: LocalStack;
let outbox: string;
const clock = new Date("2025-08-25T00:30:00Z"); // the payroll day, 02:30 in Monaco

const call = apiCaller(() => stack.host.url);

before(async () => {
  outbox = mkdtempSync(path.join(tmpdir(), "outbox-isolation-"));
  stack = await startLocalStack({ outbox, port: 0, now: () => clock });
});

after(async () => {
  await stack?.stop();
});

test("an employee without master data: the others are generated and mailed, the payslip and the DSM reported", async () => {
  const id = "ISOLATE";
  assert.equal((await call("PUT", `companies/${id}`, { ...demoCompany, id })).status, 201);
  // D003 left the employees table (deleted by an admin tool) after the version below was stored.
  const staff = demoEmployees().filter((e) => e.employeeId !== "D003");
  assert.equal((await call("PUT", `companies/${id}/employees`, staff)).status, 200);

  // The version as the previous release stored it: inputs and results, no master-data snapshot in the rows.
  const inputs = demoMonthInputs().map((i) => ({ ...i, company: { ...i.company, id } }));
  const payslips = inputs.map((input) => {
    const outcome = computePayslip(input);
    if (!outcome.ok) throw new Error(`${input.employee.id}: ${outcome.errors[0]?.message}`);
    const r = outcome.result;
    return {
      employeeId: r.employeeId,
      result: { input, result: r },
      carry: r.carry,
      grossCents: r.gross,
      netCents: r.netPaid,
      employerCostCents: r.employerCost,
    };
  });
  assert.equal(payslips.length, 6);
  await submitPeriod(stack.services.storage, {
    companyId: id,
    period: PERIOD,
    input: inputs,
    payslips,
    submittedBy: "ancienne-version",
    now: clock,
    replacesVersion: 0,
  });

  const dispatched = await payrollScheduler(stack.services);
  assert.ok(dispatched.find((d) => d.companyId === id)?.enqueued, JSON.stringify(dispatched));
  await stack.host.drainQueues();

  const state = await call("GET", `companies/${id}/periods/${PERIOD}`);
  assert.equal(state.json.period.status, "generated", JSON.stringify(state.json.period));
  const docs = state.json.documents as { path: string; kind: string }[];
  const slips = docs.filter((d) => d.kind === "payslip").map((d) => path.basename(d.path));
  assert.deepEqual(slips.sort(), ["D001.pdf", "D002.pdf", "D004.pdf", "D005.pdf", "D006.pdf"]);
  // The company's documents are there (their totals cover all six results); the DSM is not.
  for (const kind of ["journal", "charges", "provision"])
    assert.ok(
      docs.some((d) => d.kind === kind),
      kind,
    );
  assert.ok(!docs.some((d) => d.kind === "dsm"), "a DSM that cannot declare everyone is not produced");

  const failures = state.json.period.documentFailures as { kind: string; employeeId?: string; reason: string }[];
  assert.equal(failures.length, 2, JSON.stringify(failures));
  assert.deepEqual(failures[0], {
    kind: "payslip",
    employeeId: "D003",
    reason: "matricule D003 : aucune fiche salarié, ni dans la version soumise ni dans la table des salariés",
  });
  assert.equal(failures[1]!.kind, "dsm");
  assert.match(failures[1]!.reason, /date de naissance manquante pour le salarié D003/);

  // Every other employee is mailed; D003 is not (no payslip to send).
  await stack.host.fire("mail-dispatcher");
  const emls = readdirSync(outbox).filter((f) => f.startsWith(`${id}_${PERIOD}_D`));
  assert.deepEqual(
    emls.sort(),
    ["D001", "D002", "D004", "D005", "D006"].map((e) => `${id}_${PERIOD}_${e}.eml`),
  );

  // The admins' summary says what is missing and what to do.
  const summaryFile = readdirSync(outbox).find((f) => f.startsWith(`${id}_${PERIOD}_notification-success`));
  assert.ok(summaryFile, readdirSync(outbox).join(", "));
  const mail = await readEml(path.join(outbox, summaryFile));
  assert.match(mail.subject ?? "", /: 5 bulletins générés, 2 document\(s\) à reprendre$/);
  const text = mail.text ?? "";
  assert.match(text, /^5 bulletins et 12 documents générés \(version 1\)\.$/m);
  assert.match(text, /^2 document\(s\) non généré\(s\) — à corriger puis soumettre à nouveau :$/m);
  assert.match(text, /^• bulletin de D003 : matricule D003 : aucune fiche salarié/m);
  assert.match(text, /^• DSM : date de naissance manquante pour le salarié D003 \(obligatoire\)$/m);
  assert.match(text, /^5 envois programmés/m);

  // The audit of the run names the failures.
  const audit = (await call("GET", `companies/${id}/audit`)).json.entries as { action: string; after: Record<string, unknown> }[];
  const generated = audit.find((e) => e.action === "period.generated")!;
  assert.deepEqual(
    (generated.after.failures as { kind: string }[]).map((f) => f.kind),
    ["payslip", "dsm"],
  );
});

test("every document listed on a period with failures was stored: each downloads", async () => {
  // Storing stays outside the building that is forgiven (a Blob Storage fault fails the run: tests/reliability/faults).
  const state = await call("GET", `companies/ISOLATE/periods/${PERIOD}`);
  const docs = state.json.documents as { path: string; url: string }[];
  assert.ok(docs.length >= 12, String(docs.length));
  for (const d of docs) {
    const res = await fetch(d.url);
    assert.equal(res.status, 200, d.path);
    assert.ok((await res.arrayBuffer()).byteLength > 0, d.path);
  }
});
