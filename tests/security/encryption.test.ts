/**
 * Personal data encrypted at rest, on a real Azurite: the raw table holds no clear CCSS number, birth date or IBAN;
 * values round-trip; rotation keeps old values readable and reencryptAll moves them to the current key; a tampered
 * or moved ciphertext, an unknown key and a missing key are refused with a clear French error.
 */

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { TableClient } from "@azure/data-tables";
import { reencryptCommand } from "../../bin/reencrypt.ts";
import { createServices } from "../../functions/app/services.ts";
import {
  bindDataKeys,
  createDataKeyRing,
  DataKeyConfigError,
  type DataKeyRing,
  EncryptedFieldError,
  keyIdOf,
  readDataKeys,
  reencryptAll,
} from "../../functions/security/index.ts";
import { createStorage, type Employee, employeesRepository, type Storage, StorageError } from "../../functions/storage/index.ts";
import { type AzuriteHandle, startAzurite } from "../support/azurite.ts";

let azurite: AzuriteHandle;
let n = 0;
const b64 = () => randomBytes(32).toString("base64");
const K1 = b64();
const K2 = b64();
const ring1 = createDataKeyRing({ k1: K1 }, "k1");
const ring12 = createDataKeyRing({ k1: K1, k2: K2 }, "k2");

const CCSS = "731904";
const BIRTH = "1984-02-29";
const IBAN = "MC5811222000010123456789030";

/** A fresh table prefix per test: tests share one Azurite and never see each other's rows. */
function storage(ring?: DataKeyRing): Storage {
  const s = createStorage(azurite.connectionString, { tablePrefix: `enc${++n}${randomBytes(3).toString("hex")}`, maxRetries: 1 });
  if (ring) bindDataKeys(s, ring);
  return s;
}

const employee = (id: string, extra: Record<string, unknown> = {}): Employee => ({
  companyId: "ACME",
  employeeId: id,
  lastName: "Grimaldi",
  firstName: "Louise",
  email: "louise.grimaldi@acme.mc",
  active: true,
  hireDate: "2020-01-06",
  data: { job: "Comptable", ccssNumber: CCSS, birthDate: BIRTH, iban: IBAN, bic: "CMCIMCM1XXX", sex: "F", ...extra },
  updatedAt: "2026-01-01T00:00:00.000Z",
});

function bare(s: Storage): TableClient {
  return TableClient.fromConnectionString(azurite.connectionString, s.tableName("employees"), { allowInsecureConnection: true });
}

/** Writes a raw row behind the repository's back (tampering, moving, legacy rows). */
async function rewrite(s: Storage, e: Record<string, unknown>) {
  const { etag: _e, timestamp: _t, ...rest } = e;
  await bare(s).upsertEntity({ ...rest, partitionKey: String(e.partitionKey), rowKey: String(e.rowKey) }, "Replace");
}

async function rawRow(s: Storage, id: string) {
  return bare(s).getEntity<Record<string, unknown>>("ACME", id);
}

/** The data JSON as stored (the codec splits it into data_0…data_{n-1}). */
function storedData(raw: Record<string, unknown>): Record<string, unknown> {
  let text = "";
  for (let i = 0; i < Number(raw.data_n); i++) text += raw[`data_${i}`];
  return JSON.parse(text);
}

before(async () => {
  azurite = await startAzurite();
});
after(async () => {
  await azurite?.stop();
});

test("the raw entity holds no clear CCSS number, birth date or IBAN; the repository reads them back", async () => {
  const s = storage(ring1);
  await s.ensure();
  const repo = employeesRepository(s);
  await repo.put(employee("E001"));
  await repo.putMany([employee("E002"), employee("E003", { ccssNumber: 412345 })]);

  for (const id of ["E001", "E002", "E003"]) {
    const raw = await rawRow(s, id);
    const text = JSON.stringify(raw);
    for (const secret of [CCSS, "412345", BIRTH, IBAN, "29/02/1984", "CMCIMCM1XXX"]) assert.ok(!text.includes(secret), `${secret} in clear in ${id}: ${text}`);
    const data = storedData(raw);
    for (const f of ["ccssNumber", "birthDate", "iban", "bic"])
      assert.match(String(data[f]), /^enc:v1:k1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]+$/, f);
    assert.equal(data.job, "Comptable", "non-personal fields stay readable");
    assert.equal(raw.lastName, "Grimaldi");
  }
  // Two encryptions of the same value differ (random IV).
  assert.notEqual(storedData(await rawRow(s, "E001")).ccssNumber, storedData(await rawRow(s, "E002")).ccssNumber);

  const e1 = await repo.get("ACME", "E001");
  assert.deepEqual(e1?.data, employee("E001").data);
  const list = await repo.list("ACME");
  assert.equal(list.length, 3);
  assert.equal(list.find((e) => e.employeeId === "E003")?.data.ccssNumber, 412345, "the type of the value survives");
  assert.equal(list.find((e) => e.employeeId === "E002")?.data.iban, IBAN);
});

