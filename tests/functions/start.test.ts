/** `npm start` on a fresh clone: the local stack comes up, the demo company and its staff are seeded, Ctrl+C stops it. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "../support/azurite.ts";

test("paie start serves the API with the demo company seeded, then stops cleanly", async () => {
  const [api, blob, queue, table] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const root = path.resolve(import.meta.dirname, "../..");
  const child = spawn(process.execPath, [path.join(root, "bin/paie.mjs"), "start", "--no-addin"], {
    cwd: mkdtempSync(path.join(tmpdir(), "start-")),
    env: { ...process.env, PAIE_PORT: String(api), PAIE_AZURITE_PORTS: `${blob},${queue},${table}` },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  try {
    const deadline = Date.now() + 90_000;
    while (!output.includes("pile locale démarrée")) {
      if (child.exitCode !== null || Date.now() > deadline) assert.fail(`the stack did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.match(output, new RegExp(`http://127.0.0.1:${api}/api/health`));
    const health = await fetch(`http://127.0.0.1:${api}/api/health`).then((r) => r.json());
    assert.equal(health.storage, "reachable");
    const staff = await fetch(`http://127.0.0.1:${api}/api/companies/demo-sam/employees`).then((r) => r.json());
    assert.equal(staff.employees.length, 6);
  } finally {
    child.kill("SIGINT");
  }
  assert.equal(await exited, 0, output);
});
