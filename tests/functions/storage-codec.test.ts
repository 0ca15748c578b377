import assert from "node:assert/strict";
import { test } from "node:test";
import { Type } from "@sinclair/typebox";
import {
  assertKey,
  type BatchOperation,
  CorruptEntityError,
  canonicalJson,
  companyPeriodKey,
  decodeCents,
  defineCodec,
  documentPath,
  encodeCents,
  fieldKindsOf,
  inputHash,
  isInsecureConnection,
  keyProblem,
  planTransactions,
  readStorageSettings,
  StorageError,
  splitCompanyPeriodKey,
  splitJson,
} from "../../functions/storage/index.ts";
import { Cents } from "../../functions/storage/repo.ts";

test("configuration: PAIE_STORAGE_CONNECTION first, AzureWebJobsStorage as fallback, French error when missing", () => {
  assert.deepEqual(readStorageSettings({ PAIE_STORAGE_CONNECTION: "A=1", AzureWebJobsStorage: "B=2" }), {
    connectionString: "A=1",
    source: "PAIE_STORAGE_CONNECTION",
  });
  assert.deepEqual(readStorageSettings({ AzureWebJobsStorage: "B=2" }), { connectionString: "B=2", source: "AzureWebJobsStorage" });
  assert.throws(
    () => readStorageSettings({ PAIE_STORAGE_CONNECTION: "  " }),
    (e: unknown) => e instanceof StorageError && e.code === "config" && /PAIE_STORAGE_CONNECTION/.test(e.message),
  );
});

test("http is allowed only for plain-http endpoints", () => {
  assert.equal(isInsecureConnection("DefaultEndpointsProtocol=http;AccountName=a;AccountKey=k;TableEndpoint=http://127.0.0.1:1/a;"), true);
  assert.equal(isInsecureConnection("UseDevelopmentStorage=true"), true);
  assert.equal(isInsecureConnection("DefaultEndpointsProtocol=https;AccountName=a;AccountKey=k;EndpointSuffix=core.windows.net"), false);
  assert.equal(isInsecureConnection("DefaultEndpointsProtocol=http;TableEndpoint=https://x.table.core.windows.net/"), false);
});

test("keys: forbidden characters, control characters and size are refused with the key named", () => {
  for (const bad of ["a/b", "a\\b", "a#b", "a?b", "a\u0001b", "a\u007fb", "a\u0085b", ""]) {
    assert.ok(keyProblem(bad), `should refuse ${JSON.stringify(bad)}`);
  }
  assert.equal(keyProblem("ACME|2026-03"), undefined);
  assert.equal(keyProblem("é".repeat(512)), undefined);
  assert.match(keyProblem("é".repeat(513)) ?? "", /1 Kio/);
  assert.throws(() => assertKey("RowKey", "EMP/01", "employees"), /la RowKey de la table « employees » « EMP\/01 » contient le caractère interdit « \/ »/);
  assert.deepEqual(splitCompanyPeriodKey(companyPeriodKey("ACME", "2026-03")), { companyId: "ACME", period: "2026-03" });
  assert.throws(() => companyPeriodKey("AC|ME", "2026-03"), /Identifiant de société invalide/);
  assert.throws(() => companyPeriodKey("ACME", "2026-13"), /Période invalide « 2026-13 »/);
});

test("cents: Int32 when it fits, decimal string beyond, never a double", () => {
  assert.equal(encodeCents(123_45), 12345);
  assert.equal(encodeCents(-2_147_483_648), -2_147_483_648);
  assert.equal(encodeCents(2_147_483_648), "2147483648");
  assert.equal(encodeCents(-99_000_000_000), "-99000000000");
  assert.throws(() => encodeCents(12.5), /entier de centimes/);
  assert.equal(decodeCents("2147483648"), 2_147_483_648);
  assert.equal(decodeCents(2147483648n), 2_147_483_648);
  assert.equal(decodeCents(12.5), undefined);
  assert.equal(decodeCents("12.50"), undefined);
});

test("JSON chunks never split a surrogate pair and rejoin exactly", () => {
  const text = `a${"😀".repeat(40_000)}`;
  const chunks = splitJson(text, 30_000);
  assert.ok(chunks.every((c) => c.length <= 30_000));
  const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
  assert.ok(
    chunks.every((c) => !lone.test(c)),
    "each chunk must be valid UTF-16",
  );
  assert.ok(lone.test(text.slice(0, 30_000)), "the naive cut would have split a pair (the test would be vacuous otherwise)");
  assert.equal(chunks.join(""), text);
});

