import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import type { ContainerClient } from "@azure/storage-blob";
import { TableGrantsSource } from "../../functions/auth/index.ts";
import {
  applyRetention,
  backupAll,
  compareStorages,
  diffSnapshots,
  listBackups,
  restore,
  snapshotCounts,
  snapshotStorage,
} from "../../functions/backup/index.ts";
import {
  auditRepository,
  blobStore,
  companiesRepository,
  createStorage,
  documentPath,
  employeesRepository,
  mailsRepository,
  readCurrentPayslips,
  runsRepository,
  type Storage,
  StorageError,
  submitPeriod,
} from "../../functions/storage/index.ts";
import { type AzuriteHandle, startAzurite } from "../support/azurite.ts";

let data: AzuriteHandle;
let vault: AzuriteHandle;
let vaultContainer: ContainerClient;

const NOW = new Date("2026-06-30T01:15:00.000Z");
const connect = (h: AzuriteHandle) => createStorage(h.connectionString, { maxRetries: 1 });
/** A second, separate storage in the same Azurite: its own tables (prefix) and documents container. */
const connectAside = (h: AzuriteHandle, name: string) =>
  createStorage(h.connectionString, { maxRetries: 1, tablePrefix: name, documentsContainer: `${name}-documents` });

before(async () => {
  [data, vault] = await Promise.all([startAzurite(), startAzurite()]);
  vaultContainer = connect(vault).blobService.getContainerClient("backups");
});
after(async () => {
  await Promise.all([data?.stop(), vault?.stop()]);
});

async function populate(storage: Storage): Promise<void> {
  await storage.ensure();
  await companiesRepository(storage).create({
    id: "ACME",
    name: "ACME Monaco",
    address: "Monaco",
    ccssEmployerNumber: "0042",
    payrollDay: 25,
    emailDelayHours: 24,
    notificationRecipients: ["a@b.mc"],
    notifyOnSuccess: true,
    notifyOnFailure: true,
    notifyOnCasesToCheck: true,
    senderMailbox: "paie@b.mc",
    contracts: [],
    chartOfAccounts: null,
    paidLeaveSystem: "ouvres",
    settings: {},
    updatedAt: NOW.toISOString(),
    updatedBy: "test",
  });
  await employeesRepository(storage).putMany(
    Array.from({ length: 130 }, (_, i) => ({
      companyId: "ACME",
      employeeId: `E${i}`,
      lastName: "Dupré",
      firstName: "Zoë",
      active: true,
      hireDate: "2021-09-01",
      data: { grossMonthlyCents: 250_000 + i, remark: "entrée 😀" },
      updatedAt: NOW.toISOString(),
    })),
  );
  for (const period of ["2026-05", "2026-06"]) {
    await submitPeriod(storage, {
      companyId: "ACME",
      period,
      input: { period },
      submittedBy: "marie",
      now: NOW,
      replacesVersion: 0,
      payslips: Array.from({ length: 130 }, (_, i) => ({
        employeeId: `E${i}`,
        result: { gross: 250_000 + i, text: "x".repeat(2000) },
        carry: { g: i },
        grossCents: 3_000_000_000 + i,
      })),
    });
  }
  await mailsRepository(storage).enqueue("ACME", "2026-06", [
    { companyId: "ACME", period: "2026-06", employeeId: "E1", recipient: "e1@acme.mc", version: 1, dueAt: NOW.toISOString() },
  ]);
  const run = await runsRepository(storage).start("ACME", "2026-06", "generate", NOW);
  await runsRepository(storage).finish(run, { status: "succeeded", now: NOW, counts: { payslips: 130 } });
  await auditRepository(storage).append({
    companyId: "ACME",
    at: NOW.toISOString(),
    actor: "marie",
    action: "period.submit",
    target: "2026-06",
    after: { v: 1 },
  });
  // Who may see which company is part of what a restore must bring back.
  await new TableGrantsSource(storage.table("grants")).grant("11111111-2222-3333-4444-555555555555", "ACME", "marie");
  // A document code as stored (the ciphertext only): losing it would lock the employee out of their payslips.
  await storage.table("documentcodes").createEntity({
    partitionKey: "ACME",
    rowKey: "E1",
    companyId: "ACME",
    employeeId: "E1",
    code: `enc:v1:k1:${"A".repeat(16)}:${"B".repeat(22)}:${"C".repeat(40)}`,
    issuedAt: NOW.toISOString(),
    generation: 1,
  });
  // Every EDM type, written raw: the backup must bring each one back with its exact type.
  await storage.table("runs").createEntity({
    partitionKey: "edm",
    rowKey: "all-types",
    s: "chaîne",
    i32: 42,
    b: true,
    d: { value: 1.5, type: "Double" },
    i64: { value: "123456789012", type: "Int64" },
    dt: { value: "2026-06-30T01:15:00.1234567Z", type: "DateTime" },
    g: { value: "3f2504e0-4f89-11d3-9a0c-0305e82c3301", type: "Guid" },
    bin: new Uint8Array([0, 1, 2, 254, 255]),
  });
  const docs = blobStore(storage);
  await docs.put(documentPath("ACME", "2026-06", 1, { kind: "payslip", employeeId: "E1" }), randomBytes(20_000));
  await docs.put(documentPath("ACME", "2026-06", 1, { kind: "journal", format: "csv" }), Buffer.from("Matricule;Brut\nE1;2 500,01 €\n", "utf8"));
  await docs.put(documentPath("ACME", "2026-06", 1, { kind: "dsm" }), Buffer.from("<dsm/>"));
}

