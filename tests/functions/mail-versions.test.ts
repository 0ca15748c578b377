/**
 * Mails are bound to the document version they carry (issue 10, findings 1 and 2), on the local stack (Azurite, the
 * app's own HTTP routes, the real payroll run, the real queue and dispatcher, the .eml transport):
 * - resubmitted before mailing → the employee receives the version 2 PDF (compared byte for byte), exactly once;
 * - a correction after mailing → only the employee whose payslip changed gets a second, corrected mail;
 * - a send interrupted after the message went out (lease expired, row still "sending") → recorded, not sent twice;
 *   interrupted before → sent once; health says "attention" and close names the mail while it is stuck.
 */

import assert from "node:assert/strict";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { type LocalStack, startLocalStack } from "../../functions/host/local-stack.ts";
import { dispatchDue } from "../../functions/mail/dispatcher.ts";
import { EmlTransport } from "../../functions/mail/eml-transport.ts";
import type { MailJob } from "../../functions/mail/types.ts";
import { runsRepository } from "../../functions/storage/index.ts";
import type { PayslipInput } from "../../shared/schema/payslip-input.ts";
import { apiCaller } from "../support/api-call.ts";
import { demoCompany as company, demoEmployees, demoMonthInputs, demoSummaries, DEMO_PERIOD as PERIOD } from "../support/demo.ts";
import { pdfAttachment, readEml } from "../support/eml.ts";

let stack: LocalStack;
let outbox: string;
let clock = new Date("2025-08-25T00:30:00Z");

const call = apiCaller(() => stack.host.url);

/** The demo month with `overtime` hours at 125 % for the employees named. */
function month(overtime: Record<string, number>, replacesVersion: number) {
  const inputs: PayslipInput[] = demoMonthInputs();
  for (const i of inputs) if (overtime[i.employee.id] !== undefined) i.variables = { ...i.variables, overtime125: overtime[i.employee.id]! };
  return { period: PERIOD, inputs, results: demoSummaries(inputs), replacesVersion };
}

const submit = (body: unknown) => call("POST", `companies/${company.id}/periods/${PERIOD}`, body);
/** "Run now" is queued (202): once the local host's workers are done, what the run did, from its history row. */
async function runNow() {
  const queued = await call("POST", `companies/${company.id}/periods/${PERIOD}/run`);
  assert.equal(queued.status, 202, JSON.stringify(queued.json));
  await stack.host.drainQueues();
  const [run] = await runsRepository(stack.services.storage).listForPeriod(company.id, PERIOD, 1);
  const state = await call("GET", `companies/${company.id}/periods/${PERIOD}`);
  const status = run?.status === "succeeded" ? "generated" : run?.status;
  return { status: 200, json: { status, version: state.json.period.version, mailsQueued: run?.counts.mailsQueued ?? 0, run: state.json.run } };
}

/** The stored PDF, unprotected: what the .eml attachment must be byte for byte (this dispatch does not encrypt). */
const storedPdf = async (job: MailJob) => {
  const blob = await stack.services.documents.get(job.documentPath!);
  if (!blob) throw new Error(`document absent : ${job.documentPath}`);
  return new Uint8Array(blob.bytes);
};

function dispatch(transport = new EmlTransport({ outboxDir: outbox, from: "paie@demo.example" })) {
  return dispatchDue({
    queue: stack.services.mailQueue,
    transport,
    now: () => clock,
    ratePerMinute: 60_000,
    budgetMs: 3_600_000,
    sleep: async () => undefined,
    loadAttachment: storedPdf,
  });
}

function emlsOf(employeeId: string): string[] {
  return readdirSync(outbox).filter((f) => f.startsWith(`${company.id}_${PERIOD}_${employeeId}`) && f.endsWith(".eml"));
}

async function attachmentOf(file: string): Promise<Buffer> {
  const pdf = pdfAttachment(await readEml(path.join(outbox, file)));
  assert.ok(pdf, `no PDF part in ${file}`);
  return pdf;
}

