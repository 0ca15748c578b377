import assert from "node:assert/strict";
import { before, test } from "node:test";
import {
  auditRepository,
  type Company,
  ConcurrencyError,
  CorruptEntityError,
  companiesRepository,
  type Employee,
  employeesRepository,
  mailsRepository,
  periodsRepository,
  runsRepository,
  type Storage,
  StorageError,
} from "../../functions/storage/index.ts";
import { startAzuriteStorage } from "../support/storage.ts";

const az = startAzuriteStorage();
let storage: Storage;
before(async () => {
  storage = await az.ready;
});

const NOW = new Date("2026-03-25T08:00:00.000Z");

function company(id: string): Company {
  return {
    id,
    name: "Société des Bains — Éloïse & Cie",
    address: "1 avenue de la Costa, 98000 Monaco",
    ccssEmployerNumber: "012345",
    payrollDay: 25,
    emailDelayHours: 48,
    notificationRecipients: ["paie@cabinet.mc"],
    notifyOnSuccess: true,
    notifyOnFailure: true,
    notifyOnCasesToCheck: false,
    senderMailbox: "bulletins@cabinet.mc",
    // Typed as the engine reads them (shared/api/company.ts): a contract line, the default chart.
    contracts: [{ code: "7100", label: "Prévoyance cadres", base: { kind: "gross" }, appliesTo: "cadre", employerRate: 1.5 }],
    chartOfAccounts: null,
    paidLeaveSystem: "ouvrables",
    settings: { engine: { mealTicketEmployeeShare: 0.5 } },
    updatedAt: NOW.toISOString(),
    updatedBy: "marie@cabinet.mc",
  };
}

test("companies: create, read, list, ETag-guarded update, delete", async () => {
  const repo = companiesRepository(storage);
  const created = await repo.create(company("ACME"));
  await assert.rejects(repo.create(company("ACME")), ConcurrencyError);
  const read = await repo.get("ACME");
  assert.ok(read);
  const { etag, ...value } = read;
  assert.deepEqual(value, company("ACME"));
  assert.equal(etag, created.etag);

  const updated = await repo.update({ ...read, payrollDay: 27 });
  assert.equal((await repo.get("ACME"))?.payrollDay, 27);
  // The first reader's ETag is stale now: its write must be refused, not silently win.
  await assert.rejects(repo.update({ ...read, name: "Écrasement" }), (e: unknown) => e instanceof ConcurrencyError && /companies/.test(e.message));
  await assert.rejects(repo.update({ ...updated, payrollDay: 31 }), (e: unknown) => e instanceof StorageError && /payrollDay/.test(e.message));

  await repo.create(company("BETA"));
  assert.deepEqual((await repo.list()).map((c) => c.id).sort(), ["ACME", "BETA"]);
  await repo.delete("BETA");
  assert.equal(await repo.get("BETA"), undefined);
});

test("employees: put, putMany in a partition, list, delete", async () => {
  const repo = employeesRepository(storage);
  const employee = (i: number): Employee => ({
    companyId: "ACME",
    employeeId: `E${String(i).padStart(3, "0")}`,
    lastName: "Müller",
    firstName: "Zoé",
    email: `e${i}@acme.mc`,
    active: true,
    hireDate: "2020-01-06",
    data: { grossMonthlyCents: 350_000 + i, status: "non-cadre" },
    updatedAt: NOW.toISOString(),
  });
  await repo.put(employee(0));
  await repo.putMany(Array.from({ length: 120 }, (_, i) => employee(i + 1)));
  const all = await repo.list("ACME");
  assert.equal(all.length, 121);
  const e7 = await repo.get("ACME", "E007");
  assert.deepEqual(e7?.data, { grossMonthlyCents: 350_007, status: "non-cadre" });
  await repo.delete("ACME", "E007");
  assert.equal(await repo.get("ACME", "E007"), undefined);
  assert.equal((await repo.list("OTHER")).length, 0);
});

