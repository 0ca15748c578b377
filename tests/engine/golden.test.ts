/** The reference payslips, through the `paie` command itself. */

import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { main } from "../../bin/cli.ts";

const CASES = path.resolve(import.meta.dirname, "../golden/cases");

async function run(args: string[]) {
  const lines: string[] = [];
  const code = await main(args, (l) => lines.push(l));
  return { code, lines };
}

test("paie golden: every reference payslip passes to the cent", async () => {
  const { code, lines } = await run(["golden", CASES]);
  assert.equal(lines.at(-1), "3 passed, 0 failed");
  assert.equal(code, 0);
});

test("paie golden: a changed figure is reported with field, expected and got, and the exit code is non-zero", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "golden-"));
  cpSync(CASES, dir, { recursive: true });
  const file = path.join(dir, "bs-2025-08-a.json");
  const c = JSON.parse(readFileSync(file, "utf8"));
  c.months.at(-1).expected.contributions[0].employeeAmount = 271.72;
  c.months.at(-1).expected.ytd.employerContributions = 10903.92; // as if the 4,05 % → 4,00 % change were ignored
  writeFileSync(file, JSON.stringify(c));
  writeFileSync(path.join(dir, "broken.json"), "{ not json");
  const { code, lines } = await run(["golden", dir]);
  assert.equal(code, 1);
  assert.ok(lines.includes("    2025-08 contributions[1901].employeeAmount : attendu 271.72, obtenu 271.71"), lines.join("\n"));
  assert.ok(lines.includes("    2025-08 ytd.employerContributions : attendu 10903.92, obtenu 10911.84"), lines.join("\n"));
  assert.ok(lines.some((l) => l.startsWith("✗ broken.json")));
  assert.equal(lines.at(-1), "2 passed, 2 failed");
});

test("paie compute prints the full result as JSON; the bin entry works as a real process", () => {
  const bin = path.resolve(import.meta.dirname, "../../bin/paie.mjs");
  const out = execFileSync(process.execPath, [bin, "compute", path.join(CASES, "bs-2025-08-c.json")], { encoding: "utf8" });
  const parsed = JSON.parse(out);
  assert.equal(parsed.ok, true);
  assert.equal(parsed.results.length, 8);
  assert.equal(parsed.results.at(-1).contributions.find((c: { code: string }) => c.code === "9311").base, 960_000);
  const bad = spawnSync(process.execPath, [bin, "compute", path.join(CASES, "missing.json")], { encoding: "utf8" });
  assert.equal(bad.status, 1);
  assert.match(bad.stdout, /lecture impossible/);
});