before(async () => {
  outbox = mkdtempSync(path.join(tmpdir(), "mail-versions-"));
  stack = await startLocalStack({ outbox, port: 0, now: () => clock });
  assert.equal((await call("PUT", `companies/${company.id}`, company)).status, 201);
  assert.equal((await call("PUT", `companies/${company.id}/employees`, demoEmployees())).status, 200);
});

after(async () => {
  await stack?.stop();
});

test("resubmitted before mailing: the employee receives the version 2 payslip, exactly once", async () => {
  assert.equal((await submit(month({}, 0))).status, 201);
  let r = await runNow();
  assert.equal(r.json.status, "generated", JSON.stringify(r.json));
  assert.equal(r.json.version, 1);

  // D002's overtime changes before the mails leave: version 2, run again.
  r = await submit(month({ D002: 10 }, 1));
  assert.equal(r.status, 201, JSON.stringify(r.json));
  assert.equal(r.json.version, 2);
  r = await runNow();
  assert.equal(r.json.status, "generated", JSON.stringify(r.json));
  assert.equal(r.json.version, 2);
  assert.ok(r.json.mailsQueued > 0, "the unsent mails now carry version 2");

  const audit = (await call("GET", `companies/${company.id}/audit`)).json.entries as Array<{ action: string; after?: { replaced?: string[] } }>;
  const superseded = audit.find((e) => e.action === "mails.superseded");
  assert.ok(superseded?.after?.replaced?.includes("D002"), "the audit says the mails were replaced by version 2");

  clock = new Date(Date.parse(clock.toISOString()) + 3 * 24 * 3600_000);
  const sent = await dispatch();
  assert.equal(sent.failed, 0);
  const files = emlsOf("D002");
  assert.deepEqual(files, [`${company.id}_${PERIOD}_D002_v2.eml`], "one mail for D002, the version 2 one");
  const v2 = await stack.services.documents.get(`companies/${company.id}/${PERIOD}/v2/payslips/D002.pdf`);
  const v1 = await stack.services.documents.get(`companies/${company.id}/${PERIOD}/v1/payslips/D002.pdf`);
  assert.ok(v1 && v2);
  assert.notDeepEqual(v1.bytes, v2.bytes, "the two versions differ");
  assert.deepEqual(await attachmentOf(files[0]!), Buffer.from(v2.bytes), "the attachment is the version 2 PDF");
  assert.match((await readEml(path.join(outbox, files[0]!))).messageId ?? "", /^<paie\.[^>]*\.D002\.v2@/);
  assert.equal((await dispatch()).sent, 0, "nothing left to send");
});

test("corrected after mailing: only the employee whose payslip changed gets a second, corrected mail", async () => {
  const before = readdirSync(outbox).length;
  // Every mail of version 2 went out; the timer has not moved the month to "mailed" yet, so it can still be resubmitted
  // (a mailed or closed month is reopened by an admin: issue 12).
  const state = await call("GET", `companies/${company.id}/periods/${PERIOD}`);
  assert.equal(state.json.period.status, "generated");
  assert.equal(state.json.mails.counts.sent, 6);
  const r = await submit(month({ D002: 10, D003: 7 }, 2));
  assert.equal(r.status, 201, JSON.stringify(r.json));
  assert.equal((await runNow()).json.status, "generated");
  clock = new Date(Date.parse(clock.toISOString()) + 3 * 24 * 3600_000);
  await dispatch();
  assert.deepEqual(emlsOf("D003").sort(), [`${company.id}_${PERIOD}_D003_v2.eml`, `${company.id}_${PERIOD}_D003_v3.eml`]);
  assert.deepEqual(emlsOf("D002"), [`${company.id}_${PERIOD}_D002_v2.eml`], "D002's payslip did not change: no second mail");
  assert.equal(readdirSync(outbox).length, before + 1);
  const v3 = await stack.services.documents.get(`companies/${company.id}/${PERIOD}/v3/payslips/D003.pdf`);
  assert.deepEqual(await attachmentOf(`${company.id}_${PERIOD}_D003_v3.eml`), Buffer.from(v3!.bytes));
  const mails = (await call("GET", `companies/${company.id}/periods/${PERIOD}`)).json.mails.mails as Array<{ employeeId: string; sentVersions?: string }>;
  assert.equal(mails.find((m) => m.employeeId === "D003")?.sentVersions, "2,3");
});

