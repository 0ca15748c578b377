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

test("paie start keeps its data between restarts (the demo is not reseeded over it), --fresh starts empty, the identity is printed", async () => {
  const p = await ports();
  const dataDir = mkdtempSync(path.join(tmpdir(), "start-data-"));
  const names = async () =>
    ((await fetch(`http://127.0.0.1:${p.api}/api/companies/demo-sam/employees`).then((r) => r.json())).employees as { lastName: string }[]).map(
      (e) => e.lastName,
    );
  let run = startProcess(p, dataDir);
  try {
    await run.started();
    assert.match(run.output(), /Identité {12}admin@local — administrateur/);
    assert.match(run.output(), /créée avec 6 salariés/);
    const one = (await fetch(`http://127.0.0.1:${p.api}/api/companies/demo-sam/employees`).then((r) => r.json())).employees
      .slice(0, 1)
      .map(({ companyId: _c, updatedAt: _u, ...e }: Record<string, unknown>) => ({ ...e, lastName: "Modifié" }));
    const put = await fetch(`http://127.0.0.1:${p.api}/api/companies/demo-sam/employees`, {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(one),
    });
    assert.equal(put.status, 200, await put.text());
  } finally {
    run.child.kill("SIGINT");
  }
  assert.equal(await run.exited, 0, run.output());
  run = startProcess(p, dataDir);
  try {
    await run.started();
    assert.ok((await names()).includes("Modifié"), "the edit survived the restart: the demo was not reseeded");
    assert.match(run.output(), /déjà présente \(conservée\)/);
  } finally {
    run.child.kill("SIGINT");
  }
  assert.equal(await run.exited, 0, run.output());
  run = startProcess(p, dataDir, { PAIE_DEV_IDENTITY: "operator@local" }, ["--fresh"]);
  try {
    await run.started();
    assert.match(run.output(), /repartie de zéro \(--fresh\)/);
    assert.match(run.output(), /Identité {12}operator@local — gestionnaire/);
    const companies = await fetch(`http://127.0.0.1:${p.api}/api/companies`).then((r) => r.json());
    assert.deepEqual(companies.companies, [], "the operator holds no grant: he sees no company");
  } finally {
    run.child.kill("SIGINT");
  }
  assert.equal(await run.exited, 0, run.output());
});

test("paie start refuses an unknown option and an unknown identity, in French, before starting anything", async () => {
  const p = await ports();
  const dataDir = mkdtempSync(path.join(tmpdir(), "start-data-"));
  const bad = startProcess(p, dataDir, {}, ["--frsh"]);
  assert.equal(await bad.exitsWithin(30_000), 1);
  assert.match(bad.output(), /Option inconnue : --frsh \(options : --fresh, --no-addin\)/);
  const who = startProcess(p, dataDir, { PAIE_DEV_IDENTITY: "root@local" });
  assert.equal(await who.exitsWithin(30_000), 1);
  assert.match(who.output(), /PAIE_DEV_IDENTITY invalide : « root@local »/);
});
