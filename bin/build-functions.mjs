#!/usr/bin/env node
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
// Builds the deployable Azure Functions app into dist/functions: one ESM bundle of functions/index.ts (the same
// definitions the local runner serves), host.json, and a package.json whose "main" the Functions host loads.
// Deploy with `func azure functionapp publish <app>` from dist/functions, or zip-deploy that folder.
import { build } from "esbuild";

const root = path.resolve(import.meta.dirname, "..");
const out = path.join(root, "dist/functions");
mkdirSync(out, { recursive: true });
const external = ["@azure/functions", "dejavu-fonts-ttf"];
await build({
  entryPoints: [path.join(root, "functions/index.ts")],
  outfile: path.join(out, "index.mjs"),
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  // Bundled CommonJS dependencies call require(): give the ESM bundle one.
  banner: { js: "import { createRequire as __paieCreateRequire } from 'node:module'; const require = __paieCreateRequire(import.meta.url);" },
  external,
  sourcemap: true,
  logLevel: "warning",
});
copyFileSync(path.join(root, "functions/host.json"), path.join(out, "host.json"));
const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
writeFileSync(
  path.join(out, "package.json"),
  `${JSON.stringify(
    {
      name: "paie-monaco-functions",
      version: pkg.version,
      private: true,
      main: "index.mjs",
      type: "module",
      engines: { node: ">=20" },
      dependencies: Object.fromEntries(external.map((d) => [d, pkg.dependencies[d]])),
    },
    null,
    2,
  )}\n`,
);
console.log(`dist/functions prêt (${external.join(", ")} installés au déploiement)`);