test("an interrupted send is recovered from its lease: once if it went out, once if it did not; never twice", async () => {
  const queue = stack.services.mailQueue;
  const id = `${company.id}|2025-09|D001`;
  const base = { companyId: company.id, employeeId: "D001", recipient: "d001@demo.example", firstName: "A", lastName: "B", companyName: "Demo" };
  // Two September mails claimed by a dispatcher that then died: M1 after the message was written, M2 before.
  await queue.enqueue({ ...base, period: "2025-09", dueAt: clock, documentPath: `companies/${company.id}/${PERIOD}/v1/payslips/D001.pdf` });
  await queue.enqueue({ ...base, employeeId: "D004", period: "2025-09", dueAt: clock, documentPath: `companies/${company.id}/${PERIOD}/v1/payslips/D004.pdf` });
  assert.ok(await queue.claim(id, clock));
  assert.ok(await queue.claim(`${company.id}|2025-09|D004`, clock));
  const transport = new EmlTransport({ outboxDir: outbox, from: "paie@demo.example" });
  let sends = 0;
  const counting = {
    kind: "eml" as const,
    send: (...a: Parameters<EmlTransport["send"]>) => {
      sends++;
      return transport.send(...a);
    },
    findSent: (i: string) => transport.findSent(i),
  };
  const dispatchCounting = () =>
    dispatchDue({
      queue,
      transport: counting,
      now: () => clock,
      ratePerMinute: 60_000,
      budgetMs: 3_600_000,
      sleep: async () => undefined,
      loadAttachment: storedPdf,
    });
  const job = (await queue.get(id))!;
  const { buildPayslipMail } = await import("../../functions/mail/message.ts");
  await transport.send(
    buildPayslipMail({
      companyId: company.id,
      companyName: "Demo",
      period: "2025-09",
      employeeId: "D001",
      firstName: "A",
      lastName: "B",
      email: job.recipient,
      pdf: await storedPdf(job),
      version: 1,
    }),
  );

  // Within the lease nothing moves, health is ok for it, close is not concerned (another period).
  assert.equal((await dispatchCounting()).sent, 0);
  // Past the lease: health says so, then the dispatch recovers both.
  clock = new Date(clock.getTime() + queue.leaseMs + 1000);
  const health = await call("GET", "health");
  assert.equal(health.json.status, "attention");
  assert.equal(health.json.mails.stuck, 2);
  const result = await dispatchCounting();
  assert.equal(result.recovered, 1, "D001 was already out: recorded without sending");
  assert.equal(result.sent, 1, "D004 never left: sent now");
  assert.equal(sends, 1);
  assert.equal((await queue.get(id))!.status, "sent");
  assert.equal((await queue.get(`${company.id}|2025-09|D004`))!.status, "sent");
  assert.equal(readdirSync(outbox).filter((f) => f.includes("_2025-09_")).length, 2, "one file each");
  assert.equal((await call("GET", "health")).json.status, "ok");
});

test("a generated month that cannot close says which mail holds it", async () => {
  const queue = stack.services.mailQueue;
  // October: generated, one mail claimed by a dead dispatcher.
  const r = await call("POST", `companies/${company.id}/periods/2025-10/close`);
  assert.equal(r.status, 404);
  await queue.enqueue({
    companyId: company.id,
    employeeId: "D001",
    recipient: "d001@demo.example",
    period: "2025-10",
    dueAt: clock,
    documentPath: "x/v1/y.pdf",
  });
  const { closeMailing } = await import("../../functions/payroll/mails.ts");
  const blocked = await closeMailing(stack.services, company.id, "2025-10");
  assert.equal(blocked.closed, false);
  // The September period is not generated here; the blocking list itself is what the route prints.
  const { blockingMails, mailStatuses } = await import("../../functions/payroll/mails.ts");
  const list = blockingMails((await mailStatuses(stack.services, company.id, "2025-10")).mails);
  assert.match(list[0]!, /^D001 \(en attente depuis le 20\d\d-\d\d-\d\d \d\d:\d\d UTC\)$/);
});