test("backup → restore elsewhere → identical; a single difference is detected; non-empty target refused", async () => {
  const source = connect(data);
  await populate(source);
  const manifest = await backupAll(source, { now: NOW, target: vaultContainer });
  assert.equal(manifest.date, "2026-06-30");
  const byTable = Object.fromEntries(manifest.tables.map((t) => [t.table, t.entities]));
  assert.deepEqual(byTable, {
    companies: 1,
    employees: 130,
    documentcodes: 1,
    periods: 2,
    payslips: 260,
    mails: 1,
    runs: 2,
    audit: 1,
    grants: 1,
    parameters: 0,
  });
  assert.equal(manifest.blobs.length, 3);
  assert.ok(manifest.tables.every((t) => /^[0-9a-f]{64}$/.test(t.sha256) && t.path.startsWith("2026-06-30/tables/")));

  const copy = connectAside(data, "copy");
  const report = await restore(copy, "2026-06-30", { source: vaultContainer });
  assert.equal(report.entities.payslips, 260);
  assert.equal(report.blobs, 3);
  assert.deepEqual(await compareStorages(source, copy), []);

  // Exact types survive: Int64 comes back as bigint, Double as 1.5, DateTime with its 7 decimals.
  const edm = await copy.table("runs").getEntity<Record<string, unknown>>("edm", "all-types", { disableTypeConversion: true });
  assert.deepEqual(edm.i64, { value: "123456789012", type: "Int64" });
  assert.deepEqual(edm.dt, { value: "2026-06-30T01:15:00.1234567Z", type: "DateTime" });
  assert.equal((await copy.table("runs").getEntity("edm", "all-types")).d, 1.5);

  // The comparison is sensitive to a type change alone, and to a missing document.
  await copy.table("runs").updateEntity({ partitionKey: "edm", rowKey: "all-types", i64: { value: "123456789012", type: "String" } }, "Merge");
  await blobStore(copy).delete(documentPath("ACME", "2026-06", 1, { kind: "dsm" }));
  const diff = await compareStorages(source, copy);
  assert.deepEqual(diff.sort(), ["document : « companies/ACME/2026-06/v1/dsm.xml » absent du second stockage", "table runs : « edm / all-types » diffère"]);

  await assert.rejects(
    restore(copy, "2026-06-30", { source: vaultContainer }),
    (e: unknown) =>
      e instanceof StorageError &&
      e.code === "not-empty" &&
      /Restauration refusée : le stockage cible n'est pas vide \(table « copycompanies »/.test(e.message),
  );
});

test("backup → wipe (Azurite restarted) → restore → equal to before, entities and documents", async () => {
  const before = await snapshotStorage(connect(data));
  assert.equal(snapshotCounts(before).payslips, 260);
  await data.restart();
  const wiped = connect(data);
  assert.equal(snapshotCounts(await snapshotStorage(wiped)).payslips, 0);

  await restore(wiped, "2026-06-30", { source: vaultContainer });
  assert.deepEqual(diffSnapshots(before, await snapshotStorage(wiped)), []);
  // And the restored data reads back through the repositories.
  const current = await readCurrentPayslips(wiped, "ACME", "2026-06");
  assert.equal(current.payslips.length, 130);
  assert.equal(current.payslips[0]?.grossCents, 3_000_000_000);
  assert.equal(
    (await blobStore(wiped).get(documentPath("ACME", "2026-06", 1, { kind: "journal", format: "csv" })))?.bytes.toString("utf8"),
    "Matricule;Brut\nE1;2 500,01 €\n",
  );
});

test("a tampered or unfinished backup is refused before anything is written", async () => {
  const empty = connectAside(data, "empty");
  const day = "2026-06-30";
  const file = `${day}/tables/employees.jsonl.gz`;
  const original = await vaultContainer.getBlockBlobClient(file).downloadToBuffer();
  await vaultContainer.getBlockBlobClient(file).uploadData(Buffer.concat([original, Buffer.from([0])]));
  try {
    await assert.rejects(restore(empty, day, { source: vaultContainer }), /altérée : l'empreinte sha256 de « 2026-06-30\/tables\/employees.jsonl.gz »/);
    assert.equal(snapshotCounts(await snapshotStorage(empty)).companies, 0);
  } finally {
    await vaultContainer.getBlockBlobClient(file).uploadData(original);
  }
  await assert.rejects(restore(empty, "2026-07-01", { source: vaultContainer }), /Aucune sauvegarde complète du 2026-07-01/);
});

test("retention deletes only backups strictly older than the setting", async () => {
  const storage = connect(data);
  const target = connect(vault).blobService.getContainerClient("retention");
  const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000);
  for (const n of [0, 89, 90, 91, 200]) await backupAll(storage, { now: daysAgo(n), target });
  await target.getBlockBlobClient("notes/readme.txt").uploadData(Buffer.from("pas une sauvegarde"));

  const report = await applyRetention(storage, { now: NOW, days: 90, target });
  assert.deepEqual(report.deleted, ["2025-12-12", "2026-03-31"]);
  assert.deepEqual(report.kept, ["2026-04-01", "2026-04-02", "2026-06-30"]);
  assert.deepEqual(await listBackups(target), ["2026-04-01", "2026-04-02", "2026-06-30"]);
  assert.equal(await target.getBlockBlobClient("notes/readme.txt").exists(), true);
  assert.equal((await applyRetention(storage, { now: NOW, target })).deleted.length, 0, "a second run has nothing left to delete");
});