test("rotation: new writes use the current key, old values still decrypt, reencryptAll moves every row to the current key", async () => {
  const s = storage(ring1);
  await s.ensure();
  await employeesRepository(s).putMany(Array.from({ length: 5 }, (_, i) => employee(`E00${i}`)));
  // A row written before encryption existed: clear values, to be migrated too.
  await rewrite(s, { ...(await rawRow(s, "E000")), data_0: JSON.stringify({ ccssNumber: "111111", birthDate: "1970-01-01" }), data_n: 1 });

  bindDataKeys(s, ring12);
  const repo = employeesRepository(s);
  await repo.put(employee("E100"));
  assert.equal(keyIdOf(storedData(await rawRow(s, "E100")).ccssNumber), "k2");
  assert.equal(keyIdOf(storedData(await rawRow(s, "E001")).ccssNumber), "k1");
  assert.equal((await repo.get("ACME", "E001"))?.data.ccssNumber, CCSS, "old key still reads");
  assert.equal((await repo.get("ACME", "E000"))?.data.ccssNumber, "111111", "legacy clear value still reads");

  const before = await rawRow(s, "E003");
  const report = await reencryptAll(s);
  assert.deepEqual(report, { scanned: 6, rewritten: 5, conflicts: 0 });
  for (const id of ["E000", "E001", "E002", "E003", "E004", "E100"]) {
    const data = storedData(await rawRow(s, id));
    for (const f of ["ccssNumber", "birthDate"]) assert.equal(keyIdOf(data[f]), "k2", `${id} ${f}`);
  }
  assert.equal((await rawRow(s, "E003")).updatedAt, before.updatedAt, "re-encryption is not a change of data");
  assert.ok(!JSON.stringify(await rawRow(s, "E000")).includes("111111"));

  // The old key can now go: everything reads with k2 alone.
  bindDataKeys(s, createDataKeyRing({ k2: K2 }, "k2"));
  const all = await employeesRepository(s).list("ACME");
  assert.equal(all.length, 6);
  assert.ok(all.every((e) => e.data.birthDate === BIRTH || e.data.birthDate === "1970-01-01"));
  assert.deepEqual(await reencryptAll(s), { scanned: 6, rewritten: 0, conflicts: 0 }, "nothing left to do");
});

test("reencryptAll is ETag-guarded: a row changed under it is read again, not overwritten", async () => {
  const s = storage(ring1);
  await s.ensure();
  await employeesRepository(s).put(employee("E001"));
  bindDataKeys(s, ring12);
  // Simulate a writer that updates the row between reencryptAll's read and its write.
  const client = s.table("employees");
  const original = client.updateEntity.bind(client);
  let raced = false;
  client.updateEntity = (async (...args: Parameters<typeof client.updateEntity>) => {
    if (!raced) {
      raced = true;
      await employeesRepository(s).put({ ...employee("E001"), lastName: "Changée entre-temps" });
    }
    return original(...args);
  }) as typeof client.updateEntity;
  try {
    const report = await reencryptAll(s);
    assert.equal(report.conflicts, 1);
  } finally {
    client.updateEntity = original;
  }
  const e = await employeesRepository(s).get("ACME", "E001");
  assert.equal(e?.lastName, "Changée entre-temps", "the concurrent change is kept");
  assert.equal(keyIdOf(storedData(await rawRow(s, "E001")).ccssNumber), "k2");
});

