/** `npm run demo` is itself a test: one month end to end, every output written under --out. */

import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { runDemo } from "../../bin/demo.ts";
import { toCents } from "../../shared/core/fixed.ts";
import { formatCents } from "../../shared/core/format.ts";
import { computePayslip } from "../../shared/engine/compute.ts";
import { demoMonthInputs } from "../support/demo.ts";
import { pdfAttachment, readEml } from "../support/eml.ts";

test("the demo processes the sample month and writes payslips, documents, DSM and mails", async () => {
  const out = mkdtempSync(path.join(tmpdir(), "demo-out-"));
  const lines: string[] = [];
  const scratch = () => new Set(readdirSync(tmpdir()).filter((f) => f.startsWith("paie-demo-")));
  const before = scratch();
  const summary = await runDemo({ out, log: (l) => lines.push(l) });
  assert.deepEqual(
    [...scratch()].filter((f) => !before.has(f)),
    [],
    "the demo leaves no paie-demo-* scratch folder behind",
  );
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
  // The demo company arrives in August with a Reprise sheet: year-to-date over January–August, real leave counters.
  const text = (file: string) => execFileSync("pdftotext", ["-layout", path.join(dir, file), "-"], { encoding: "utf8" });
  const sample = JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../../samples/demo-workbook-2025-08.json"), "utf8"));
  const header = sample.reprise[0] as string[];
  const d001 = (sample.reprise as unknown[][]).find((r) => r[0] === "D001")!;
  const julyGross = toCents(d001[header.indexOf("Brut cumulé")] as number);
  const augustGross = (() => {
    const input = demoMonthInputs().find((i) => i.employee.id === "D001")!;
    const o = computePayslip(input);
    assert.ok(o.ok);
    return o.result.gross;
  })();
  const slip = text("payslips/D001.pdf");
  assert.match(slip, new RegExp(`^Cumuls 2025\\s+${formatCents(julyGross + augustGross).replace(/\s/g, "\\s")}\\s`, "m"));
  assert.match(slip, /^2024\/25\s+30,00\s+22,00\s+8,00\s/m, "N-1 counters from the reprise");
  const provision = text("provision.pdf");
  assert.match(provision, /^D001 ROSSI Élodie\s+47 570,82\s+12\s+30,00\s+22,00\s+8,00\s/m, "twelve months of 2024/25, not « Mois 1 »");
  for (const line of provision.split("\n").filter((l) => /^D00\d /.test(l))) assert.doesNotMatch(line, /-\d/, `no negative balance: ${line}`);
  assert.ok(
    lines.some((l) => l.includes("6 bulletins")),
    lines.join("\n"),
  );
});

test("the demo's payslips are sealed (pdfsig: valid), each mailed attachment is AES-256 and opens only with the employee's code, which no mail contains", async () => {
  const out = mkdtempSync(path.join(tmpdir(), "demo-sealed-"));
  const summary = await runDemo({ out, log: () => undefined });
  assert.equal(summary.mails.sent, 6);
  const sig = (file: string, password?: string) => {
    const r = spawnSync("pdfsig", [...(password ? ["-upw", password] : []), file], { encoding: "utf8" });
    return /Signature Validation: (.*)$/m.exec(`${r.stdout}${r.stderr}`)?.[1]?.trim() ?? `${r.stdout}${r.stderr}`;
  };
  const payslips = path.join(out, "2025-08", "v1", "payslips");
  for (const f of readdirSync(payslips)) assert.equal(sig(path.join(payslips, f)), "Signature is Valid.", f);

  // The letters the accountant hands over: one page per employee, the code and the matricule on it.
  assert.equal(summary.codeLetters, path.join(out, "codes", "courriers-codes-bulletins.pdf"));
  const letters = execFileSync("pdftotext", ["-layout", summary.codeLetters, "-"], { encoding: "utf8" })
    .split("\f")
    .filter((p) => p.trim());
  const codes = new Map<string, string>();
  for (const page of letters) {
    const code = /\b([0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4})\b/.exec(page)?.[1];
    const id = /matricule (D\d{3})/.exec(page)?.[1];
    assert.ok(code && id, page);
    codes.set(id, code);
  }
  assert.equal(codes.size, 6);
  assert.equal(new Set(codes.values()).size, 6, "one code per employee");

  for (const [id, code] of codes) {
    const file = path.join(out, "outbox", `demo-sam_2025-08_${id}.eml`);
    const eml = readFileSync(file, "utf8");
    const mail = await readEml(file);
    const pdf = pdfAttachment(mail);
    assert.ok(pdf, `${id}: an attachment`);
    const parts = [
      { type: "text/plain", body: Buffer.from(mail.text ?? "", "utf8") },
      { type: "text/html", body: Buffer.from(mail.html || "", "utf8") },
      ...mail.attachments.map((a) => ({ type: a.contentType, body: a.content })),
    ];
    // The code is in no part of any mail, decoded or not, nor in the attachment's bytes.
    for (const other of codes.values()) {
      assert.ok(!eml.includes(other), `${id}: a code in the raw mail`);
      for (const p of parts) assert.ok(!p.body.includes(other) && !p.body.includes(other.replace(/-/g, "")), `${id}: a code in a ${p.type} part`);
    }
    const text = parts.find((p) => p.type === "text/plain")!.body.toString("utf8");
    assert.match(text, /protégé : ouvrez-le avec le code personnel qui vous a été remis séparément/);
    assert.match(parts.find((p) => p.type === "text/html")!.body.toString("utf8"), /code personnel qui vous a été remis séparément/);

    const attachment = path.join(out, `${id}-attachment.pdf`);
    writeFileSync(attachment, pdf);
    const open = (password?: string) => spawnSync("pdftotext", [...(password ? ["-upw", password] : []), attachment, "-"], { encoding: "utf8" });
    const opened = open(code);
    assert.equal(opened.status, 0, opened.stderr);
    assert.match(opened.stdout, /NET À PAYER/);
    assert.notEqual(open().status, 0, `${id}: opens without the code`);
    const wrong = [...codes.values()].find((c) => c !== code)!;
    assert.notEqual(open(wrong).status, 0, `${id}: opens with another employee's code`);
    const info = execFileSync("pdfinfo", ["-upw", code, attachment], { encoding: "utf8" });
    assert.match(info, /Encrypted:\s+yes .*algorithm:AES-256/);
    assert.equal(sig(attachment, code), "Signature is Valid.", `${id}: the mailed copy is sealed`);
  }
});
