#!/usr/bin/env node
import path from "node:path";
// Runs a Node script as a child that dies with its parent: `node tied-child.mjs SCRIPT ARGS…`.
// Linux would do this with prctl(PR_SET_PDEATHSIG), which Node cannot call; so the child watches two things the
// kernel changes when the parent dies, even by SIGKILL: the end of its stdin pipe (the parent held the write end)
// and its parent pid (re-parented to init or a subreaper). Either one ends the child — SIGTERM first, so the
// script's own shutdown runs (Azurite closes its servers and flushes a persisted location), then a hard exit.
// Plain JavaScript on purpose: it is spawned with the bare node binary, without the TypeScript loader.
import { pathToFileURL } from "node:url";

const [script, ...args] = process.argv.slice(2);
if (!script) {
  console.error("tied-child : script à lancer manquant");
  process.exit(2);
}
const parent = process.ppid;
let ending = false;
const end = (why) => {
  if (ending) return;
  ending = true;
  console.error(`tied-child : processus parent ${parent} disparu (${why}), arrêt de ${path.basename(script)}`);
  setTimeout(() => process.exit(0), 3000).unref();
  process.kill(process.pid, "SIGTERM");
};
setInterval(() => {
  if (process.ppid !== parent) end("nouveau parent");
}, 250).unref();
process.stdin.on("end", () => end("fin du tube stdin"));
process.stdin.on("error", () => end("tube stdin en erreur"));
process.stdin.resume();
// Watching must not keep the child alive: once the script has closed its servers, it ends as it would alone.
process.stdin.unref?.();

// The script parses process.argv as if it had been started directly.
process.argv = [process.argv[0], path.resolve(script), ...args];
await import(pathToFileURL(path.resolve(script)).href);
