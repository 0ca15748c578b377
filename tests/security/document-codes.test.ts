/**
 * Document codes on a real Azurite: the `documentcodes` table holds only ciphertexts (never the code), issuing is
 * idempotent and race-safe, rotation gives a new code and is audited with who asked, the audit never carries a code,
 * a ciphertext moved to another employee does not decrypt, and a backup carries the table.
 */

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { TableClient } from "@azure/data-tables";
import { BACKUP_TABLE_ORDER } from "../../functions/backup/index.ts";
import { loadDocumentFonts } from "../../functions/documents/fonts.ts";
import { protectedMailAttachment } from "../../functions/documents/payslip-protection.ts";
import { sealPdf } from "../../functions/documents/seal.ts";
import { bindDataKeys, createDataKeyRing, EncryptedFieldError } from "../../functions/security/index.ts";
import {
  DOCUMENT_CODE_PATTERN,
  DocumentCodeError,
  ensureDocumentCode,
  readDocumentCode,
  rotateDocumentCode,
} from "../../functions/security/payslip-secrets.ts";
import { ephemeralSealKey } from "../../functions/security/seal-key.ts";
import { auditRepository, blobStore, createStorage, type Storage } from "../../functions/storage/index.ts";
import { renderPayslipPdf } from "../../shared/documents/payslip.ts";
import { company, employees } from "../documents/fixtures/identities.ts";
import { bs202508a } from "../documents/fixtures/payslips.ts";
import { type AzuriteHandle, startAzurite } from "../support/azurite.ts";

let azurite: AzuriteHandle;
let n = 0;
const ring = createDataKeyRing({ k1: randomBytes(32).toString("base64") }, "k1");
const now = new Date("2025-08-25T06:00:00Z");

function storage(withKeys = true): Storage {
  const s = createStorage(azurite.connectionString, { tablePrefix: `codes${++n}${randomBytes(3).toString("hex")}`, maxRetries: 1 });
  if (withKeys) bindDataKeys(s, ring);
  return s;
}
const raw = (s: Storage) => TableClient.fromConnectionString(azurite.connectionString, s.tableName("documentcodes"), { allowInsecureConnection: true });

before(async () => {
  azurite = await startAzurite();
});
after(async () => {
  await azurite?.stop();
});

test("a code is issued once, stored encrypted, read back; the table and the audit never hold it in clear", async () => {
  const s = storage();
  await s.ensure();
  const first = await ensureDocumentCode(s, "ACME", "E001", { actor: "marie@cabinet.mc", now });
  assert.equal(first.issued, true);
  assert.match(first.code, DOCUMENT_CODE_PATTERN);
  const again = await ensureDocumentCode(s, "ACME", "E001", { actor: "timer:mail-dispatcher", now });
  assert.equal(again.issued, false);
  assert.equal(again.code, first.code);
  assert.equal((await readDocumentCode(s, "ACME", "E001"))?.code, first.code);

  const row = await raw(s).getEntity<Record<string, unknown>>("ACME", "E001");
  assert.match(String(row.code), /^enc:v1:k1:/);
  const everything = JSON.stringify(row);
  assert.ok(!everything.includes(first.code) && !everything.includes(first.code.replace(/-/g, "")), "code in clear in the table");

  const audit = await auditRepository(s).list("ACME");
  assert.deepEqual(
    audit.map((a) => a.action),
    ["document-code.issued"],
    "issued once, audited once",
  );
  assert.equal(audit[0]!.actor, "marie@cabinet.mc");
  assert.ok(!JSON.stringify(audit).includes(first.code));
});

test("two first uses at once get the same code", async () => {
  const s = storage();
  await s.ensure();
  const both = await Promise.all([1, 2, 3].map(() => ensureDocumentCode(s, "ACME", "E002", { actor: "t", now })));
  assert.equal(new Set(both.map((c) => c.code)).size, 1);
  assert.equal(both.filter((c) => c.issued).length, 1);
  assert.equal((await auditRepository(s).list("ACME")).filter((a) => a.action === "document-code.issued").length, 1);
});

