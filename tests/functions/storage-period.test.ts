import assert from "node:assert/strict";
import { before, test } from "node:test";
import {
  ConcurrencyError,
  createStorage,
  payslipsRepository,
  periodsRepository,
  pruneSupersededPayslips,
  readCurrentPayslips,
  replaceIfMatch,
  StaleSubmissionError,
  type Storage,
  StorageError,
  type StorageOptions,
  type SubmittedPayslip,
  submitPeriod,
  upsertAll,
} from "../../functions/storage/index.ts";
import { startAzuriteStorage } from "../support/storage.ts";

const az = startAzuriteStorage();
let storage: Storage;
before(async () => {
  storage = await az.ready;
});

/** A payslip result shaped like the engine's (~2 KB of JSON), amounts in integer cents. */
function payslip(i: number, grossCents: number): SubmittedPayslip {
  const lines = Array.from({ length: 12 }, (_, k) => ({
    code: `C${100 + k}`,
    label: `Cotisation n°${k} — Caisse de retraite`,
    organism: k % 2 ? "CCSS" : "CAR",
    base: grossCents,
    employeeRate: 685 * k,
    employeeAmount: Math.round((grossCents * k) / 1000),
    explanation: "base plafonnée au plafond CAR",
  }));
  return {
    employeeId: `E${String(i).padStart(4, "0")}`,
    result: { employeeId: `E${String(i).padStart(4, "0")}`, gross: grossCents, lines },
    carry: { grossCents: grossCents * 3, leaveDays: 62500 },
    grossCents,
    netCents: Math.round(grossCents * 0.8),
    employerCostCents: Math.round(grossCents * 1.4),
  };
}

const submission = (period: string, count: number, gross: number, by = "marie@cabinet.mc", replacesVersion = 0) => ({
  companyId: "ACME",
  period,
  input: { period, employees: Array.from({ length: count }, (_, i) => ({ id: i, gross })) },
  payslips: Array.from({ length: count }, (_, i) => payslip(i, gross + i)),
  submittedBy: by,
  now: new Date("2026-03-20T10:00:00.000Z"),
  replacesVersion,
});

test("250 payslips of one period are written in 3 transactions (3 storage requests)", async () => {
  storage.requests.reset();
  const rows = submission("2026-01", 250, 300_000).payslips.map((p) => ({
    companyId: "ACME",
    period: "2026-01",
    employeeId: p.employeeId,
    version: 1,
    payslipSet: "v0001.00000000",
    result: p.result,
    carry: p.carry,
    computedAt: "2026-03-20T10:00:00.000Z",
  }));
  const report = await payslipsRepository(storage).writeMany(rows);
  assert.deepEqual(report, { operations: 250, transactions: 3 });
  assert.equal(storage.requests.total, 3);
  assert.equal((await payslipsRepository(storage).listSet("ACME", "2026-01", "v0001.00000000")).length, 250);
});

test("101 operations in one partition → two transactions; writing the same thing twice leaves the same state", async () => {
  const client = storage.table("runs");
  const entities = Array.from({ length: 101 }, (_, i) => ({ partitionKey: "chunking", rowKey: `r${String(i).padStart(3, "0")}`, n: i }));
  storage.requests.reset();
  assert.deepEqual(await upsertAll(client, entities), { operations: 101, transactions: 2 });
  assert.equal(storage.requests.total, 2);
  const snapshot = async () => {
    const out: string[] = [];
    for await (const e of client.listEntities({ queryOptions: { filter: "PartitionKey eq 'chunking'" } })) out.push(`${e.rowKey}=${String(e.n)}`);
    return out;
  };
  const first = await snapshot();
  await upsertAll(client, entities);
  assert.deepEqual(await snapshot(), first);
  assert.equal(first.length, 101);
});

test("large payslips are cut by body size, not only by count: 100 × ~45 KB in one partition → 2 transactions, all stored", async () => {
  const rows = Array.from({ length: 100 }, (_, i) => ({
    companyId: "ACME",
    period: "2025-12",
    employeeId: `E${i}`,
    version: 1,
    payslipSet: "v0001.0000beef",
    result: { detail: Array.from({ length: 600 }, (_, k) => ({ code: `R${k}`, label: "Indemnité « congés payés » é", amount: k })) },
    carry: {},
    computedAt: "2026-03-20T10:00:00.000Z",
  }));
  const repo = payslipsRepository(storage);
  const entity = repo.entityOf(rows[0]!);
  assert.ok(Buffer.byteLength(JSON.stringify(entity)) > 40_000, "each entity must be large for this test to mean anything");
  storage.requests.reset();
  const report = await repo.writeMany(rows);
  assert.equal(report.transactions, 2);
  assert.equal(storage.requests.total, 2);
  const back = await repo.listSet("ACME", "2025-12", "v0001.0000beef");
  assert.equal(back.length, 100);
  assert.deepEqual(back.find((p) => p.employeeId === "E42")?.result, rows[42]!.result);
});

