/**
 * The layers of shared/: core at the bottom imports nothing outside itself (one pinned schema library aside);
 * the other folders (schema, rates, rules, engine, cases, catalogue, documents) import each other without a cycle;
 * nothing in shared/ imports the add-in, the Azure app or Node's built-in modules (no I/O in the engine). The API
 * contract (api/) sits on core, schema and rates only, and no other folder of shared/ imports it: the add-in and the Azure
 * app do.
 * Imports are read with TypeScript's own pre-processor: static, type-only, re-exports and dynamic import() alike.
 */

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import ts from "typescript";

const ROOT = path.resolve(import.meta.dirname, "../..");
/** Packages core may use: TypeBox builds the primitive schemas (money, periods) every boundary shares. */
const CORE_PACKAGES = new Set(["@sinclair/typebox"]);

interface Finding {
  file: string;
  specifier: string;
  problem: string;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|tsx|mts)$/.test(name)) out.push(full);
  }
  return out;
}

function importsOf(file: string): string[] {
  return ts.preProcessFile(readFileSync(file, "utf8"), true, true).importedFiles.map((f) => f.fileName);
}

/** The folder of shared/ a path belongs to ("core", "rules"…), or undefined outside shared/. */
function folderOf(shared: string, file: string): string | undefined {
  const rel = path.relative(shared, file);
  if (rel.startsWith("..") || path.isAbsolute(rel)) return undefined;
  const first = rel.split(path.sep)[0]!;
  return first === rel ? "(racine)" : first;
}

/** Every rule broken under `shared`, and the folder graph (folder → folders it imports). */
export function checkLayers(shared: string): { findings: Finding[]; graph: Map<string, Set<string>> } {
  const findings: Finding[] = [];
  const graph = new Map<string, Set<string>>();
  const repo = path.dirname(shared);
  for (const file of sourceFiles(shared)) {
    const from = folderOf(shared, file)!;
    if (!graph.has(from)) graph.set(from, new Set());
    const rel = path.relative(repo, file);
    for (const specifier of importsOf(file)) {
      if (!specifier.startsWith(".")) {
        if (isBuiltin(specifier)) {
          findings.push({ file: rel, specifier, problem: "module Node intégré : shared/ ne fait pas d'entrées-sorties" });
        } else if (from === "core" && !CORE_PACKAGES.has(packageName(specifier))) {
          findings.push({ file: rel, specifier, problem: `core/ n'utilise que ${[...CORE_PACKAGES].join(", ")}` });
        }
        continue;
      }
      const target = path.resolve(path.dirname(file), specifier);
      const to = folderOf(shared, target);
      if (to === undefined) {
        const top = path.relative(repo, target).split(path.sep)[0];
        findings.push({ file: rel, specifier, problem: `shared/ importe hors de shared/ (${top}/)` });
        continue;
      }
      if (from === "core" && to !== "core") findings.push({ file: rel, specifier, problem: `core/ importe ${to}/` });
      if (to !== from) graph.get(from)!.add(to);
    }
  }
  for (const cycle of cycles(graph)) findings.push({ file: `shared/${cycle[0]}`, specifier: "", problem: `cycle entre dossiers : ${cycle.join(" → ")}` });
  return { findings, graph };
}

function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

/** One cycle per strongly connected group of folders, as a path that returns to its start. */
function cycles(graph: Map<string, Set<string>>): string[][] {
  const found: string[][] = [];
  const done = new Set<string>();
  const visit = (node: string, stack: string[]) => {
    const at = stack.indexOf(node);
    if (at >= 0) {
      found.push([...stack.slice(at), node]);
      return;
    }
    if (done.has(node)) return;
    stack.push(node);
    for (const next of [...(graph.get(node) ?? [])].sort()) visit(next, stack);
    stack.pop();
    done.add(node);
  };
  for (const node of [...graph.keys()].sort()) visit(node, []);
  return found;
}

const describe = (findings: Finding[]) => findings.map((f) => `${f.file}${f.specifier ? ` (« ${f.specifier} »)` : ""} : ${f.problem}`).join("\n");

test("shared/: core at the bottom, no cycle between folders, no import of the add-in, the Azure app or Node", () => {
  const { findings, graph } = checkLayers(path.join(ROOT, "shared"));
  assert.equal(describe(findings), "");
  assert.deepEqual([...(graph.get("core") ?? ["(absent)"])], [], "core/ exists and imports no other folder");
});

/** What shared/api, the HTTP contract between the add-in and the Azure app, may build on. */
const API_MAY_IMPORT = ["core", "schema", "rates"];

test("shared/api: the contract imports only core, schema and rates, and no other folder of shared/ imports it", () => {
  const { graph } = checkLayers(path.join(ROOT, "shared"));
  assert.ok(graph.has("api"), "shared/api exists");
  assert.deepEqual(
    [...graph.get("api")!].filter((to) => !API_MAY_IMPORT.includes(to)),
    [],
    "api/ imports only core/, schema/ and rates/",
  );
  const importers = [...graph].filter(([, to]) => to.has("api")).map(([from]) => from);
  assert.deepEqual(importers, [], "only addin/ and functions/ import shared/api");
});

test("the layer check finds a cycle, core reaching up, and shared/ reaching into functions/ or Node", () => {
  const repo = mkdtempSync(path.join(tmpdir(), "layers-"));
  const write = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true });
    writeFileSync(path.join(repo, rel), text);
  };
  write("shared/core/money.ts", `import { x } from "../rules/a.ts";\nimport { Type } from "@sinclair/typebox";\nexport const m = 1;`);
  write("shared/rules/a.ts", `import type { E } from "../engine/e.ts";\nexport const x = 1;`);
  write("shared/engine/e.ts", `import { x } from "../rules/a.ts";\nconst lazy = () => import("../../functions/app/http.ts");\nexport type E = number;`);
  write("shared/schema/s.ts", `import { readFileSync } from "node:fs";\nimport { join } from "path";\nimport fetch from "undici";\nexport const s = 1;`);
  write("shared/core/ok.ts", `import { m } from "./money.ts";\nimport pdf from "pdf-lib";`);
  const text = describe(checkLayers(path.join(repo, "shared")).findings);
  assert.match(text, /shared\/core\/money\.ts \(« \.\.\/rules\/a\.ts »\) : core\/ importe rules\//);
  assert.match(text, /cycle entre dossiers : (engine → rules → engine|rules → engine → rules)/);
  assert.match(text, /shared\/engine\/e\.ts \(« \.\.\/\.\.\/functions\/app\/http\.ts »\) : shared\/ importe hors de shared\/ \(functions\/\)/);
  assert.match(text, /shared\/schema\/s\.ts \(« node:fs »\) : module Node intégré/);
  assert.match(text, /shared\/schema\/s\.ts \(« path »\) : module Node intégré/);
  assert.match(text, /shared\/core\/ok\.ts \(« pdf-lib »\) : core\/ n'utilise que @sinclair\/typebox/);
  assert.doesNotMatch(text, /undici/, "other folders may use packages");
});