test("rotation: a new code, the old one gone, audited with who asked and why (never the codes)", async () => {
  const s = storage();
  await s.ensure();
  const first = await ensureDocumentCode(s, "ACME", "E003", { actor: "t", now });
  await assert.rejects(rotateDocumentCode(s, "ACME", "E003", { actor: "marie", now, reason: "  " }), DocumentCodeError);
  const later = new Date(now.getTime() + 86_400_000);
  const rotated = await rotateDocumentCode(s, "ACME", "E003", { actor: "marie@cabinet.mc", now: later, reason: "code perdu (demande du salarié)" });
  assert.notEqual(rotated.code, first.code);
  assert.equal(rotated.generation, 2);
  const current = await readDocumentCode(s, "ACME", "E003");
  assert.equal(current?.code, rotated.code);
  assert.equal(current?.issuedAt, later.toISOString());
  const entry = (await auditRepository(s).list("ACME")).find((a) => a.action === "document-code.rotated");
  assert.ok(entry);
  assert.equal(entry.actor, "marie@cabinet.mc");
  assert.deepEqual(entry.after, { generation: 2, reason: "code perdu (demande du salarié)" });
  const text = JSON.stringify(await auditRepository(s).list("ACME"));
  assert.ok(!text.includes(first.code) && !text.includes(rotated.code));
});

test("a ciphertext copied to another employee does not decrypt; no data key, no code stored", async () => {
  const s = storage();
  await s.ensure();
  await ensureDocumentCode(s, "ACME", "E004", { actor: "t", now });
  const row = await raw(s).getEntity<Record<string, unknown>>("ACME", "E004");
  const { etag: _e, timestamp: _t, ...rest } = row;
  await raw(s).upsertEntity({ ...rest, partitionKey: "ACME", rowKey: "E005", employeeId: "E005" }, "Replace");
  await assert.rejects(readDocumentCode(s, "ACME", "E005"), (e: unknown) => e instanceof EncryptedFieldError && /copiée/.test(e.message));

  const keyless = storage(false);
  await keyless.ensure();
  await assert.rejects(ensureDocumentCode(keyless, "ACME", "E006", { actor: "t", now }), /jamais stocké en clair/);
  const left = [];
  for await (const e of raw(keyless).listEntities()) left.push(e);
  assert.equal(left.length, 0);
});

test("the backup carries the documentcodes table (losing it would lock every employee out of their payslips)", () => {
  assert.ok(BACKUP_TABLE_ORDER.includes("documentcodes"));
});

test("the mailed attachment opens with the employee's current code: after a rotation, the new one and not the old", async () => {
  const s = storage();
  await s.ensure();
  const { key } = await ephemeralSealKey("Cachet de test (rotation)");
  const documents = blobStore(s);
  const plain = await renderPayslipPdf({ result: bs202508a, employee: employees.find((e) => e.id === bs202508a.employeeId)!, company }, loadDocumentFonts());
  const path = "companies/ACME/2025-08/v1/payslips/E007.pdf";
  await documents.put(path, await sealPdf(plain, key, { signingTime: now }), "application/pdf");
  const services = { storage: s, documents, sealKey: () => key, now: () => now };
  const job = {
    id: "ACME|2025-08|E007",
    companyId: "ACME",
    period: "2025-08",
    employeeId: "E007",
    status: "sending" as const,
    dueAt: now.toISOString(),
    recipient: "e7@acme.mc",
    attempts: 0,
    companyName: "ACME",
    documentPath: path,
  };
  const opens = (pdf: Uint8Array, password: string) => spawnSync("pdftotext", ["-upw", password, "-", "-"], { input: pdf }).status === 0;

  const first = await protectedMailAttachment(services, job);
  const code1 = (await readDocumentCode(s, "ACME", "E007"))!.code;
  assert.ok(opens(first, code1));
  const rotated = await rotateDocumentCode(s, "ACME", "E007", { actor: "marie", now, reason: "code divulgué" });
  const second = await protectedMailAttachment(services, job);
  assert.ok(opens(second, rotated.code));
  assert.ok(!opens(second, code1), "the old code still opens the new mail");
  assert.ok(opens(first, code1), "a PDF already received keeps its code");
});
