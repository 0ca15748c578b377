#!/usr/bin/env node
// Installs the npm dependencies from the lockfile when they are missing or older than it, so that `npm run demo` and
// `npm test` each work alone on a fresh clone. Plain Node (no dependency: it runs before they exist). A stamp holding the
// lockfile's sha256 says which lockfile node_modules was installed from; modification times are not trusted because a
// checkout rewrites them.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const lock = readFileSync(path.join(root, "package-lock.json"));
const sha = createHash("sha256").update(lock).digest("hex");
const stamp = path.join(root, "node_modules", ".paie-lock.sha256");
const current = existsSync(stamp) ? readFileSync(stamp, "utf8").trim() : "";
if (current !== sha) {
  console.log(existsSync(path.join(root, "node_modules")) ? "Dépendances npm à mettre à jour : npm ci" : "Installation des dépendances npm : npm ci");
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const r = spawnSync(npm, ["ci", "--no-audit", "--no-fund"], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`npm ci a échoué (code ${r.status ?? r.signal}) ; corrigez l'erreur ci-dessus puis relancez.`);
    process.exit(1);
  }
  writeFileSync(stamp, `${sha}\n`);
}
