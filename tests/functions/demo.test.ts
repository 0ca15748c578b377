/** `npm run demo` is itself a test: one month end to end, every output written under --out. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import { runDemo } from "../../bin/demo.ts";

test("the demo processes the sample month and writes payslips, documents, DSM and mails", async () => {
  const out = mkdtempSync(path.join(tmpdir(), "demo-out-"));
  const lines: string[] = [];
  const summary = await runDemo({ out, log: (l) => lines.push(l) });
  assert.equal(summary.status, "mailed");
  assert.equal(summary.employees, 6);
  assert.equal(summary.mails.sent, 6);
  const dir = path.join(out, "2025-08", "v1");
  for (const f of ["journal.pdf", "journal.csv", "journal.xlsx", "charges.pdf", "charges.xlsx", "provision.pdf", "provision.xlsx", "dsm.xml"]) {
    assert.ok(existsSync(path.join(dir, f)), f);
  }
  assert.equal(readdirSync(path.join(dir, "payslips")).length, 6);
  assert.equal(readdirSync(path.join(out, "outbox")).filter((f) => f.endsWith(".eml")).length, 7);
  const dsm = readFileSync(path.join(dir, "dsm.xml"), "utf8");
  assert.match(dsm, /<periode>2025-08<\/periode>/);
  assert.match(dsm, /<administrateurSalarie>Oui<\/administrateurSalarie>/);
  const journal = execFileSync("pdftotext", ["-layout", path.join(dir, "journal.pdf"), "-"], { encoding: "utf8" });
  assert.match(journal, /421/);
  assert.ok(lines.some((l) => l.includes("6 bulletins")), lines.join("\n"));
});
