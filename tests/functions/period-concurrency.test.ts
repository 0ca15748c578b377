/**
 * Concurrency on one period, on the local stack (Azurite in its own process, real HTTP, the app's own services):
 * ten runs at once → one run generates, the others end "superseded" naming it, none left "running", every
 * document written once; a resubmission during a run → that run stops before queueing mails; two resubmissions of
 * the same version at once → one accepted, one refused 409 in French; a stale replacesVersion → 409; superseded
 * payslip sets pruned by the daily backup timer after the retention period, the backups still holding them; a run
 * that died holding its claim blocks the period until the claim expires, and health flags it.
 * Documents are counted at the blob store the services write through (the real one, wrapped by a counter).
 */

import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { gunzipSync } from "node:zlib";
import { localParts } from "../../functions/app/config.ts";
import { backupContainer, readManifest } from "../../functions/backup/index.ts";
import { type LocalStack, startLocalStack } from "../../functions/host/local-stack.ts";
import { dsmExtra } from "../../functions/payroll/dsm.ts";
import { runPayroll } from "../../functions/payroll/run.ts";
import { payslipsRepository, periodsRepository, runsRepository } from "../../functions/storage/index.ts";
import type { PayslipInput } from "../../shared/schema/payslip-input.ts";
import { apiCaller } from "../support/api-call.ts";
import { demoCompany as company, demoEmployees, demoMonthInputs, demoSummaries, DEMO_PERIOD as PERIOD } from "../support/demo.ts";

let stack: LocalStack;
let clock = new Date("2025-08-25T00:30:00Z");
/** Blob writes of documents, by path: counted where the services write, then passed on to the real store. */
const writes = new Map<string, number>();
let duringWrite: (() => Promise<void>) | undefined;

const call = apiCaller(() => stack.host.url);

/** The demo month with D001's overtime set to `hours`: a different input, hence a new version when submitted. */
function month(hours: number, replacesVersion?: number) {
  const inputs: PayslipInput[] = demoMonthInputs();
  inputs[0]!.variables = { ...inputs[0]!.variables, overtime125: hours };
  return { period: PERIOD, inputs, results: demoSummaries(inputs), ...(replacesVersion !== undefined ? { replacesVersion } : {}) };
}

const submit = (body: unknown) => call("POST", `companies/${company.id}/periods/${PERIOD}`, body);
/**
 * The run itself, as each delivery of a queue message calls it: "run now" only queues (tests/functions/fanout.test.ts),
 * and what is tested here is the claim that makes any number of deliveries at once generate a version once.
 */
type Outcome = { status: string; runId?: string; supersededBy?: string; reason: string; version?: number; documents?: number };
const runNow = async () => ({ status: 200, json: (await runPayroll(stack.services, company.id, PERIOD, "test", { extraDocuments: dsmExtra })) as Outcome });
const runRows = () => runsRepository(stack.services.storage).listForPeriod(company.id, PERIOD);

before(async () => {
  stack = await startLocalStack({ outbox: mkdtempSync(path.join(tmpdir(), "concurrency-outbox-")), port: 0, now: () => clock });
  const real = stack.services.documents.put.bind(stack.services.documents);
  stack.services.documents.put = async (p, bytes, contentType) => {
    writes.set(p, (writes.get(p) ?? 0) + 1);
    if (duringWrite) {
      const hook = duringWrite;
      duringWrite = undefined;
      await hook();
    }
    return real(p, bytes, contentType);
  };
  assert.equal((await call("PUT", `companies/${company.id}`, company)).status, 201);
  assert.equal((await call("PUT", `companies/${company.id}/employees`, demoEmployees())).status, 200);
});
after(async () => {
  await stack?.stop();
});

test("ten concurrent runs (deliveries): one generates, the others end superseded naming it, none left running, documents written once", async () => {
  const first = await submit(month(0));
  assert.equal(first.status, 201, JSON.stringify(first.json));
  writes.clear();

  const answers = await Promise.all(Array.from({ length: 10 }, runNow));
  for (const a of answers) assert.equal(a.status, 200, JSON.stringify(a.json));
  const generated = answers.filter((a) => a.json.status === "generated");
  assert.equal(generated.length, 1, JSON.stringify(answers.map((a) => a.json)));
  const winner = generated[0]!.json.runId as string;
  const losers = answers.filter((a) => a.json.status !== "generated");
  for (const l of losers) {
    assert.ok(["superseded", "skipped"].includes(l.json.status), JSON.stringify(l.json));
    if (l.json.status === "superseded") {
      assert.equal(l.json.supersededBy, winner);
      assert.match(l.json.reason, /remplacée/);
    }
  }

  // The history: the winner succeeded, every other row is superseded and names it; nothing is left running.
  const rows = await runRows();
  assert.deepEqual(
    rows.filter((r) => r.status === "running"),
    [],
  );
  assert.deepEqual(
    rows.filter((r) => r.status === "succeeded").map((r) => r.runId),
    [winner],
  );
  const superseded = rows.filter((r) => r.status === "superseded");
  assert.equal(superseded.length, losers.filter((l) => l.json.status === "superseded").length);
  assert.equal(superseded.length + rows.filter((r) => r.status === "succeeded").length, rows.length);
  for (const r of superseded) assert.equal(r.supersededBy, winner);

  // Every document of the version written exactly once: no loser did document work.
  const documents = generated[0]!.json.documents as number;
  assert.equal(documents, 14);
  assert.equal(writes.size, documents);
  assert.deepEqual(
    [...writes.values()].filter((n) => n !== 1),
    [],
  );
  const state = await call("GET", `companies/${company.id}/periods/${PERIOD}`);
  assert.equal(state.json.period.status, "generated");
  assert.equal(state.json.period.claimedBy, winner, "the period names the run that generated it");
  assert.equal(state.json.mails.counts.pending, 6);

  // A quarter of an hour later health sees no stalled worker, and the last run is the one that generated.
  clock = new Date(clock.getTime() + 16 * 60_000);
  const health = await call("GET", "health");
  assert.equal(health.json.lastRuns.stalled, undefined, JSON.stringify(health.json));
  assert.deepEqual(
    health.json.runs.map((r: { status: string }) => r.status),
    ["succeeded"],
  );
});

