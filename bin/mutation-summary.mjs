#!/usr/bin/env node
// Adds up StrykerJS reports (mutation-testing-report-schema JSON, e.g. the per-group incremental files of
// docs/mutation.md) into one table per folder, and subtracts the survivors judged equivalent in
// docs/mutation-equivalent.json (matched by file, line, column and replacement; each carries its reason).
// Usage: node bin/mutation-summary.mjs [report.json ...]   (default: reports/mutation/groups/*.json)
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

const args = process.argv.slice(2);
const dir = "reports/mutation/groups";
const files = args.length
  ? args
  : existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith(".json"))
        .map((f) => join(dir, f))
    : [];
const equivalent = JSON.parse(readFileSync("docs/mutation-equivalent.json", "utf8"));
const key = (file, line, column, replacement) => `${file}:${line}:${column}:${replacement}`;
const equivalentKeys = new Set(equivalent.map((e) => key(e.file, e.line, e.column, e.replacement)));

// Latest result per mutated file wins (a later group report replaces an earlier one of the same file).
const byFile = new Map();
for (const f of files) for (const [name, result] of Object.entries(JSON.parse(readFileSync(f, "utf8")).files)) byFile.set(name, result);

const rows = new Map();
const open = [];
for (const [name, result] of [...byFile].sort()) {
  const folder = dirname(name);
  const row = rows.get(folder) ?? { mutants: 0, Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, other: 0, equivalent: 0 };
  rows.set(folder, row);
  for (const m of result.mutants) {
    row.mutants++;
    if (m.status in row) row[m.status]++;
    else row.other++;
    if (m.status === "Survived" || m.status === "NoCoverage") {
      const k = key(name, m.location.start.line, m.location.start.column, m.replacement);
      if (equivalentKeys.has(k)) row.equivalent++;
      else open.push(`${k} (${m.mutatorName}, ${m.status})`);
    }
  }
}
const pct = (n, d) => (d ? ((100 * n) / d).toFixed(1) : "-");
const total = { mutants: 0, Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, other: 0, equivalent: 0 };
console.log("| folder | mutants | killed | timeout | survived | no coverage | errors | score | equivalent | score without equivalent |");
console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
const line = (name, r) => {
  const detected = r.Killed + r.Timeout;
  const valid = detected + r.Survived + r.NoCoverage;
  console.log(
    `| ${name} | ${r.mutants} | ${r.Killed} | ${r.Timeout} | ${r.Survived} | ${r.NoCoverage} | ${r.other} | ${pct(detected, valid)} % | ${r.equivalent} | ${pct(detected, valid - r.equivalent)} % |`,
  );
};
for (const [folder, r] of [...rows].sort()) {
  line(folder, r);
  for (const k of Object.keys(total)) total[k] += r[k];
}
line("**total**", total);
console.log(`\nfiles: ${[...byFile.keys()].sort().join(", ")}`);
if (open.length) console.log(`\nsurvivors not judged equivalent (${open.length}):\n  ${open.join("\n  ")}`);