test("ETag-guarded replace raises ConcurrencyError on 412", async () => {
  const client = storage.table("runs");
  const created = await client.upsertEntity({ partitionKey: "etag", rowKey: "one", n: 1 }, "Replace");
  await client.upsertEntity({ partitionKey: "etag", rowKey: "one", n: 2 }, "Replace");
  await assert.rejects(
    replaceIfMatch(client, { partitionKey: "etag", rowKey: "one", n: 3 }, created.etag!),
    (e: unknown) => e instanceof ConcurrencyError && e.rowKey === "one" && /modifiée par quelqu'un d'autre/.test(e.message),
  );
  assert.equal((await client.getEntity("etag", "one")).n, 2);
});

test("submit, idempotent re-submit, new version on changed input; readers see only the current version", async () => {
  const first = await submitPeriod(storage, submission("2026-03", 120, 300_000));
  assert.equal(first.written, true);
  assert.equal(first.period.version, 1);
  assert.equal(first.period.status, "submitted");
  assert.deepEqual(first.batch, { operations: 120, transactions: 2 });
  assert.equal(
    first.period.grossCents,
    Array.from({ length: 120 }, (_, i) => 300_000 + i).reduce((a, b) => a + b, 0),
  );

  storage.requests.reset();
  const again = await submitPeriod(storage, submission("2026-03", 120, 300_000));
  assert.equal(again.written, false);
  assert.equal(again.period.version, 1);
  assert.equal(again.period.etag, first.period.etag);
  assert.equal(storage.requests.total, 1, "a repeated submission only reads the period row");

  const second = await submitPeriod(storage, submission("2026-03", 110, 310_000, undefined, 1));
  assert.equal(second.period.version, 2);
  const current = await readCurrentPayslips(storage, "ACME", "2026-03");
  assert.equal(current.payslips.length, 110);
  assert.ok(current.payslips.every((p) => p.version === 2 && (p.result as { gross: number }).gross >= 310_000));
  // Version 1 is still stored (until pruned) but never returned to readers.
  assert.equal((await payslipsRepository(storage).listSets("ACME", "2026-03")).size, 2);
});

