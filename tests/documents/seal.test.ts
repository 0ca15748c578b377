/**
 * The payslip seal and encryption, checked with independent tools (poppler): `pdfsig` verifies the PAdES seal,
 * `pdftotext -upw` opens the encrypted copy, `pdfinfo` names the cipher. Certificates are made here (openssl for RSA,
 * @peculiar/x509 for ECDSA) and never committed.
 */

import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { PDFDocument, PDFHexString, PDFName } from "@cantoo/pdf-lib";
import { encryptPdf, isEncryptedPdf } from "../../functions/documents/encrypt.ts";
import { sealPdf } from "../../functions/documents/seal.ts";
import { DOCUMENT_CODE_PATTERN, newDocumentCode } from "../../functions/security/payslip-secrets.ts";
import { ephemeralSealKey, parseSealKey, readSealKey, type SealKey, SealKeyConfigError } from "../../functions/security/seal-key.ts";
import { renderPayslipPdf } from "../../shared/documents/payslip.ts";
import { company, employees } from "./fixtures/identities.ts";
import { bs202508a } from "./fixtures/payslips.ts";
import { loadFonts } from "./fonts.ts";
import { pdfText, squeeze } from "./helpers.ts";

const work = mkdtempSync(join(tmpdir(), "seal-test-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));
let n = 0;
const file = (pdf: Uint8Array) => {
  const f = join(work, `doc-${++n}.pdf`);
  writeFileSync(f, pdf);
  return f;
};

/** pdfsig's verdict on the (only) signature; "none" when the file has none. pdfsig exits non-zero on an invalid one. */
function pdfsig(pdf: Uint8Array, password?: string): { verdict: string; output: string } {
  const r = spawnSync("pdfsig", [...(password ? ["-upw", password] : []), file(pdf)], { encoding: "utf8" });
  const output = `${r.stdout}${r.stderr}`;
  if (/does not contain any signatures/.test(output)) return { verdict: "none", output };
  return { verdict: /Signature Validation: (.*)$/m.exec(output)?.[1]?.trim() ?? "unreadable", output };
}

function pdftotext(pdf: Uint8Array, password?: string): { ok: boolean; text: string; error: string } {
  const r = spawnSync("pdftotext", ["-layout", "-enc", "UTF-8", ...(password !== undefined ? ["-upw", password] : []), file(pdf), "-"], { encoding: "utf8" });
  return { ok: r.status === 0, text: r.stdout, error: r.stderr };
}

function opensslRsaKey(): SealKey {
  const dir = mkdtempSync(join(work, "rsa-"));
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      join(dir, "key.pem"),
      "-out",
      join(dir, "cert.pem"),
      "-days",
      "2",
      "-subj",
      "/CN=Cabinet Test RSA/O=Paie Monaco test/C=MC",
    ],
    { stdio: "ignore" },
  );
  return readSealKey({ PAIE_SEAL_CERT_PEM: readFileSync(join(dir, "cert.pem"), "utf8"), PAIE_SEAL_KEY_PEM: readFileSync(join(dir, "key.pem"), "utf8") });
}

const payslip = await renderPayslipPdf({ result: bs202508a, employee: employees.find((e) => e.id === bs202508a.employeeId)!, company }, loadFonts());
const keys: { name: string; key: SealKey }[] = [
  { name: "RSA-2048 (openssl)", key: opensslRsaKey() },
  { name: "ECDSA P-256 (@peculiar/x509)", key: (await ephemeralSealKey("Cachet ECDSA de test")).key },
];
const signingTime = new Date("2025-08-31T02:00:00Z");