test("a tampered ciphertext is refused with a clear error", async () => {
  const s = storage(ring1);
  await s.ensure();
  const repo = employeesRepository(s);
  await repo.put(employee("E001"));
  const raw = await rawRow(s, "E001");
  const data = storedData(raw);
  const parts = String(data.ccssNumber).split(":");
  const ct = Buffer.from(parts[5]!, "base64url");
  ct[0]! ^= 0x01; // one bit
  parts[5] = ct.toString("base64url");
  await rewrite(s, { ...raw, data_0: JSON.stringify({ ...data, ccssNumber: parts.join(":") }), data_n: 1 });
  await assert.rejects(repo.get("ACME", "E001"), (e: unknown) => {
    assert.ok(e instanceof EncryptedFieldError && e instanceof StorageError);
    assert.equal(e.reason, "tampered");
    assert.match(e.message, /Donnée chiffrée illisible .*ligne « E001 », champ « data\.ccssNumber ».*modifiée/);
    return true;
  });
  await assert.rejects(repo.list("ACME"), EncryptedFieldError);

  // A truncated value is refused too (malformed), never returned as is.
  await rewrite(s, { ...raw, data_0: JSON.stringify({ ...data, ccssNumber: "enc:v1:k1:abc" }), data_n: 1 });
  await assert.rejects(repo.get("ACME", "E001"), /format de valeur chiffrée invalide/);
});

test("a ciphertext moved to another row or another field does not decrypt", async () => {
  const s = storage(ring1);
  await s.ensure();
  const repo = employeesRepository(s);
  await repo.putMany([employee("E001", { ccssNumber: "999001" }), employee("E002", { ccssNumber: "999002" })]);
  const one = storedData(await rawRow(s, "E001"));
  const raw2 = await rawRow(s, "E002");
  const two = storedData(raw2);
  // E001's CCSS number pasted into E002's row: same key, valid tag — but bound to E001.
  await rewrite(s, { ...raw2, data_0: JSON.stringify({ ...two, ccssNumber: one.ccssNumber }), data_n: 1 });
  await assert.rejects(repo.get("ACME", "E002"), /ligne « E002 », champ « data\.ccssNumber ».*copiée depuis une autre ligne/);
  // E002's birth date pasted into its own CCSS field.
  await rewrite(s, { ...raw2, data_0: JSON.stringify({ ...two, ccssNumber: two.birthDate }), data_n: 1 });
  await assert.rejects(repo.get("ACME", "E002"), EncryptedFieldError);
  // Same row key in another company: refused as well.
  await rewrite(s, { ...raw2, partitionKey: "OTHER", companyId: "OTHER", data_0: JSON.stringify(two), data_n: 1 });
  await assert.rejects(repo.get("OTHER", "E002"), /partition « OTHER »/);
  assert.equal((await repo.get("ACME", "E001"))?.data.ccssNumber, "999001", "the source row is intact");
});

test("a value under a key that is no longer configured is refused, naming the key id", async () => {
  const s = storage(ring12);
  await s.ensure();
  await employeesRepository(s).put(employee("E001"));
  bindDataKeys(s, ring1);
  await assert.rejects(employeesRepository(s).get("ACME", "E001"), (e: unknown) => {
    assert.ok(e instanceof EncryptedFieldError);
    assert.match(e.message, /clé « k2 », absente de PAIE_DATA_KEYS/);
    assert.ok(!e.message.includes(K1) && !e.message.includes(K2));
    return true;
  });
});

