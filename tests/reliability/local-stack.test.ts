/**
 * The local stack under faults, from outside: `paie start` killed with SIGKILL (its Azurite must die with it and free
 * the ports), started on ports a stale process holds (refused, naming the port, never attached to), restarted on its
 * data folder after a clean stop and after kill -9 (its own data read back with the folder's one key; a second stack
 * on the same folder refused).
 */

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { api, childrenOf, isFree, ports, ROOT, startProcess } from "../support/start-process.ts";
import { reportAtEnd, tally } from "./summary.ts";

reportAtEnd(import.meta.filename);

test("kill -9 of paie start: its Azurite dies too and frees the ports within seconds", async () => {
  const p = await ports();
  const run = startProcess(p, mkdtempSync(path.join(tmpdir(), "start-data-")));
  let orphans: number[] = [];
  try {
    await run.started();
    orphans = childrenOf(run.child.pid!);
    assert.ok(orphans.length >= 1, "Azurite runs as a child process");
    assert.equal(await isFree(p.table), false);
    run.child.kill("SIGKILL");
    tally.fault();
    await run.exited;
    const deadline = Date.now() + 5_000;
    while (!((await isFree(p.table)) && (await isFree(p.blob)) && (await isFree(p.queue)))) {
      if (Date.now() > deadline) assert.fail(`Azurite still holds its ports 5 s after kill -9 of paie start\n${run.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    run.child.kill("SIGKILL");
    // Without the watchdog the orphan would stay: end it by its pid so that the run leaves nothing behind.
    for (const pid of orphans) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone: the expected case
      }
    }
  }
});

async function hold(port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return server;
}

test("a port already held (a stale Azurite or host) is refused with a message naming it, never attached to", async () => {
  for (const which of ["table", "api"] as const) {
    const p = await ports();
    const stale = await hold(p[which]);
    tally.fault();
    try {
      const run = startProcess(p, mkdtempSync(path.join(tmpdir(), "start-data-")));
      const code = await run.exitsWithin(60_000);
      assert.equal(code, 1, run.output());
      assert.match(
        run.output(),
        new RegExp(`Pile locale non démarrée : Le port ${p[which]} \\((${which === "api" ? "hôte des fonctions" : "Azurite, tables"})\\) est déjà occupé`),
      );
      assert.match(run.output(), new RegExp(which === "api" ? "PAIE_PORT" : "PAIE_AZURITE_PORTS"));
      assert.doesNotMatch(run.output(), /pile locale démarrée/);
      // Nothing of this run stays up.
      for (const port of [p.api, p.blob, p.queue, p.table].filter((x) => x !== p[which])) assert.ok(await isFree(port), `port ${port} released`);
    } finally {
      await new Promise((r) => stale.close(r));
    }
  }
});

test("a restart on the same data folder reads its own data: one data key per folder, kept beside the data", async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "start-data-"));
  const p = await ports();
  const company = { ...JSON.parse(readFileSync(path.join(ROOT, "samples/demo-company.json"), "utf8")).company, id: "persist-co", name: "Persistance SARL" };
  const employee = {
    employeeId: "P001",
    lastName: "Rossi",
    firstName: "Lucia",
    active: true,
    hireDate: "2020-01-01",
    data: { ccssNumber: "123456", birthDate: "1990-04-02", job: "Comptable" },
  };
  let run = startProcess(p, dataDir);
  try {
    await run.started();
    assert.equal((await api(p, "PUT", `companies/${company.id}`, company)).status, 201);
    assert.equal((await api(p, "PUT", `companies/${company.id}/employees`, [employee])).status, 200);
    // A second stack on the same folder (other ports) is refused: two Azurites must never share one location.
    const other = startProcess(await ports(), dataDir);
    assert.equal(await other.exitsWithin(60_000), 1, other.output());
    assert.match(other.output(), new RegExp(`Le dossier de données locales .* est déjà utilisé par le processus ${run.child.pid}`));
  } finally {
    run.child.kill("SIGINT");
  }
  assert.equal(await run.exited, 0, run.output());
  const keyFile = path.join(dataDir, "data-key.json");
  assert.equal(statSync(keyFile).mode & 0o777, 0o600, "the key is readable by its owner only");
  const key = readFileSync(keyFile, "utf8");
  run = startProcess(p, dataDir);
  try {
    await run.started();
    const r = await api(p, "GET", `companies/${company.id}/employees`);
    if (r.status !== 200 || r.json.employees?.[0]?.data?.ccssNumber !== "123456") tally.lost(1);
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.employees.length, 1);
    assert.equal(r.json.employees[0].data.ccssNumber, "123456", "personal data decrypted with the folder's key");
    assert.equal(readFileSync(keyFile, "utf8"), key, "the key was not replaced");
  } finally {
    run.child.kill("SIGKILL"); // and the lock it leaves is taken over by the next run
    tally.fault();
  }
  await run.exited;
  run = startProcess(p, dataDir);
  try {
    await run.started();
    const again = await api(p, "GET", `companies/${company.id}/employees`);
    if (again.json.employees?.[0]?.data?.ccssNumber !== "123456") tally.lost(1);
    assert.equal(again.json.employees[0].data.ccssNumber, "123456");
  } finally {
    run.child.kill("SIGINT");
  }
  assert.equal(await run.exited, 0, run.output());
});
