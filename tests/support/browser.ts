/**
 * Browser-test support: builds the add-in once per source state (shared by test files through a directory lock),
 * serves it over local HTTP, and launches Debian's chromium with playwright-core.
 */

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { build } from "esbuild";
import { type BrowserContext, chromium } from "playwright-core";

export const ROOT = resolve(import.meta.dirname, "../..");
export const ARTIFACTS = join(ROOT, ".artifacts/addin");

function hashTree(paths: string[]): string {
  const h = createHash("sha256");
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    if (statSync(p).isDirectory()) for (const f of readdirSync(p).sort()) walk(join(p, f));
    else h.update(p).update(readFileSync(p));
  };
  for (const p of paths) walk(join(ROOT, p));
  return h.digest("hex").slice(0, 16);
}

/** Production build of the add-in into .artifacts/addin/build-<hash>/; returns the directory. */
export async function ensureAddinBuild(): Promise<string> {
  const hash = hashTree(["addin", "shared", "webpack.config.js", "manifest.xml"]);
  const dir = join(ARTIFACTS, `build-${hash}`);
  const done = join(dir, ".done");
  const lock = join(ARTIFACTS, `build-${hash}.lock`);
  mkdirSync(ARTIFACTS, { recursive: true });
  while (!existsSync(done)) {
    try {
      mkdirSync(lock);
    } catch {
      // Another test process is building the same sources; a lock older than 5 minutes is from a crashed run.
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
      await sleep(500);
      continue;
    }
    try {
      if (existsSync(done)) break;
      const r = spawnSync(process.execPath, [join(ROOT, "node_modules/webpack-cli/bin/cli.js"), "--mode", "production", "--env", "local"], {
        cwd: ROOT,
        env: { ...process.env, ADDIN_OUT_DIR: dir, ADDIN_URL: "" /* the dev origin, allowed by --env local */ },
        encoding: "utf8",
      });
      if (r.status !== 0) throw new Error(`webpack failed:\n${r.stdout}\n${r.stderr}`);
      writeFileSync(done, r.stdout);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  return dir;
}

/** The fake Office host as one browser script. */
export async function fakeHostScript(): Promise<string> {
  const out = await build({ entryPoints: [join(ROOT, "tests/support/fake-office/host.ts")], bundle: true, write: false, format: "iife", target: "es2020" });
  return out.outputFiles[0]!.text;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "application/javascript",
  ".json": "application/json",
  ".png": "image/png",
  ".xml": "application/xml",
};

export async function serve(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const file = resolve(dir, `.${path}`);
    if (!file.startsWith(dir) || !existsSync(file) || statSync(file).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

/** Chromium with a fresh throw-away profile (playwright passes it as --user-data-dir). */
export async function launchChromium(): Promise<{ browser: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), "paie-chromium-"));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    viewport: { width: 420, height: 900 },
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
