/**
 * Every refusal of the API is a 4xx with a French message, on the real local stack (Azurite in its own process,
 * the local runner over real sockets): bodies nested too deep, entities over Table Storage's limits, control
 * characters, a body over the runner's limit on a keep-alive connection, cross-origin requests.
 */

import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { type LocalStack, startLocalStack } from "../../functions/host/local-stack.ts";
import { createIfAbsent, getOrUndefined, replaceIfMatch, writeBatch } from "../../functions/storage/batch.ts";
import { StorageError } from "../../functions/storage/errors.ts";
import { demoCompany as company, demoEmployees, demoMonthInputs, demoSummaries, DEMO_PERIOD as PERIOD } from "../support/demo.ts";
import { reportAtEnd, tally } from "./summary.ts";

reportAtEnd(import.meta.filename);

let stack: LocalStack;

async function call(method: string, route: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${stack.host.url}/api/${route}`, {
    method,
    headers: { "Content-Type": "application/json", ...headers },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text && res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : undefined };
}

before(async () => {
  stack = await startLocalStack({ outbox: mkdtempSync(path.join(tmpdir(), "limits-outbox-")), port: 0 });
  assert.equal((await call("PUT", `companies/${company.id}`, company)).status, 201);
  assert.equal((await call("PUT", `companies/${company.id}/employees`, demoEmployees())).status, 200);
});

after(async () => {
  await stack?.stop();
});

const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);

test("a body nested 5 000 levels deep is refused 400 before it is parsed or validated, on every JSON route", async () => {
  for (const [method, route] of [
    ["PUT", `companies/${company.id}/employees`],
    ["PUT", `companies/${company.id}`],
    ["POST", `companies/${company.id}/periods/${PERIOD}`],
  ] as const) {
    const r = await call(method, route, nested(5000));
    tally.fault();
    assert.equal(r.status, 400, `${method} ${route}: ${JSON.stringify(r.json)}`);
    assert.equal(r.json.error.code, "TOO_DEEP");
    assert.match(r.json.error.message, /Corps de requête trop imbriqué \(profondeur > \d+\)/);
  }
  // Deep inside a field the schema does not look into (employee data is free JSON), and in an object: same refusal.
  const staff = demoEmployees();
  (staff[0]!.data as Record<string, unknown>).deep = "__DEEP__";
  const text = JSON.stringify(staff).replace('"__DEEP__"', `${'{"a":'.repeat(5000)}1${"}".repeat(5000)}`);
  const r = await call("PUT", `companies/${company.id}/employees`, text);
  tally.fault();
  assert.equal(r.status, 400, JSON.stringify(r.json));
  assert.equal(r.json.error.code, "TOO_DEEP");
  // Brackets inside strings (escaped quotes included) are text, not nesting.
  const quoted = demoEmployees();
  quoted[0]!.firstName = `\\"[[[[${"[".repeat(150)}`;
  assert.equal((await call("PUT", `companies/${company.id}/employees`, quoted)).status, 200);
  assert.equal((await call("PUT", `companies/${company.id}/employees`, demoEmployees())).status, 200);
});

test("an employee over Table Storage's entity limit is refused 413 in French, naming the employee, nothing written", async () => {
  const before = (await call("GET", `companies/${company.id}/employees`)).json.employees;
  // ASCII: over the codec's own guard (≈ 2 MB stored).
  const ascii = demoEmployees();
  (ascii[2]!.data as Record<string, unknown>).notes = "x".repeat(1_000_000);
  ascii[0]!.lastName = "CHANGÉ";
  let r = await call("PUT", `companies/${company.id}/employees`, ascii);
  tally.fault();
  assert.equal(r.status, 413, JSON.stringify(r.json));
  assert.equal(r.json.error.code, "ENTITY_TOO_LARGE");
  assert.match(r.json.error.message, /Entité trop volumineuse/);
  assert.ok(r.json.error.message.includes(String(ascii[2]!.employeeId)), r.json.error.message);
  // Three UTF-8 bytes per character: under the limit counted in UTF-16 units, over 1 MiB as Azurite counts (UTF-8).
  const wide = demoEmployees();
  (wide[1]!.data as Record<string, unknown>).notes = "中".repeat(360_000);
  wide[0]!.lastName = "CHANGÉ";
  r = await call("PUT", `companies/${company.id}/employees`, wide);
  tally.fault();
  assert.equal(r.status, 413, JSON.stringify(r.json));
  assert.match(r.json.error.message, /Entité trop volumineuse/);
  assert.ok(r.json.error.message.includes(String(wide[1]!.employeeId)), r.json.error.message);
  const afterwards = (await call("GET", `companies/${company.id}/employees`)).json.employees;
  if (JSON.stringify(afterwards) !== JSON.stringify(before)) tally.lost(1);
  assert.deepEqual(afterwards, before, "nothing half-written");
});

