/**
 * Correcting a mailed month (issue 12, item 4, reopen and re-issue), on the local stack (Azurite, the app's HTTP
 * routes, the real payroll run and queue, the mail dispatcher writing .eml files, poppler for the PDFs):
 * an admin reopens August with a reason, the corrected inputs (D002's overtime) are submitted as version 2, and its
 * run re-issues D002's payslip alone, printed as a corrected payslip, mailed once; the others keep their payslip and
 * mail; version 1 stays retrievable; August's carry is the corrected one and September, computed from the old carry,
 * is « à recalculer » until it is submitted again from the new one.
 */

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { type LocalStack, startLocalStack } from "../../functions/host/local-stack.ts";
import { closeMailing } from "../../functions/payroll/mails.ts";
import { formatCents } from "../../shared/core/format.ts";
import { computePayslip } from "../../shared/engine/compute.ts";
import { summarise } from "../../shared/engine/summary.ts";
import type { PayslipInput } from "../../shared/schema/payslip-input.ts";
import { apiCaller } from "../support/api-call.ts";
import { DEMO_PERIOD as AUGUST, demoCompany as company, demoEmployees, demoMonthInputs, demoSummaries } from "../support/demo.ts";

const SEPTEMBER = "2025-09";
const STAFF = ["D001", "D002", "D003", "D004", "D005", "D006"];
let stack: LocalStack;
let outbox: string;
let clock = new Date("2025-08-25T00:30:00Z"); // the payroll day, 02:30 in Monaco
const call = apiCaller(() => stack.host.url);
const c = `companies/${company.id}`;

type Carry = { ytd: { gross: number } };
const cents = (euros: number) => Math.round(euros * 100);

/** August with `overtime` hours at 125 % for the employees named. */
function august(overtime: Record<string, number>, replacesVersion: number) {
  const inputs: PayslipInput[] = demoMonthInputs();
  for (const i of inputs) if (overtime[i.employee.id] !== undefined) i.variables = { ...i.variables, overtime125: overtime[i.employee.id]! };
  return { period: AUGUST, inputs, results: demoSummaries(inputs), replacesVersion };
}

/** September from August's carry as GET …/carry answers it (no variables: a plain month). */
function september(carries: Record<string, unknown>, replacesVersion: number) {
  const inputs = demoMonthInputs().map((i) => ({ ...i, period: SEPTEMBER, variables: {}, carry: carries[i.employee.id] }) as PayslipInput);
  return { period: SEPTEMBER, inputs, results: demoSummaries(inputs), replacesVersion };
}

async function runNow(period: string) {
  const r = await call("POST", `${c}/periods/${period}/run`);
  await stack.host.drainQueues();
  return r;
}

async function mailAll() {
  clock = new Date(clock.getTime() + 3 * 24 * 3600_000);
  await stack.host.fire("mail-dispatcher");
}

/** August's .eml files of one employee (version 1 keeps the plain name, a corrected one adds `_v2`). */
const emls = (employeeId: string) => readdirSync(outbox).filter((f) => new RegExp(`^${company.id}_${AUGUST}_${employeeId}(_v\\d+)?\\.eml$`).test(f));
const mailCounts = () => Object.fromEntries(STAFF.map((id) => [id, emls(id).length]));
/** When each .eml file was last written: a mail sent again rewrites its file, so a resend shows here. */
const writtenAt = () => Object.fromEntries(STAFF.flatMap(emls).map((f) => [f, statSync(path.join(outbox, f)).mtimeMs]));