test("periods: creation, allowed transitions only, ETag conflict between two concurrent updates", async () => {
  const repo = periodsRepository(storage);
  const draft = await repo.create({
    companyId: "ACME",
    period: "2026-02",
    status: "draft",
    version: 0,
    documents: [],
    counts: {},
    updatedAt: NOW.toISOString(),
  });
  await assert.rejects(
    repo.transition(draft, "mailed", { updatedAt: NOW.toISOString() }),
    (e: unknown) => e instanceof StorageError && e.code === "transition" && /« brouillon » → « bulletins envoyés »/.test(e.message),
  );
  const a = await repo.get("ACME", "2026-02");
  const b = await repo.get("ACME", "2026-02");
  assert.ok(a && b);
  const results = await Promise.allSettled([
    repo.transition(a, "submitted", { version: 1, updatedAt: NOW.toISOString(), submittedBy: "a" }),
    repo.transition(b, "submitted", { version: 1, updatedAt: NOW.toISOString(), submittedBy: "b" }),
  ]);
  assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
  const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
  assert.ok(rejected.reason instanceof ConcurrencyError);
  assert.equal((await repo.get("ACME", "2026-02"))?.status, "submitted");
});

test("runs: start, finish, newest first", async () => {
  const repo = runsRepository(storage);
  const first = await repo.start("ACME", "2026-03", "generate", new Date("2026-03-25T02:30:00.000Z"));
  await repo.finish(first, { status: "failed", now: new Date("2026-03-25T02:31:00.000Z"), error: "Graph indisponible" });
  const second = await repo.start("ACME", "2026-03", "generate", new Date("2026-03-25T03:30:00.000Z"));
  await repo.finish(second, { status: "succeeded", now: new Date("2026-03-25T03:32:00.000Z"), counts: { payslips: 12 } });
  await repo.start("ACME", "2026-04", "generate", NOW);
  const runs = await repo.listForPeriod("ACME", "2026-03");
  assert.deepEqual(
    runs.map((r) => [r.status, r.counts.payslips ?? 0]),
    [
      ["succeeded", 12],
      ["failed", 0],
    ],
  );
  assert.equal(runs[1]?.error, "Graph indisponible");
});

test("audit: append-only, newest first, no update or delete method", async () => {
  const repo = auditRepository(storage);
  const at = (m: number) => new Date(NOW.getTime() + m * 60_000).toISOString();
  await repo.append({
    companyId: "ACME",
    at: at(0),
    actor: "marie",
    action: "company.update",
    target: "ACME",
    before: { payrollDay: 25 },
    after: { payrollDay: 27 },
  });
  await repo.append({ companyId: "ACME", at: at(5), actor: "paul", action: "period.submit", target: "2026-03" });
  // Same millisecond twice: both kept.
  await repo.append({ companyId: "ACME", at: at(5), actor: "paul", action: "period.submit", target: "2026-03" });
  await repo.append({ at: at(1), actor: "admin", action: "backup.run", target: "2026-03-25" });
  const entries = await repo.list("ACME");
  assert.deepEqual(
    entries.map((e) => e.actor),
    ["paul", "paul", "marie"],
  );
  assert.deepEqual(entries[2]?.after, { payrollDay: 27 });
  assert.equal((await repo.list(undefined)).length, 1);
  assert.deepEqual(Object.keys(repo).sort(), ["append", "codec", "list"]);
});