test("the storage service's own size refusals become a located French error and store nothing", async () => {
  const client = stack.services.storage.table("employees");
  await stack.services.storage.ensure();
  // ASCII: Azurite 3.35 garbles a multi-byte character cut by its response chunking when a long text is read back.
  const wide = "x".repeat(30_000); // under 32 K UTF-16 units per property
  const entity = (rowKey: string, props: number) => ({
    partitionKey: "limits-test",
    rowKey,
    ...Object.fromEntries(Array.from({ length: props }, (_, i) => [`p${i}`, wide])),
  });
  const refusal = (e: unknown) => {
    assert.ok(e instanceof StorageError, String(e));
    assert.equal(e.code, "too-large");
    assert.match(e.message, /^Entité trop volumineuse \(table « employees », partition « limits-test », ligne « (big|fat) »\) : refusée par le stockage/);
    return true;
  };
  // The raw writers (the codec's guard bypassed) so that the refusal is the service's: EntityTooLarge.
  tally.fault(3);
  await assert.rejects(
    writeBatch(client, [
      { kind: "upsert", entity: entity("ok", 1) },
      { kind: "upsert", entity: entity("big", 36) },
    ]),
    refusal,
  );
  // Azurite checks a single insert against the 4 MiB request limit only.
  await assert.rejects(createIfAbsent(client, entity("big", 140)), (e) => refusal(e) && /4 Mio/.test((e as Error).message));
  const etag = await createIfAbsent(client, entity("fat", 1));
  await assert.rejects(
    replaceIfMatch(client, { partitionKey: "limits-test", rowKey: "fat", p0: "x".repeat(40_000) }, etag),
    (e) => refusal(e) && /64 Kio/.test((e as Error).message),
  );
  assert.equal(await getOrUndefined(client, "limits-test", "ok"), undefined, "the transaction stored nothing");
  assert.equal(await getOrUndefined(client, "limits-test", "big"), undefined);
  const kept = (await getOrUndefined(client, "limits-test", "fat"))?.p0;
  assert.ok(kept === wide, `the refused replace left the row as it was (${String(kept).length} characters)`);
  await client.deleteEntity("limits-test", "fat");
});

test("control characters are refused at the boundary with the field that holds them", async () => {
  const staff = demoEmployees();
  staff[3]!.lastName = "Du\u0007pont";
  let r = await call("PUT", `companies/${company.id}/employees`, staff);
  tally.fault();
  assert.equal(r.status, 400, JSON.stringify(r.json));
  assert.equal(r.json.error.code, "CONTROL_CHARACTER");
  assert.equal(r.json.error.message, "salariés[3].lastName : caractère de contrôle U+0007 interdit.");
  for (const [ch, code] of [
    ["\u0000", "U+0000"],
    ["\u001b", "U+001B"],
    ["\u007f", "U+007F"],
    ["\u0085", "U+0085"],
    ["\u009b", "U+009B"],
    ["\t", "U+0009"],
    ["\n", "U+000A"],
  ]) {
    const s = demoEmployees();
    (s[1]!.data as Record<string, unknown>).job = `Comptable${ch}`;
    r = await call("PUT", `companies/${company.id}/employees`, s);
    tally.fault();
    assert.equal(r.status, 400, `${code}: ${JSON.stringify(r.json)}`);
    assert.equal(r.json.error.message, `salariés[1].data.job : caractère de contrôle ${code} interdit.`);
  }
  // In a field name too.
  const key = demoEmployees();
  (key[0]!.data as Record<string, unknown>)["jo\u0001b"] = "x";
  r = await call("PUT", `companies/${company.id}/employees`, key);
  assert.equal(r.status, 400);
  assert.match(r.json.error.message, /^salariés\[0\]\.data : nom de champ avec caractère de contrôle U\+0001 interdit/);
  // The submission's engine inputs.
  const inputs = demoMonthInputs();
  inputs[2]!.employee.lastName = "Ro\u001bssi";
  r = await call("POST", `companies/${company.id}/periods/${PERIOD}`, { period: PERIOD, inputs, results: demoSummaries(inputs) });
  assert.equal(r.status, 400, JSON.stringify(r.json));
  assert.equal(r.json.error.message, "inputs[2].employee.lastName : caractère de contrôle U+001B interdit.");
  // A multi-line address keeps its line breaks; a tab or a BEL in it does not pass.
  assert.equal((await call("PUT", `companies/${company.id}`, { ...company, address: "12 boulevard des Moulins\r\n98000 Monaco" })).status, 200);
  r = await call("PUT", `companies/${company.id}`, { ...company, address: "12 boulevard\u0007 des Moulins" });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.message, "address : caractère de contrôle U+0007 interdit.");
  assert.equal((await call("PUT", `companies/${company.id}`, company)).status, 200);
});