async function pdfText(documentPath: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${stack.host.url}/api/${c}/documents/${documentPath}`);
  if (res.status !== 200) return { status: res.status, text: "" };
  const file = path.join(mkdtempSync(path.join(tmpdir(), "corr-")), "doc.pdf");
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  // Amounts print with narrow spaces: compared as plain spaces.
  return { status: 200, text: execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).replace(/[\u00a0\u202f]/g, " ") };
}

before(async () => {
  outbox = mkdtempSync(path.join(tmpdir(), "correction-"));
  stack = await startLocalStack({ outbox, port: 0, now: () => clock });
  assert.equal((await call("PUT", c, company)).status, 201);
  // D005, hired in August, gets the CCSS number the DSM needs from September on.
  const staff = demoEmployees().map((e) => (e.employeeId === "D005" ? { ...e, data: { ...(e.data as object), ccssNumber: "467120" } } : e));
  assert.equal((await call("PUT", `${c}/employees`, staff)).status, 200);
});

after(async () => {
  await stack?.stop();
});

test("a mailed month corrected for one employee: one corrected payslip and one mail, the others untouched, next month to recalculate", async () => {
  // August version 1: run, mailed to all six, the month "mailed".
  assert.equal((await call("POST", `${c}/periods/${AUGUST}`, august({}, 0))).status, 201);
  assert.equal((await runNow(AUGUST)).status, 202);
  await mailAll();
  await closeMailing(stack.services, company.id, AUGUST);
  let state = await call("GET", `${c}/periods/${AUGUST}`);
  assert.equal(state.json.period.status, "mailed", JSON.stringify(state.json.period));
  assert.deepEqual(mailCounts(), Object.fromEntries(STAFF.map((id) => [id, 1])));
  const firstMails = writtenAt();
  const oldCarries = (await call("GET", `${c}/periods/${AUGUST}/carry`)).json.carries as Record<string, Carry>;
  const oldD002 = state.json.payslips.find((p: { employeeId: string }) => p.employeeId === "D002");

  // September computed from that carry and submitted before anyone noticed.
  const first = await call("POST", `${c}/periods/${SEPTEMBER}`, september(oldCarries, 0));
  assert.equal(first.status, 201, first.text);

  // A mailed month takes no new version until an admin reopens it, with a reason.
  let r = await call("POST", `${c}/periods/${AUGUST}`, august({ D002: 10 }, 1));
  assert.equal(r.status, 409, r.text);
  r = await call("POST", `${c}/periods/${AUGUST}/reopen`, { reason: "   " });
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.error.code, "REASON_REQUIRED");
  r = await call("POST", `${c}/periods/${AUGUST}/reopen`, {});
  assert.equal(r.status, 400, r.text);
  r = await call("POST", `${c}/periods/${SEPTEMBER}/reopen`, { reason: "essai" });
  assert.equal(r.status, 409, r.text);
  assert.equal(r.json.error.code, "NOT_REOPENABLE");
  assert.match(r.json.error.message, /^La période 2025-09 ne peut pas être rouverte : seule une période dont les bulletins sont envoyés ou clôturée/);
  r = await call("POST", `${c}/periods/${AUGUST}/reopen`, { reason: "heures supplémentaires de D002 oubliées" });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.json.status, r.json.version, r.json.previousStatus], ["reopened", 1, "mailed"]);
  assert.equal((await call("POST", `${c}/periods/${AUGUST}/reopen`, { reason: "deux fois" })).json.error.code, "NOT_REOPENABLE");

  // The corrected inputs are version 2.
  r = await call("POST", `${c}/periods/${AUGUST}`, august({ D002: 10 }, 1));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.version, 2);

  // September now rests on a carry the correction replaced: flagged, its run refused, naming August.
  state = await call("GET", `${c}/periods/${SEPTEMBER}`);
  assert.equal(state.json.recompute?.correctedPeriod, AUGUST, JSON.stringify(state.json.recompute));
  assert.deepEqual(state.json.recompute.employees, ["D002"]);
  assert.match(state.json.recompute.message, /^Période 2025-09 à recalculer : le mois 2025-08 a été corrigé \(version 2\)/);
  r = await runNow(SEPTEMBER);
  assert.equal(r.status, 202, r.text);
  state = await call("GET", `${c}/periods/${SEPTEMBER}`);
  assert.equal(state.json.period.status, "submitted", "September is not run on a stale carry");
  assert.equal(state.json.documents.length, 0);

  // The corrected run, fired twice: D002 alone gets a corrected payslip and a mail.
  assert.equal((await runNow(AUGUST)).status, 202);
  const again = await runNow(AUGUST);
  assert.equal(again.json.status, "skipped", again.text);
  await mailAll();
  const corrected = writtenAt();
  assert.equal((await runNow(AUGUST)).json.status, "skipped");
  await mailAll();
  assert.deepEqual(writtenAt(), corrected, "a second run and dispatch send nothing again");
  assert.deepEqual(mailCounts(), { ...Object.fromEntries(STAFF.map((id) => [id, 1])), D002: 2 }, "one new mail, for D002 only");
  assert.deepEqual(emls("D002").sort(), [`${company.id}_${AUGUST}_D002.eml`, `${company.id}_${AUGUST}_D002_v2.eml`]);
  for (const [file, at] of Object.entries(firstMails)) assert.equal(corrected[file], at, `${file} was not sent again`);
  state = await call("GET", `${c}/periods/${AUGUST}`);
  assert.equal(state.json.period.version, 2);
  const newD002 = state.json.payslips.find((p: { employeeId: string }) => p.employeeId === "D002");
  assert.ok(newD002.grossCents > oldD002.grossCents, "the overtime raised D002's gross");
  const mails = state.json.mails.mails as Array<{ employeeId: string; version: number; sentVersions?: string; status: string }>;
  assert.deepEqual(
    mails.map((m) => [m.employeeId, m.version, m.sentVersions, m.status]),
    STAFF.map((id) => (id === "D002" ? [id, 2, "1,2", "sent"] : [id, 1, "1", "sent"])),
  );

  // D002's corrected payslip says what it replaces and shows the new gross; version 1 is still there.
  const v2 = await pdfText(`${AUGUST}/v2/payslips/D002.pdf`);
  assert.equal(v2.status, 200);
  assert.match(v2.text, /Bulletin rectificatif — annule et remplace le bulletin du 25\/08\/2025/);
  assert.ok(v2.text.includes(formatCents(newD002.grossCents).replace(/[\u00a0\u202f]/g, " ")), "the new gross is printed");
  const v1 = await pdfText(`${AUGUST}/v1/payslips/D002.pdf`);
  assert.equal(v1.status, 200, "the previous payslip stays retrievable");
  assert.doesNotMatch(v1.text, /rectificatif/);
  assert.ok(v1.text.includes(formatCents(oldD002.grossCents).replace(/[\u00a0\u202f]/g, " ")));
  // The others keep their version 1 payslip, listed as such; the company's documents are all version 2.
  assert.equal((await pdfText(`${AUGUST}/v2/payslips/D001.pdf`)).status, 404, "no new payslip for an unchanged employee");
  const paths = (state.json.documents as Array<{ path: string }>).map((d) => d.path.slice(`companies/${company.id}/${AUGUST}/`.length)).sort();
  assert.deepEqual(
    paths.filter((p) => p.includes("payslips/")),
    STAFF.map((id) => `${id === "D002" ? "v2" : "v1"}/payslips/${id}.pdf`).sort(),
  );
  for (const doc of ["v2/journal.pdf", "v2/charges.pdf", "v2/dsm.xml"]) assert.ok(paths.includes(doc), doc);

  // August's carry is the corrected one: D002's year-to-date gross moved by exactly the change, the others not at all.
  const newCarries = (await call("GET", `${c}/periods/${AUGUST}/carry`)).json.carries as Record<string, Carry>;
  assert.equal(cents(newCarries.D002!.ytd.gross) - cents(oldCarries.D002!.ytd.gross), newD002.grossCents - oldD002.grossCents);
  for (const id of STAFF.filter((s) => s !== "D002")) assert.deepEqual(newCarries[id], oldCarries[id], id);

  // September again on the old carry: refused, naming August; on the corrected one: accepted, cumuls follow.
  r = await call("POST", `${c}/periods/${SEPTEMBER}`, september(oldCarries, 1));
  assert.equal(r.status, 409, r.text);
  assert.equal(r.json.error.code, "CARRY_STALE");
  assert.match(r.json.error.message, /le mois 2025-08 a été corrigé \(version 2\).* D002\. Rechargez le report de 2025-08, recalculez 2025-09/);
  const fresh = september(newCarries, 1);
  r = await call("POST", `${c}/periods/${SEPTEMBER}`, fresh);
  assert.equal(r.status, 201, r.text);
  state = await call("GET", `${c}/periods/${SEPTEMBER}`);
  assert.equal(state.json.recompute, undefined);
  const sept = computePayslip(fresh.inputs[1]!);
  assert.ok(sept.ok);
  assert.equal(summarise(sept.result).employeeId, "D002");
  assert.equal(
    cents(sept.result.carry!.ytd.gross),
    cents(newCarries.D002!.ytd.gross) + sept.result.gross,
    "September's cumul starts from the corrected August",
  );
  assert.equal((await runNow(SEPTEMBER)).status, 202);
  assert.equal((await call("GET", `${c}/periods/${SEPTEMBER}`)).json.period.status, "generated");

  // The audit holds the reopening (who, when, why) and the corrected submission.
  const audit = (await call("GET", `${c}/audit`)).json.entries as Array<{ action: string; actor: string; at: string; after?: Record<string, unknown> }>;
  const reopened = audit.find((e) => e.action === "period.reopened");
  assert.ok(reopened?.actor && reopened.at, JSON.stringify(reopened));
  assert.equal(reopened.after?.reason, "heures supplémentaires de D002 oubliées");
  const submitted = audit.find((e) => e.action === "period.submit" && (e.after?.version as number) === 2 && e.after?.correctionOf);
  assert.deepEqual(submitted?.after?.correctionOf, { version: 1, reason: "heures supplémentaires de D002 oubliées", reopenedBy: reopened.after?.by });
  const generated = audit.find((e) => e.action === "period.generated" && e.after?.correction);
  assert.deepEqual(generated?.after?.correction, { fromVersion: 1, corrected: ["D002"], unchanged: 5, removed: [] });
});
