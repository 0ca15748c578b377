/** `paie start` as a child process on free ports, for the tests of the local stack (start, kill -9, stale ports, restart). */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { assertPortFree } from "../../functions/host/ports.ts";
import { freePort } from "./azurite.ts";

export const ROOT = path.resolve(import.meta.dirname, "../..");

export interface Ports {
  api: number;
  blob: number;
  queue: number;
  table: number;
}

export async function ports(): Promise<Ports> {
  return { api: await freePort(), blob: await freePort(), queue: await freePort(), table: await freePort() };
}

export function startProcess(p: Ports, dataDir: string, env: Record<string, string> = {}, args: string[] = []) {
  const child = spawn(process.execPath, [path.join(ROOT, "bin/paie.mjs"), "start", "--no-addin", ...args], {
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
export function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export const isFree = (port: number) =>
  assertPortFree(port, "test", "test").then(
    () => true,
    () => false,
  );

export async function api(p: Ports, method: string, route: string, body?: unknown) {
  const res = await fetch(`http://127.0.0.1:${p.api}/api/${route}`, {
    method,
    headers: { "Content-Type": "application/json" },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: await res.json() };
}