test("a resubmission during a run: the run stops before queueing mails and ends superseded by the new version", async () => {
  const resubmitted = await submit(month(1, 1));
  assert.equal(resubmitted.status, 201, JSON.stringify(resubmitted.json));
  assert.equal(resubmitted.json.version, 2);
  // While the run writes its first document, another user submits version 3.
  duringWrite = async () => {
    const r = await submit(month(2, 2));
    assert.equal(r.status, 201, JSON.stringify(r.json));
  };
  const mailsBefore = (await call("GET", `companies/${company.id}/periods/${PERIOD}`)).json.mails.counts;
  const run = await runNow();
  assert.equal(run.json.status, "superseded", JSON.stringify(run.json));
  assert.match(run.json.reason, /la version 3 a été soumise pendant le traitement de la version 2/);
  const state = await call("GET", `companies/${company.id}/periods/${PERIOD}`);
  assert.equal(state.json.period.version, 3);
  assert.equal(state.json.period.status, "submitted");
  assert.deepEqual(state.json.mails.counts, mailsBefore, "no mail queued for the replaced version");
  assert.deepEqual(
    (await runRows()).filter((r) => r.status === "running"),
    [],
  );
  // The next run generates version 3.
  const next = await runNow();
  assert.equal(next.json.status, "generated", JSON.stringify(next.json));
  assert.equal(next.json.version, 3);
});

test("two concurrent resubmissions of the same version: one accepted, the other refused 409 in French", async () => {
  const [a, b] = await Promise.all([submit(month(3, 3)), submit(month(4, 3))]);
  const statuses = [a.status, b.status].sort();
  assert.deepEqual(statuses, [201, 409], JSON.stringify([a.json, b.json]));
  const [won, lost] = a.status === 201 ? [a, b] : [b, a];
  assert.equal(won.json.version, 4);
  assert.equal(lost.json.error.code, "STALE_VERSION");
  assert.match(lost.json.error.message, /^La période 2025-08 a été soumise à nouveau \(version 4\) depuis votre calcul \(version 3\) : rechargez/);
  // The stored version is the winner's, complete; the loser left no payslip rows behind.
  const state = await call("GET", `companies/${company.id}/periods/${PERIOD}`);
  assert.equal(state.json.period.version, 4);
  const expected = won === a ? 3 : 4;
  const d001 = state.json.payslips.find((p: { employeeId: string }) => p.employeeId === "D001");
  assert.equal(d001.grossCents, month(expected).results[0]!.gross);
  const sets = [...(await payslipsRepository(stack.services.storage).listSets(company.id, PERIOD)).keys()];
  assert.deepEqual(sets.map((s) => s.slice(0, 5)).sort(), ["v0001", "v0002", "v0003", "v0004"]);
});

