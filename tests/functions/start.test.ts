/** `npm start` on a fresh clone: the local stack comes up, the demo company and its staff are seeded, Ctrl+C stops it. */

import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { isFree, ports, startProcess } from "../support/start-process.ts";

test("paie start serves the API with the demo company seeded, then stops cleanly", async () => {
  const p = await ports();
  const run = startProcess(p, mkdtempSync(path.join(tmpdir(), "start-data-")));
  try {
    await run.started();
    assert.match(run.output(), new RegExp(`http://127.0.0.1:${p.api}/api/health`));
    const health = await fetch(`http://127.0.0.1:${p.api}/api/health`).then((r) => r.json());
    assert.equal(health.storage, "reachable");
    const staff = await fetch(`http://127.0.0.1:${p.api}/api/companies/demo-sam/employees`).then((r) => r.json());
    assert.equal(staff.employees.length, 6);
  } finally {
    run.child.kill("SIGINT");
  }
  assert.equal(await run.exited, 0, run.output());
  assert.ok((await isFree(p.table)) && (await isFree(p.blob)), "Azurite stopped with it");
});
