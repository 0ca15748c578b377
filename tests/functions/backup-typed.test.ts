import assert from "node:assert/strict";
import { test } from "node:test";
import { fromTyped, toTyped } from "../../functions/backup/index.ts";
import { parseTypedLine } from "../../functions/backup/typed-entity.ts";

test("typed entity: every EDM type kept as [type, text]; system properties dropped; sent back with its type", () => {
  const raw = {
    partitionKey: "P",
    rowKey: "R",
    etag: 'W/"x"',
    timestamp: "2026-01-01T00:00:00Z",
    s: { value: "é", type: "String" },
    i: { value: "7", type: "Int32" },
    b: { value: "true", type: "Boolean" },
    d: { value: "1.5", type: "Double" },
    big: { value: "123456789012", type: "Int64" },
    at: { value: "2026-06-30T01:15:00.1234567Z", type: "DateTime" },
    bin: { value: "AAEC/v8=", type: "Binary" },
  };
  const typed = toTyped(raw);
  assert.deepEqual(typed, {
    pk: "P",
    rk: "R",
    p: {
      at: ["DateTime", "2026-06-30T01:15:00.1234567Z"],
      b: ["Boolean", "true"],
      big: ["Int64", "123456789012"],
      bin: ["Binary", "AAEC/v8="],
      d: ["Double", "1.5"],
      i: ["Int32", "7"],
      s: ["String", "é"],
    },
  });
  assert.deepEqual(fromTyped(typed), {
    partitionKey: "P",
    rowKey: "R",
    s: "é",
    i: 7,
    b: true,
    d: { value: 1.5, type: "Double" },
    big: { value: "123456789012", type: "Int64" },
    at: { value: "2026-06-30T01:15:00.1234567Z", type: "DateTime" },
    bin: { value: "AAEC/v8=", type: "Binary" },
  });
  assert.deepEqual(parseTypedLine(JSON.stringify(typed), "x"), typed);
});

test("a bad backup line is refused with the file and line named", () => {
  assert.throws(() => parseTypedLine("{", "Sauvegarde du 2026-06-30, « t.jsonl.gz », ligne 3"), /ligne 3 : JSON illisible/);
  assert.throws(() => parseTypedLine(JSON.stringify({ pk: "P", rk: "R", p: { x: ["Decimal", "1"] } }), "ligne 4"), /ligne 4 : « \/p\/x\/0 »/);
});
