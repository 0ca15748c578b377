/** One list of function definitions, two hosts: the local runner here and the Azure Functions host in production. */

import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, rmSync, symlinkSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { Cron } from "croner";
import { definitions } from "../../functions/definitions.ts";
import { compileRoute } from "../../functions/host/local-runner.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const defs = definitions(() => {
  throw new Error("services are built lazily, not at registration");
});

test("names are unique; routes and methods do not collide; schedules are six-field NCRONTAB", () => {
  const names = defs.map((d) => d.name);
  assert.equal(new Set(names).size, names.length);
  const keys = defs.flatMap((d) => (d.kind === "http" ? d.methods.map((m) => `${m} ${d.route}`) : []));
  assert.equal(new Set(keys).size, keys.length);
  for (const d of defs) {
    if (d.kind !== "timer") continue;
    assert.equal(d.schedule.split(" ").length, 6, d.name);
    const next = new Cron(d.schedule, { paused: true, timezone: "UTC" }).nextRun(new Date("2025-08-25T00:00:00Z"));
    assert.ok(next, d.name);
  }
  assert.deepEqual(
    defs
      .filter((d) => d.kind === "timer")
      .map((d) => d.name)
      .sort(),
    ["daily-backup", "mail-dispatcher", "payroll-scheduler"],
  );
  assert.deepEqual(
    defs.filter((d) => d.kind === "queue").map((d) => `${d.name} ← ${d.queueName}`),
    ["payroll-run ← payroll-runs", "payroll-run-poison ← payroll-runs-poison"],
  );
});

test("route templates compile to the same paths the Azure host serves", () => {
  const { regex, names } = compileRoute("companies/{companyId}/documents/{*path}");
  assert.deepEqual(names, ["companyId", "path"]);
  const m = regex.exec("/api/companies/demo-sam/documents/2025-08/v1/payslips/D001.pdf");
  assert.equal(m?.[1], "demo-sam");
  assert.equal(m?.[2], "2025-08/v1/payslips/D001.pdf");
  assert.equal(compileRoute("companies/{companyId}").regex.test("/api/companies/a/b"), false);
});

test("the production bundle loads and registers every definition with @azure/functions", () => {
  execFileSync(process.execPath, [path.join(ROOT, "bin/build-functions.mjs")], { cwd: ROOT, stdio: "pipe" });
  const dist = path.join(ROOT, "dist/functions");
  const link = path.join(dist, "node_modules");
  if (!existsSync(link)) symlinkSync(path.join(ROOT, "node_modules"), link);
  try {
    // Outside the Functions host the package runs in "test mode" and names, on stderr, each registration it skips.
    const run = spawnSync(process.execPath, ["-e", 'import("./index.mjs").then(() => console.log("loaded"))'], { cwd: dist, encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /loaded/);
    for (const d of defs) assert.match(run.stderr, new RegExp(`register function "${d.name}"`), d.name);

    // The queue functions go through app.storageQueue with their queue and connection: recorded by a wrapper put
    // on the very @azure/functions module the bundle loads, before it loads.
    const probe = [
      'import { createRequire } from "node:module";',
      'const f = createRequire(import.meta.url + "/")("@azure/functions");',
      "f.app.storageQueue = (name, o) => console.log(JSON.stringify({ name, queueName: o.queueName, connection: o.connection, handler: typeof o.handler }));",
      'await import("./index.mjs");',
    ].join("\n");
    const queued = spawnSync(process.execPath, ["--input-type=module", "-e", probe], { cwd: dist, encoding: "utf8" });
    assert.equal(queued.status, 0, queued.stderr);
    const registered = queued.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      registered,
      defs.filter((d) => d.kind === "queue").map((d) => ({ name: d.name, queueName: d.queueName, connection: d.connection, handler: "function" })),
    );
    assert.deepEqual(
      registered.map((r) => r.queueName),
      ["payroll-runs", "payroll-runs-poison"],
    );
  } finally {
    rmSync(link, { force: true });
  }
});
