/**
 * `npm run bench`: runs every benchmark of this folder in turn and prints one JSON line each.
 * `npm run bench -- engine` runs only the named ones.
 *
 * The engine benchmark runs the engine as production runs it — bundled by esbuild, as in dist/functions and the task
 * pane — rather than through tsx, whose development transform adds a wrapper call to every function.
 */
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const ALL = ["engine", "documents", "storage", "payroll-run", "seal"];
const BUNDLED = new Set(["engine"]);
const root = path.resolve(import.meta.dirname, "..");
const wanted = process.argv.slice(2).filter((a) => !a.startsWith("-"));

async function load(name: string): Promise<{ run: () => Promise<Record<string, unknown>> }> {
  const file = path.join(import.meta.dirname, `${name}.ts`);
  if (!BUNDLED.has(name)) return import(file);
  const out = path.join(root, ".artifacts/bench", `${name}.mjs`);
  mkdirSync(path.dirname(out), { recursive: true });
  await build({
    entryPoints: [file],
    outfile: out,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  });
  return import(pathToFileURL(out).href);
}

for (const name of wanted.length ? wanted : ALL) {
  if (!existsSync(path.join(import.meta.dirname, `${name}.ts`))) continue;
  try {
    const mod = await load(name);
    console.log(JSON.stringify(await mod.run()));
  } catch (error) {
    console.log(JSON.stringify({ bench: name, error: (error as Error).message }));
    process.exitCode = 1;
  }
}
