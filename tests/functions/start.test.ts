/**
 * `npm start` on a fresh clone: the local stack comes up, the demo company and its staff are seeded, Ctrl+C stops it;
 * its Azurite dies with it even on `kill -9`; ports already held are refused, naming the port; a restart on the same
 * data folder reads what the previous run wrote (one data key per folder).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "../support/azurite.ts";
import { assertPortFree } from "../../functions/host/ports.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");

interface Ports {
  api: number;
  blob: number;
  queue: number;
  table: number;
}

async function ports(): Promise<Ports> {
  return { api: await freePort(), blob: await freePort(), queue: await freePort(), table: await freePort() };
}

function startProcess(p: Ports, dataDir: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [path.join(ROOT, "bin/paie.mjs"), "start", "--no-addin"], {
    cwd: mkdtempSync(path.join(tmpdir(), "start-")),
    env: { ...process.env, PAIE_PORT: String(p.api), PAIE_AZURITE_PORTS: `${p.blob},${p.queue},${p.table}`, PAIE_LOCAL_DATA: dataDir, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    child,
    exited,
    /** The exit code, or a failure (and the process killed) when it is still running after `ms`. */
    async exitsWithin(ms: number): Promise<number | null> {
      const timer = new Promise<"running">((resolve) => setTimeout(() => resolve("running"), ms).unref());
      const outcome = await Promise.race([exited, timer]);
      if (outcome === "running") {
        child.kill("SIGINT");
        await exited;
        assert.fail(`still running after ${ms} ms:\n${output}`);
      }
      return outcome;
    },
    output: () => output,
    async started(): Promise<void> {
      const deadline = Date.now() + 90_000;
      while (!output.includes("pile locale démarrée")) {
        if (child.exitCode !== null || Date.now() > deadline) assert.fail(`the stack did not start:\n${output}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
  };
}

/** Direct children of a process (Linux /proc), to clean up by pid whatever a failing run leaves behind. */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

const isFree = (port: number) => assertPortFree(port, "test", "test").then(() => true, () => false);

async function api(p: Ports, method: string, route: string, body?: unknown) {
  const res = await fetch(`http://127.0.0.1:${p.api}/api/${route}`, { method, headers: { "Content-Type": "application/json" }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, json: await res.json() };
}

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
    try {
      const run = startProcess(p, mkdtempSync(path.join(tmpdir(), "start-data-")));
      const code = await run.exitsWithin(60_000);
      assert.equal(code, 1, run.output());
      assert.match(run.output(), new RegExp(`Pile locale non démarrée : Le port ${p[which]} \\((${which === "api" ? "hôte des fonctions" : "Azurite, tables"})\\) est déjà occupé`));
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
    employeeId: "P001", lastName: "Rossi", firstName: "Lucia", active: true, entryDate: "2020-01-01",
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
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.employees.length, 1);
    assert.equal(r.json.employees[0].data.ccssNumber, "123456", "personal data decrypted with the folder's key");
    assert.equal(readFileSync(keyFile, "utf8"), key, "the key was not replaced");
  } finally {
    run.child.kill("SIGKILL"); // and the lock it leaves is taken over by the next run
  }
  await run.exited;
  run = startProcess(p, dataDir);
  try {
    await run.started();
    assert.equal((await api(p, "GET", `companies/${company.id}/employees`)).json.employees[0].data.ccssNumber, "123456");
  } finally {
    run.child.kill("SIGINT");
  }
  assert.equal(await run.exited, 0, run.output());
});