for (const { name, key } of keys) {
  test(`a sealed payslip verifies with pdfsig; one modified byte makes it invalid — ${name}`, async () => {
    assert.equal(pdfsig(payslip).verdict, "none", "the rendered payslip has no seal of its own");
    const sealed = await sealPdf(payslip, key, { signingTime, name: "Cabinet Test pour SAM Riviera", reason: "Bulletin de paie" });
    const check = pdfsig(sealed);
    assert.equal(check.verdict, "Signature is Valid.", check.output);
    assert.match(check.output, /Signature Type: ETSI\.CAdES\.detached/);
    assert.match(check.output, /Signing Hash Algorithm: SHA-256/);
    assert.match(check.output, /Total document signed/);
    assert.match(check.output, /Signing Time: Aug 31 2025/);
    // The content is untouched by the seal.
    assert.equal(squeeze(pdfText(sealed)), squeeze(pdfText(payslip)));

    // One bit flipped inside the signed range (early in the file, before the signature's /Contents).
    const tampered = new Uint8Array(sealed);
    const at = Buffer.from(sealed).indexOf("stream") + 20;
    tampered[at] = tampered[at]! ^ 0x01;
    const broken = pdfsig(tampered);
    assert.notEqual(broken.verdict, "Signature is Valid.", broken.output);
    assert.notEqual(broken.verdict, "none");
  });

  test(`the mailed copy: AES-256, opened by the code only, and sealed over the encrypted bytes — ${name}`, async () => {
    const code = newDocumentCode();
    const sealed = await sealPdf(payslip, key, { signingTime, reason: "Bulletin de paie" });
    // The stored (sealed) copy is re-sealed: its first seal is removed, one seal is left.
    const mailed = await sealPdf(sealed, key, { signingTime, reason: "Bulletin de paie", encryptWith: code });
    assert.ok(isEncryptedPdf(mailed));
    assert.ok(!isEncryptedPdf(sealed));

    const opened = pdftotext(mailed, code);
    assert.ok(opened.ok, opened.error);
    assert.equal(squeeze(opened.text), squeeze(pdfText(payslip)));
    const without = pdftotext(mailed);
    assert.equal(without.ok, false, "opens without the code");
    assert.match(without.error, /Incorrect password/);
    const wrong = pdftotext(mailed, newDocumentCode());
    assert.equal(wrong.ok, false, "opens with another code");
    assert.equal(pdftotext(mailed, code.toLowerCase()).ok, false, "the code is typed as printed");

    const info = spawnSync("pdfinfo", ["-upw", code, file(mailed)], { encoding: "utf8" }).stdout;
    assert.match(info, /Encrypted:\s+yes \(print:yes copy:yes change:no addNotes:no algorithm:AES-256\)/);

    const check = pdfsig(mailed, code);
    assert.equal(check.verdict, "Signature is Valid.", check.output);
    assert.equal((check.output.match(/Signature #/g) ?? []).length, 1, "one seal, not the stored copy's as well");
    const tampered = new Uint8Array(mailed);
    const at = Buffer.from(mailed).indexOf("stream") + 20;
    tampered[at] = tampered[at]! ^ 0x01;
    assert.notEqual(pdfsig(tampered, code).verdict, "Signature is Valid.");
  });
}

test("encryptPdf alone: AES-256 with the code as user password, never without it", async () => {
  const code = newDocumentCode();
  const encrypted = await encryptPdf(payslip, code);
  assert.ok(pdftotext(encrypted, code).ok);
  assert.equal(pdftotext(encrypted).ok, false);
  assert.ok(!Buffer.from(encrypted).includes(Buffer.from("NET À PAYER", "latin1")) && !Buffer.from(encrypted).includes(Buffer.from(code)));
  // The catalog stays outside object streams: its /Lang is encrypted too, and decrypts back to what it was.
  assert.ok(!Buffer.from(encrypted).includes("fr-FR"), "a clear string left in an encrypted file");
  const reopened = await PDFDocument.load(encrypted, { password: code, updateMetadata: false });
  assert.equal(reopened.catalog.lookup(PDFName.of("Lang"), PDFHexString).decodeText(), "fr-FR");
  await assert.rejects(encryptPdf(payslip, "court"), /trop court/);
});

test("document codes: 12 Crockford base32 characters in three groups, 60 random bits", () => {
  const seen = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const c = newDocumentCode();
    assert.match(c, DOCUMENT_CODE_PATTERN);
    seen.add(c);
  }
  assert.equal(seen.size, 2000);
  // Every character of the alphabet turns up, and none outside it (no I, L, O, U).
  const chars = new Set([...seen].join("").replace(/-/g, ""));
  assert.equal(chars.size, 32);
  for (const c of "ILOU") assert.ok(!chars.has(c));
});

test("seal settings: missing, unreadable, or a key that is not the certificate's are refused in French, without key material", async () => {
  const a = await ephemeralSealKey("A");
  const b = await ephemeralSealKey("B");
  assert.throws(
    () => readSealKey({}),
    (e: unknown) => e instanceof SealKeyConfigError && /PAIE_SEAL_PEM/.test(e.message),
  );
  assert.throws(() => readSealKey({ PAIE_SEAL_CERT_PEM: a.env.PAIE_SEAL_CERT_PEM }), /PAIE_SEAL_KEY_PEM/);
  assert.throws(() => readSealKey({ PAIE_SEAL_CERT_PEM: "pas un certificat", PAIE_SEAL_KEY_PEM: a.env.PAIE_SEAL_KEY_PEM }), /aucun certificat/);
  const mismatch = () => readSealKey({ PAIE_SEAL_CERT_PEM: a.env.PAIE_SEAL_CERT_PEM, PAIE_SEAL_KEY_PEM: b.env.PAIE_SEAL_KEY_PEM });
  assert.throws(mismatch, (e: unknown) => {
    assert.ok(e instanceof SealKeyConfigError);
    assert.match(e.message, /ne correspond pas au certificat/);
    assert.ok(!e.message.includes("PRIVATE KEY"));
    return true;
  });
  // Key Vault's certificate-as-secret form: key and chain in one PEM, here with literal "\n" as App Settings may carry.
  const both = `${a.env.PAIE_SEAL_KEY_PEM}${a.env.PAIE_SEAL_CERT_PEM}`.replace(/\n/g, "\\n");
  assert.match(readSealKey({ PAIE_SEAL_PEM: both }).subject, /CN=A/);
  // Expired: judged against the date the seal is used.
  assert.throws(
    () => parseSealKey(a.env.PAIE_SEAL_CERT_PEM, a.env.PAIE_SEAL_KEY_PEM, { cert: "C", key: "K" }, new Date(Date.now() + 60 * 24 * 3600_000)),
    /a expiré/,
  );
});