test("a submission computed against an older version, or naming none, is refused 409 and stores nothing", async () => {
  for (const [body, message] of [
    [month(5, 2), /a été soumise à nouveau \(version 4\) depuis votre calcul \(version 2\)/],
    [month(5), /a été soumise \(version 4\) depuis votre calcul, fait quand rien n'était soumis/],
  ] as const) {
    const r = await submit(body);
    assert.equal(r.status, 409, JSON.stringify(r.json));
    assert.equal(r.json.error.code, "STALE_VERSION");
    assert.match(r.json.error.message, message);
    assert.deepEqual(r.json.error.details, [{ period: PERIOD, storedVersion: 4, replacesVersion: body.replacesVersion ?? 0 }]);
  }
  assert.equal((await call("GET", `companies/${company.id}/periods/${PERIOD}`)).json.period.version, 4);
  // The same input as the stored version is still a harmless no-op whatever version it names.
  const current = (await call("GET", `companies/${company.id}/periods/${PERIOD}`)).json.payslips.find((p: { employeeId: string }) => p.employeeId === "D001");
  const same = current.grossCents === month(3).results[0]!.gross ? month(3, 1) : month(4, 1);
  const again = await submit(same);
  assert.equal(again.status, 200, JSON.stringify(again.json));
  assert.equal(again.json.written, false);
});

test("a run that died holding the claim: later runs are superseded by it, health flags it stalled, the claim expires", async () => {
  // What a worker killed mid-run leaves behind: its run row "running" and its claim on the period (version 4).
  const periods = periodsRepository(stack.services.storage);
  clock = new Date(clock.getTime() + 60_000);
  const dead = await runsRepository(stack.services.storage).start(company.id, PERIOD, "payroll", clock);
  await periods.claim((await periods.get(company.id, PERIOD))!, dead.runId, clock);
  writes.clear();

  clock = new Date(clock.getTime() + 60_000);
  const blocked = await runNow();
  assert.equal(blocked.json.status, "superseded", JSON.stringify(blocked.json));
  assert.equal(blocked.json.supersededBy, dead.runId);
  assert.equal(writes.size, 0, "no document work without the claim");

  // The superseded row is newer, but health looks past it to the run that holds the period and died.
  clock = new Date(clock.getTime() + 15 * 60_000);
  const health = await call("GET", "health");
  assert.equal(health.json.lastRuns.stalled, 1, JSON.stringify(health.json));

  // The claim has expired: the next run takes the period, closes the dead run as failed naming itself, and generates.
  const next = await runNow();
  assert.equal(next.json.status, "generated", JSON.stringify(next.json));
  const rows = await runRows();
  const closed = rows.find((r) => r.runId === dead.runId)!;
  assert.equal(closed.status, "failed");
  assert.match(closed.error ?? "", new RegExp(`reprise par l'exécution ${next.json.runId}`));
  assert.deepEqual(
    rows.filter((r) => r.status === "running"),
    [],
  );
  assert.equal((await periods.get(company.id, PERIOD))!.claimedBy, next.json.runId);
});

/** The first time at or after `from` at which the firm's local clock reads 03:xx (the backup hour). */
function backupHourFrom(from: Date): Date {
  let t = new Date(Math.ceil(from.getTime() / 3_600_000) * 3_600_000);
  while (localParts(t, stack.services.config.timeZone).hour !== 3) t = new Date(t.getTime() + 3_600_000);
  return t;
}

async function payslipRowsInBackup(date: string): Promise<{ entities: number; sets: Set<string> }> {
  const container = backupContainer(stack.services.storage);
  const manifest = await readManifest(container, date);
  const gz = await container.getBlockBlobClient(`${date}/tables/payslips.jsonl.gz`).downloadToBuffer();
  const lines = gunzipSync(gz).toString("utf8").split("\n").filter(Boolean);
  const sets = new Set(lines.map((l) => (JSON.parse(l) as { rk: string }).rk.split("|")[0]!));
  assert.equal(lines.length, manifest.tables.find((t) => t.table === "payslips")!.entities);
  return { entities: lines.length, sets };
}

test("72 payslip rows stored, 6 reachable: after the retention period only the reachable ones remain, the backups still have them", async () => {
  assert.equal(stack.services.config.supersededRetentionDays, 400, "the default");
  const repo = payslipsRepository(stack.services.storage);
  // Resubmit until version 12: 12 versions of the 6 employees, as the issue found them.
  for (let version = 4; version < 12; version++) {
    clock = new Date(clock.getTime() + 60_000);
    const r = await submit(month(10 + version, version));
    assert.equal(r.status, 201, JSON.stringify(r.json));
  }
  const period = (await periodsRepository(stack.services.storage).get(company.id, PERIOD))!;
  assert.equal(period.version, 12);
  const count = async () => [...(await repo.listSets(company.id, PERIOD)).values()].reduce((a, b) => a + b, 0);
  assert.equal(await count(), 72);

  // The day after, and a day before the retention ends: backups are made, nothing is pruned.
  const submittedAt = Date.parse(period.submittedAt!);
  clock = backupHourFrom(new Date(submittedAt + 86_400_000));
  await stack.host.fire("daily-backup");
  assert.equal((await payslipRowsInBackup(localParts(clock, stack.services.config.timeZone).date)).entities, 72);
  clock = backupHourFrom(new Date(submittedAt + 398 * 86_400_000));
  await stack.host.fire("daily-backup");
  const beforeRetention = localParts(clock, stack.services.config.timeZone).date;
  assert.equal(await count(), 72, "not before the retention period");

  // Once 400 days have passed since version 12 superseded the others: the day's backup, then the pruning.
  clock = backupHourFrom(new Date(submittedAt + 400 * 86_400_000));
  await stack.host.fire("daily-backup");
  const day = localParts(clock, stack.services.config.timeZone).date;
  assert.deepEqual([...(await repo.listSets(company.id, PERIOD)).entries()], [[period.payslipSet, 6]]);
  const state = await call("GET", `companies/${company.id}/periods/${PERIOD}`);
  assert.equal(state.json.period.version, 12);
  assert.equal(state.json.payslips.length, 6, "the current version is whole");
  for (const date of [beforeRetention, day]) {
    const backup = await payslipRowsInBackup(date);
    assert.equal(backup.entities, 72, `backup ${date} still holds every superseded row`);
    assert.equal(backup.sets.size, 12);
  }
});