const Sample = Type.Object(
  { name: Type.String(), amount: Type.Integer(), big: Cents(), payload: Type.Unknown(), flag: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
const codec = defineCodec("samples", Sample);

test("the columns are read from the schema: one statement of a table's shape", () => {
  const kinds = fieldKindsOf(
    "samples",
    Type.Object({
      name: Type.String(),
      status: Type.Union([Type.Literal("a"), Type.Literal("b")]),
      count: Type.Optional(Type.Integer()),
      amount: Cents(),
      flag: Type.Boolean(),
      lines: Type.Array(Type.String()),
      extra: Type.Record(Type.String(), Type.Unknown()),
    }),
  );
  assert.deepEqual(kinds, { name: "string", status: "string", count: "int", amount: "cents", flag: "bool", lines: "json", extra: "json" });
  assert.throws(() => fieldKindsOf("samples", Type.Object({ rate: Type.Number() })), /nombre non entier/);
});

test("codec round trip: JSON split into ≤ 30,000-char chunks, big cents as a string", () => {
  const payload = { lines: Array.from({ length: 800 }, (_, i) => ({ code: `R${i}`, label: "Salaire de base — Éloïse", amount: i * 101 })) };
  const entity = codec.toEntity("P", "R", { name: "x", amount: 5, big: 5_000_000_000, payload });
  assert.equal(entity.big, "5000000000");
  assert.ok((entity.payload_n as number) >= 2);
  for (let i = 0; i < (entity.payload_n as number); i++) assert.ok(String(entity[`payload_${i}`]).length <= 30_000);
  const back = codec.fromEntity({ ...entity, etag: "W/1" });
  assert.deepEqual(back.value, { name: "x", amount: 5, big: 5_000_000_000, payload });
  assert.equal(back.etag, "W/1");
});

test("codec refuses bad input (French, naming the property) and oversized entities", () => {
  assert.throws(() => codec.toEntity("P", "R", { name: "x", amount: 1.5, big: 0, payload: {} }), /« \/amount » : nombre entier attendu/);
  assert.throws(() => codec.toEntity("P", "R#", { name: "x", amount: 1, big: 0, payload: {} }), /RowKey/);
  const huge = "x".repeat(1_000_000);
  assert.throws(
    () => codec.toEntity("P", "R", { name: "x", amount: 1, big: 0, payload: huge }),
    (e: unknown) => e instanceof StorageError && e.code === "too-large" && /partition « P », ligne « R »/.test(e.message),
  );
});

test("corrupt rows give CorruptEntityError naming table, partition and row", () => {
  const good = codec.toEntity("P", "R", { name: "x", amount: 1, big: 0, payload: { a: 1 } });
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ ...good, payload_0: "{not json" }, /JSON illisible dans « payload »/],
    [{ ...good, payload_n: 2 }, /morceau JSON « payload_1 » manquant/],
    [{ ...good, amount: "un" }, /« \/amount »/],
    [{ ...good, big: 1.5 }, /« big » devrait être un nombre entier de centimes/],
    [{ ...good, amount: 5n }, /« amount » devrait être un entier 32 bits, trouvé un Int64/],
    [{ ...good, name: undefined }, /« \/name » : propriété obligatoire absente/],
  ];
  for (const [raw, message] of cases) {
    assert.throws(
      () => codec.fromEntity(raw),
      (e: unknown) => e instanceof CorruptEntityError && e.table === "samples" && e.partitionKey === "P" && e.rowKey === "R" && message.test(e.message),
    );
  }
});

test("transaction plan: grouped by partition, ≤ 100 operations, under the byte limit, last write wins", () => {
  const op = (pk: string, rk: string, size = 10): BatchOperation => ({ kind: "upsert", entity: { partitionKey: pk, rowKey: rk, data: "x".repeat(size) } });
  const ops = [...Array.from({ length: 101 }, (_, i) => op("A", `r${i}`)), ...Array.from({ length: 3 }, (_, i) => op("B", `r${i}`)), op("A", "r0", 20)];
  const plan = planTransactions(ops);
  assert.deepEqual(
    plan.map((t) => [t.partitionKey, t.operations.length]),
    [
      ["A", 100],
      ["A", 1],
      ["B", 3],
    ],
  );
  const r0 = plan[0]!.operations[0]!;
  assert.equal(r0.kind === "upsert" && String(r0.entity.data).length, 20);
  const bytePlan = planTransactions(
    Array.from({ length: 10 }, (_, i) => op("C", `r${i}`, 1000)),
    { maxBytes: 3500 },
  );
  assert.ok(bytePlan.length >= 4 && bytePlan.every((t) => t.operations.length <= 2));
});

test("canonical JSON ignores key order; the hash changes with any value", () => {
  assert.equal(canonicalJson({ b: 1, a: [1, { d: 2, c: "é" }] }), '{"a":[1,{"c":"é","d":2}],"b":1}');
  assert.equal(inputHash({ a: 1, b: 2 }), inputHash({ b: 2, a: 1 }));
  assert.notEqual(inputHash({ a: 1, b: 2 }), inputHash({ a: 1, b: 3 }));
  assert.throws(() => canonicalJson({ a: Number.NaN }), /« \$\.a »/);
});

test("document paths are deterministic", () => {
  assert.equal(documentPath("ACME", "2026-03", 2, { kind: "payslip", employeeId: "E001" }), "companies/ACME/2026-03/v2/payslips/E001.pdf");
  assert.equal(documentPath("ACME", "2026-03", 2, { kind: "journal", format: "xlsx" }), "companies/ACME/2026-03/v2/journal.xlsx");
  assert.equal(documentPath("ACME", "2026-03", 1, { kind: "dsm" }), "companies/ACME/2026-03/v1/dsm.xml");
  assert.throws(() => documentPath("ACME", "2026-03", 1, { kind: "payslip", employeeId: "../x" }), /Matricule invalide/);
});