test("after a 413 for a body over 16 MiB, the next request on the same keep-alive connection works", async () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(stack.host.url);
  const request = (method: string, route: string, body?: Buffer, chunked = false) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const headers: Record<string, string | number> = { "Content-Type": "application/json" };
      if (body && !chunked) headers["Content-Length"] = body.length;
      const req = http.request({ host: url.hostname, port: url.port, method, path: `/api/${route}`, agent, headers }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on("error", reject);
      // Chunked: the size is only known while reading, past the limit.
      if (body && chunked) for (let i = 0; i < body.length; i += 1024 * 1024) req.write(body.subarray(i, i + 1024 * 1024));
      req.end(chunked ? undefined : body);
    });
  // req.reusedSocket is not set when a queued request gets the freed socket: count the server's connections.
  let connections = 0;
  const count = () => connections++;
  stack.host.server.on("connection", count);
  try {
    assert.equal((await request("GET", "health")).status, 200);
    const big = Buffer.alloc(17 * 1024 * 1024, 0x20);
    for (const chunked of [false, true]) {
      const refused = await request("PUT", `companies/${company.id}/employees`, big, chunked);
      tally.fault();
      assert.equal(refused.status, 413, `chunked ${chunked}`);
      assert.match(JSON.parse(refused.text).error.message, /Requête trop volumineuse/);
      const next = await request("GET", `companies/${company.id}/employees`);
      assert.equal(next.status, 200, `chunked ${chunked}`);
      assert.equal(JSON.parse(next.text).employees.length, 6);
    }
    assert.equal(connections, 1, "one keep-alive connection carried every request");
  } finally {
    stack.host.server.off("connection", count);
    agent.destroy();
  }
});

test("cross-origin requests: a simple text/plain POST from an origin not allowed is refused 403, preflights answer only allowed origins", async () => {
  const url = new URL(stack.host.url);
  const raw = (method: string, route: string, headers: Record<string, string>, body?: string) =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; json: { error?: { code: string; message: string } } | undefined }>((resolve, reject) => {
      const req = http.request({ host: url.hostname, port: url.port, method, path: `/api/${route}`, headers }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, json: text ? JSON.parse(text) : undefined }));
      });
      req.on("error", reject);
      req.end(body);
    });
  // What a hostile page can send without a preflight: the development identity would have run it as admin@local.
  const evil = "https://evil.example";
  const closeRoute = `companies/${company.id}/periods/${PERIOD}/close`;
  let r = await raw("POST", closeRoute, { Origin: evil, "Content-Type": "text/plain" }, "{}");
  tally.fault();
  assert.equal(r.status, 403);
  assert.equal(r.json?.error?.code, "origin_refused");
  assert.match(r.json!.error!.message, /^Origine « https:\/\/evil\.example » non autorisée/);
  assert.equal(r.headers["access-control-allow-origin"], undefined);
  r = await raw("PUT", `companies/${company.id}/employees`, { Origin: evil, "Content-Type": "application/json" }, "[]");
  assert.equal(r.status, 403);
  assert.equal((await call("GET", `companies/${company.id}/employees`)).json.employees.length, 6, "nothing replaced");
  // Preflight: refused for that origin, answered for the add-in's dev server (the default allow-list).
  r = await raw("OPTIONS", closeRoute, { Origin: evil, "Access-Control-Request-Method": "POST" });
  assert.equal(r.status, 403);
  assert.equal(r.headers["access-control-allow-origin"], undefined);
  const addin = "https://localhost:3000";
  r = await raw("OPTIONS", closeRoute, { Origin: addin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type" });
  assert.equal(r.status, 204);
  assert.equal(r.headers["access-control-allow-origin"], addin);
  assert.match(String(r.headers["access-control-allow-methods"]), /POST/);
  r = await raw("GET", "health", { Origin: addin });
  assert.equal(r.status, 200);
  assert.equal(r.headers["access-control-allow-origin"], addin);
  // Origin "null" (sandboxed frames, file://) is an origin like any other: not on the list.
  assert.equal((await raw("GET", "health", { Origin: "null" })).status, 403);
});