test("mails: enqueue is idempotent, listDue, claim by two concurrent callers → exactly one wins, markSent/markFailed", async () => {
  const repo = mailsRepository(storage);
  const mail = (employeeId: string, dueAt: string) => ({
    companyId: "ACME",
    period: "2026-03",
    employeeId,
    recipient: `${employeeId.toLowerCase()}@acme.mc`,
    version: 1,
    dueAt,
  });
  assert.equal(
    (await repo.enqueue("ACME", "2026-03", [mail("E001", "2026-03-27T08:00:00Z"), mail("E002", "2026-03-27T08:00:00Z"), mail("E003", "2026-04-01T08:00:00Z")]))
      .created,
    3,
  );

  const due = await repo.listDue(new Date("2026-03-28T00:00:00.000Z"), 10);
  assert.deepEqual(due.map((m) => m.employeeId).sort(), ["E001", "E002"]);

  const target = due.find((m) => m.employeeId === "E001")!;
  const now = new Date("2026-03-28T00:00:00.000Z");
  const [one, two] = await Promise.all([repo.claim(target, now), repo.claim(target, now)]);
  assert.equal([one, two].filter(Boolean).length, 1, "exactly one sender may claim a mail");
  const claimed = (one || two) as Exclude<typeof one, false>;
  assert.equal(claimed.status, "sending");
  assert.equal(claimed.attempts, 1);
  // A third caller who reads afresh sees "sending" and gets false too.
  assert.equal(await repo.claim((await repo.get("ACME", "2026-03", "E001"))!, now), false);

  const sent = await repo.markSent(claimed, { sentAt: now, graphRequestId: "req-123" });
  assert.equal((await repo.get("ACME", "2026-03", "E001"))?.status, "sent");
  await assert.rejects(repo.markSent(sent, { sentAt: now }), /exige l'état « en cours d'envoi »/);

  const e2 = await repo.claim(due.find((m) => m.employeeId === "E002")!, now);
  assert.ok(e2);
  const retry = await repo.markFailed(e2, { error: "429 Too Many Requests", retryAt: new Date("2026-03-28T01:00:00.000Z") });
  assert.deepEqual([retry.status, retry.attempts, retry.lastError], ["pending", 1, "429 Too Many Requests"]);
  assert.equal((await repo.listDue(now, 10)).length, 0);
  const again = await repo.claim((await repo.listDue(new Date("2026-03-28T01:00:00.000Z"), 10))[0]!, new Date("2026-03-28T01:00:00.000Z"));
  assert.ok(again);
  const failed = await repo.markFailed(again, { error: "adresse refusée" });
  assert.deepEqual([failed.status, failed.attempts], ["failed", 2]);

  // Re-enqueueing after sending must not reset anything.
  assert.deepEqual(await repo.enqueue("ACME", "2026-03", [mail("E001", "2026-03-27T08:00:00Z")]), { created: 0, replaced: [], corrected: [], parked: [] });
  assert.equal((await repo.get("ACME", "2026-03", "E001"))?.status, "sent");
});

test("mails: a row queued by the mail module (no version, with names) reads and claims through the repository", async () => {
  await storage.table("mails").createEntity({
    partitionKey: "ACME|2026-08",
    rowKey: "E009",
    companyId: "ACME",
    period: "2026-08",
    employeeId: "E009",
    status: "pending",
    attempts: 0,
    recipient: "e9@acme.mc",
    dueAt: "2026-08-27T08:00:00.000Z",
    firstName: "Zoé",
    lastName: "Müller",
    companyName: "ACME",
  });
  const repo = mailsRepository(storage);
  const row = await repo.get("ACME", "2026-08", "E009");
  assert.deepEqual([row?.firstName, row?.version], ["Zoé", undefined]);
  assert.ok(await repo.claim(row!, new Date("2026-08-27T08:00:00.000Z")));
});

test("a corrupt stored row gives a clear error naming table, partition and row", async () => {
  // Written behind the repository's back, as a buggy tool or a manual edit would.
  await storage
    .table("companies")
    .upsertEntity({ partitionKey: "company", rowKey: "BROKEN", id: "BROKEN", name: "x", payrollDay: 40, settings_n: 1, settings_0: "{}" }, "Replace");
  await assert.rejects(
    companiesRepository(storage).get("BROKEN"),
    (e: unknown) =>
      e instanceof CorruptEntityError &&
      e.table === "companies" &&
      e.partitionKey === "company" &&
      e.rowKey === "BROKEN" &&
      /Donnée stockée invalide dans la table « companies », partition « company », ligne « BROKEN »/.test(e.message),
  );
  await assert.rejects(companiesRepository(storage).list(), CorruptEntityError);
  await storage.table("companies").deleteEntity("company", "BROKEN");
});

test("an invalid key is refused before any request", async () => {
  storage.requests.reset();
  await assert.rejects(employeesRepository(storage).get("ACME", "E/01"), /Matricule invalide « E\/01 »/);
  await assert.rejects(storage.table("employees").getEntity("ACME", "x"), () => true);
  assert.equal(storage.requests.total, 1, "only the deliberate raw request reached the server");
});
