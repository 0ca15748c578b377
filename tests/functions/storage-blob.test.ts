import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { before, test } from "node:test";
import { blobStore, documentPath, type Storage, StorageError, versionPrefix } from "../../functions/storage/index.ts";
import { startAzuriteStorage } from "../support/storage.ts";

const az = startAzuriteStorage();
let storage: Storage;
before(async () => {
  storage = await az.ready;
});

test("documents: put with content type and sha256, get, list by version, overwrite on regeneration, delete", async () => {
  const docs = blobStore(storage);
  const pdf = randomBytes(50_000);
  const path = documentPath("ACME", "2026-03", 1, { kind: "payslip", employeeId: "E001" });
  const put = await docs.put(path, pdf);
  assert.deepEqual(put, { path, size: 50_000, contentType: "application/pdf", sha256: createHash("sha256").update(pdf).digest("hex") });
  await docs.put(documentPath("ACME", "2026-03", 1, { kind: "journal", format: "xlsx" }), Buffer.from("xlsx"));
  await docs.put(documentPath("ACME", "2026-03", 1, { kind: "dsm" }), Buffer.from("<dsm/>"));
  await docs.put(documentPath("ACME", "2026-03", 2, { kind: "dsm" }), Buffer.from("<dsm v='2'/>"));

  const got = await docs.get(path);
  assert.ok(got);
  assert.ok(got.bytes.equals(pdf));
  assert.equal(got.contentType, "application/pdf");

  const v1 = await docs.list(versionPrefix("ACME", "2026-03", 1));
  assert.deepEqual(
    v1.map((b) => [b.path.slice("companies/ACME/2026-03/v1/".length), b.contentType]),
    [
      ["dsm.xml", "application/xml"],
      ["journal.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
      ["payslips/E001.pdf", "application/pdf"],
    ],
  );
  assert.ok(v1.every((b) => /^[0-9a-f]{64}$/.test(b.sha256)));

  // Regenerating version 1 overwrites its blobs; version 2's stay untouched.
  await docs.put(documentPath("ACME", "2026-03", 1, { kind: "dsm" }), Buffer.from("<dsm regenerated/>"));
  assert.equal((await docs.get(documentPath("ACME", "2026-03", 1, { kind: "dsm" })))?.bytes.toString(), "<dsm regenerated/>");
  assert.equal((await docs.get(documentPath("ACME", "2026-03", 2, { kind: "dsm" })))?.bytes.toString(), "<dsm v='2'/>");

  assert.equal(await docs.delete(path), true);
  assert.equal(await docs.delete(path), false);
  assert.equal(await docs.get(path), undefined);
  assert.equal(await docs.deletePrefix(versionPrefix("ACME", "2026-03", 1)), 2);
  assert.deepEqual(
    (await docs.list("companies/ACME/")).map((b) => b.path),
    ["companies/ACME/2026-03/v2/dsm.xml"],
  );
});

test("a document altered behind our back is refused on read", async () => {
  const docs = blobStore(storage);
  const path = documentPath("ACME", "2026-04", 1, { kind: "charges", format: "pdf" });
  const stored = await docs.put(path, Buffer.from("original"));
  // Same metadata, different bytes: what a manual edit or a partial copy would leave.
  await docs.container.getBlockBlobClient(path).uploadData(Buffer.from("altered!"), { metadata: { sha256: stored.sha256 } });
  await assert.rejects(
    docs.get(path),
    (e: unknown) => e instanceof StorageError && e.code === "corrupt" && /Document altéré « companies\/ACME\/2026-04\/v1\/charges.pdf »/.test(e.message),
  );
});