test("without a key, personal data is refused (never stored in clear) and encrypted rows are not readable", async () => {
  const withKey = storage(ring1);
  await withKey.ensure();
  await employeesRepository(withKey).put(employee("E001"));
  // Same tables, no key bound.
  const noKey = createStorage(azurite.connectionString, { tablePrefix: withKey.tablePrefix, maxRetries: 1 });
  await assert.rejects(employeesRepository(noKey).put(employee("E002")), /ne peut pas être stockée en clair et aucune clé de chiffrement n'est configurée/);
  await assert.rejects(bare(withKey).getEntity("ACME", "E002"), (e: { statusCode?: number }) => e.statusCode === 404, "nothing written");
  await assert.rejects(employeesRepository(noKey).get("ACME", "E001"), /aucune clé de chiffrement n'est configurée \(PAIE_DATA_KEYS/);
  // Master data without personal fields needs no key (the repository's other users are unaffected).
  await employeesRepository(noKey).put({ ...employee("E003"), data: { job: "Stagiaire" } });
});

test("the app refuses to start without a valid key, with a French message that shows no key material", () => {
  const base = {
    PAIE_STORAGE_CONNECTION: "UseDevelopmentStorage=true",
    PAIE_DEV_IDENTITY: "admin@local",
    PAIE_MAIL_TRANSPORT: "eml",
    PAIE_MAIL_OUTBOX: "/tmp",
  };
  const short = randomBytes(16).toString("base64");
  const cases: [Record<string, string>, RegExp][] = [
    [{}, /Chiffrement des données personnelles non configuré : définissez PAIE_DATA_KEYS/],
    [{ PAIE_DATA_KEYS: "{pas du json" }, /PAIE_DATA_KEYS n'est pas un JSON valide/],
    [{ PAIE_DATA_KEYS: JSON.stringify({ k1: short }), PAIE_DATA_KEY_CURRENT: "k1" }, /la clé « k1 » fait 16 octets ; AES-256 exige exactement 32 octets/],
    [{ PAIE_DATA_KEYS: JSON.stringify({ k1: "!".repeat(44) }) }, /la clé « k1 » n'est pas du base64/],
    [
      { PAIE_DATA_KEYS: JSON.stringify({ k1: K1, k2: K2 }), PAIE_DATA_KEY_CURRENT: "k3" },
      /PAIE_DATA_KEY_CURRENT vaut « k3 », qui n'est pas une clé de PAIE_DATA_KEYS \(clés connues : k1, k2\)/,
    ],
    [{ PAIE_DATA_KEYS: JSON.stringify({ k1: K1, k2: K2 }) }, /PAIE_DATA_KEY_CURRENT est obligatoire/],
    [{ PAIE_DATA_KEYS: JSON.stringify({ "a:b": K1 }) }, /identifiant de clé invalide « a:b »/],
    [{ PAIE_DATA_KEYS: "{}" }, /ne contient aucune clé/],
  ];
  for (const [env, message] of cases) {
    assert.throws(
      () => createServices({ ...base, ...env }),
      (e: unknown) => {
        assert.ok(e instanceof DataKeyConfigError, String(e));
        assert.match(e.message, message);
        for (const secret of [short, K1, K2]) assert.ok(!e.message.includes(secret), "no key material in the message");
        return true;
      },
    );
  }
  // One key needs no PAIE_DATA_KEY_CURRENT; base64url is accepted.
  assert.equal(readDataKeys({ PAIE_DATA_KEYS: JSON.stringify({ only: randomBytes(32).toString("base64url") }) }).current, "only");
  assert.doesNotThrow(() => createServices({ ...base, PAIE_DATA_KEYS: JSON.stringify({ k1: K1 }), PAIE_DATA_KEY_CURRENT: "k1" }));
});

test("paie reencrypt rewrites every employee with the current key named in the settings", async () => {
  const s = createStorage(azurite.connectionString);
  bindDataKeys(s, ring1);
  await s.ensure();
  await employeesRepository(s).putMany([employee("R001"), employee("R002")]);
  const lines: string[] = [];
  const env = { PAIE_STORAGE_CONNECTION: azurite.connectionString, PAIE_DATA_KEYS: JSON.stringify({ k1: K1, k2: K2 }), PAIE_DATA_KEY_CURRENT: "k2" };
  assert.equal(await reencryptCommand([], (l) => lines.push(l), env), 0, lines.join("\n"));
  assert.match(lines.join("\n"), /"rewritten":2/);
  assert.equal(keyIdOf(storedData(await rawRow(s, "R001")).ccssNumber), "k2");
  assert.equal(await reencryptCommand([], (l) => lines.push(l), { PAIE_STORAGE_CONNECTION: azurite.connectionString, PAIE_DATA_KEYS: "{}" }), 1);
  assert.match(lines.at(-1)!, /Rechiffrement impossible/);
  assert.doesNotMatch(lines.join("\n"), new RegExp(K1.slice(0, 12).replace(/[+/]/g, "\\$&")));
});