/** A pipeline policy that makes writes to the periods table fail, as a storage outage would. */
function failingPeriodWrites(): { options: StorageOptions; arm(): void } {
  let armed = false;
  return {
    arm: () => (armed = true),
    options: {
      maxRetries: 0,
      additionalPolicies: [
        {
          position: "perCall",
          policy: {
            name: "injectPeriodWriteFailure",
            async sendRequest(request, next) {
              if (armed && request.method !== "GET" && /\/periods\(/.test(request.url)) {
                throw Object.assign(new Error("injected: storage unavailable"), { statusCode: 503 });
              }
              return next(request);
            },
          },
        },
      ],
    },
  };
}

test("a failure between the payslip rows and the period row leaves the previous version readable", async () => {
  const v1 = await submitPeriod(storage, submission("2026-04", 30, 250_000));
  const before = await readCurrentPayslips(storage, "ACME", "2026-04");

  const fault = failingPeriodWrites();
  const flaky = createStorage(az.azurite.connectionString, fault.options);
  fault.arm();
  await assert.rejects(submitPeriod(flaky, submission("2026-04", 35, 260_000, undefined, 1)), /injected/);

  // The new rows were written…
  const sets = await payslipsRepository(storage).listSets("ACME", "2026-04");
  assert.equal(sets.size, 2);
  // …but readers still get version 1, complete and unchanged.
  const after = await readCurrentPayslips(storage, "ACME", "2026-04");
  assert.equal(after.period.version, 1);
  assert.equal(after.period.etag, v1.period.etag);
  assert.deepEqual(after.payslips, before.payslips);

  // Retrying once storage is healthy produces version 2, and pruning removes both leftovers.
  const retried = await submitPeriod(storage, submission("2026-04", 35, 260_000, undefined, 1));
  assert.equal(retried.period.version, 2);
  assert.equal((await readCurrentPayslips(storage, "ACME", "2026-04")).payslips.length, 35);
  // Both leftovers are unreachable; with no retention asked, both go at once.
  const pruned = await pruneSupersededPayslips(storage, "ACME", "2026-04", { now: new Date("2026-03-20T10:00:00.000Z"), retentionDays: 0 });
  assert.equal(pruned.rows, 30 + 35);
  assert.deepEqual([...(await payslipsRepository(storage).listSets("ACME", "2026-04")).entries()], [[retried.period.payslipSet, 35]]);
});

test("two concurrent submissions replacing the same version: one wins, the other is refused as stale, readers never see a mix", async () => {
  await submitPeriod(storage, submission("2026-05", 20, 200_000));
  // Both period-row writes are held until both have arrived, so both submitters surely read version 1
  // and wrote all their payslip rows first: the race is forced, not left to timing.
  let arrived = 0;
  let release!: () => void;
  const barrier = new Promise<void>((resolve) => (release = resolve));
  const racing = createStorage(az.azurite.connectionString, {
    maxRetries: 0,
    additionalPolicies: [
      {
        position: "perCall",
        policy: {
          name: "barrierOnPeriodWrites",
          async sendRequest(request, next) {
            if (request.method !== "GET" && /\/periods\(/.test(request.url)) {
              if (++arrived === 2) release();
              await barrier;
            }
            return next(request);
          },
        },
      },
    ],
  });
  const results = await Promise.allSettled([
    submitPeriod(racing, submission("2026-05", 150, 210_000, "a", 1)),
    submitPeriod(racing, submission("2026-05", 140, 220_000, "b", 1)),
  ]);
  assert.equal(arrived, 2);
  const won = results.filter((r) => r.status === "fulfilled");
  assert.equal(won.length, 1);
  // The loser is told which version it would have replaced without seeing it, and its rows are already gone.
  const lost = (results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason;
  assert.ok(lost instanceof StaleSubmissionError, String(lost));
  assert.equal(lost.storedVersion, 2);
  assert.match(lost.message, /La période 2026-05 a été soumise à nouveau \(version 2\) depuis votre calcul \(version 1\)/);
  assert.equal((await payslipsRepository(storage).listSets("ACME", "2026-05")).size, 2, "version 1 and the winner's set only");
  const current = await readCurrentPayslips(storage, "ACME", "2026-05");
  const base = current.period.submittedBy === "a" ? 210_000 : 220_000;
  assert.equal(current.payslips.length, current.period.submittedBy === "a" ? 150 : 140);
  assert.ok(current.payslips.every((p, i) => (p.result as { gross: number }).gross === base + i));
});

test("no resubmission once payslips were mailed; duplicate matricules are refused", async () => {
  const s = await submitPeriod(storage, submission("2026-06", 3, 200_000));
  const periods = periodsRepository(storage);
  const generated = await periods.transition(s.period, "generated", { generatedAt: "2026-03-25T02:30:00.000Z", updatedAt: "2026-03-25T02:30:00.000Z" });
  await periods.transition(generated, "mailed", { mailedAt: "2026-03-27T08:00:00.000Z", updatedAt: "2026-03-27T08:00:00.000Z" });
  await assert.rejects(
    submitPeriod(storage, submission("2026-06", 4, 200_000, undefined, 1)),
    (e: unknown) => e instanceof StorageError && e.code === "transition",
  );
  // The identical input is still a harmless no-op.
  assert.equal((await submitPeriod(storage, submission("2026-06", 3, 200_000))).written, false);
  const dup = submission("2026-07", 2, 1);
  dup.payslips[1]!.employeeId = dup.payslips[0]!.employeeId;
  await assert.rejects(submitPeriod(storage, dup), /apparaît deux fois/);
});

test("a submission replacing a version that is no longer the stored one is refused before anything is written", async () => {
  await submitPeriod(storage, submission("2026-08", 4, 200_000));
  await submitPeriod(storage, submission("2026-08", 5, 200_000, undefined, 1));
  const before = await payslipsRepository(storage).listSets("ACME", "2026-08");
  for (const [replaces, pattern] of [
    [1, /soumise à nouveau \(version 2\) depuis votre calcul \(version 1\)/],
    [0, /soumise \(version 2\) depuis votre calcul, fait quand rien n'était soumis/],
    [7, /n'a pas de version 7 \(version enregistrée : 2\)/],
  ] as const) {
    await assert.rejects(
      submitPeriod(storage, submission("2026-08", 6, 200_000, undefined, replaces)),
      (e: unknown) => e instanceof StaleSubmissionError && pattern.test(e.message),
    );
  }
  assert.deepEqual(await payslipsRepository(storage).listSets("ACME", "2026-08"), before, "no payslip row written");
  assert.equal((await periodsRepository(storage).get("ACME", "2026-08"))?.version, 2);
  // Replacing the stored version is accepted.
  assert.equal((await submitPeriod(storage, submission("2026-08", 6, 200_000, undefined, 2))).period.version, 3);
});
