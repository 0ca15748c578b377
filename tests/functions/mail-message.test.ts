import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import fc from "fast-check";
import { buildEml, EmlTransport, encodeWords } from "../../functions/mail/eml-transport.ts";
import { buildPayslipMail, escapeHtml, frenchPeriod, type PayslipMailInput } from "../../functions/mail/message.ts";

function input(overrides: Partial<PayslipMailInput> = {}): PayslipMailInput {
  return {
    companyId: "C001",
    companyName: "Boulangerie du Rocher",
    period: "2025-08",
    employeeId: "M042",
    firstName: "Zoé",
    lastName: "Müller",
    email: "zoe.muller@example.mc",
    pdf: Buffer.from("%PDF-1.7\n%fake\n"),
    ...overrides,
  };
}

describe("payslip message", () => {
  it("French subject with the month name, greeting, company, keep-forever and confidentiality sentences", () => {
    const m = buildPayslipMail(input());
    assert.equal(m.subject, "Votre bulletin de paie — août 2025");
    for (const body of [m.text, m.html]) {
      assert.match(body, /Bonjour Zoé,/);
      assert.match(body, /Boulangerie du Rocher/);
      assert.match(body, /août 2025/);
      assert.match(body, /ci-joint/);
      assert.match(body, /conserver sans limitation de durée/);
      assert.match(body, /confidentiels/);
    }
    assert.deepEqual(m.to, { address: "zoe.muller@example.mc", name: "Zoé Müller" });
    assert.equal(m.attachments.length, 1);
    assert.equal(m.attachments[0]!.name, "bulletin-2025-08-M042.pdf");
    assert.equal(m.attachments[0]!.contentType, "application/pdf");
    assert.deepEqual(m.key, { companyId: "C001", period: "2025-08", employeeId: "M042" });
  });

  it("names every month in French", () => {
    const months = Array.from({ length: 12 }, (_, i) => frenchPeriod(`2025-${String(i + 1).padStart(2, "0")}`));
    assert.deepEqual(months, [
      "janvier 2025",
      "février 2025",
      "mars 2025",
      "avril 2025",
      "mai 2025",
      "juin 2025",
      "juillet 2025",
      "août 2025",
      "septembre 2025",
      "octobre 2025",
      "novembre 2025",
      "décembre 2025",
    ]);
    assert.throws(() => frenchPeriod("2025-13"));
  });

  it("hostile names cannot inject HTML or headers", () => {
    const m = buildPayslipMail(
      input({
        firstName: '<script>alert("x")</script>',
        lastName: "Evil\r\nBcc: victim@example.com",
        companyName: "<img src=x onerror=alert(1)> & Cie\nSubject: piraté",
        employeeId: "../../etc/passwd",
      }),
    );
    assert.ok(!m.html.includes("<script>"));
    assert.ok(!m.html.includes("<img"));
    assert.match(m.html, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/);
    assert.match(m.html, /&amp; Cie/);
    assert.ok(!/[\r\n]/.test(m.to.name ?? ""));
    assert.ok(!/[\r\n]/.test(m.subject));
    assert.match(m.attachments[0]!.name, /^bulletin-2025-08-[A-Za-z0-9_-]+\.pdf$/);
    // and the header block of the .eml keeps exactly the headers we wrote
    const eml = buildEml(m, { from: "paie@cabinet.example", date: new Date(0), messageId: "<x@y>" });
    const headerBlock = eml.slice(0, eml.indexOf("\r\n\r\n"));
    const names = headerBlock
      .split("\r\n")
      .filter((l) => !/^[ \t]/.test(l))
      .map((l) => l.slice(0, l.indexOf(":")));
    assert.deepEqual(names, ["From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type"]);
  });

  it("escapeHtml leaves no markup-significant character (property)", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const e = escapeHtml(s);
        return !/[<>"']/.test(e) && !/&(?!(amp|lt|gt|quot|#39);)/.test(e);
      }),
    );
  });

  it("refuses an address that is not one plain mailbox", () => {
    for (const email of ["a@b.mc, c@d.mc", "x@y.mc\r\nBcc: z@w.mc", "pas-une-adresse", "<a@b.mc>"]) {
      assert.throws(() => buildPayslipMail(input({ email })), /invalide/);
    }
  });
});

// ---------- a small MIME reader, independent from the writer ----------

interface Part {
  headers: Map<string, string>;
  body: string;
}

function unfold(head: string): Map<string, string> {
  const map = new Map<string, string>();
  const lines = head.split("\r\n");
  let current = "";
  for (const line of lines) {
    if (/^[ \t]/.test(line)) current += line;
    else {
      if (current) map.set(current.slice(0, current.indexOf(":")).toLowerCase(), current.slice(current.indexOf(":") + 1).trim());
      current = line;
    }
  }
  if (current) map.set(current.slice(0, current.indexOf(":")).toLowerCase(), current.slice(current.indexOf(":") + 1).trim());
  return map;
}

function parsePart(raw: string): Part {
  const i = raw.indexOf("\r\n\r\n");
  return { headers: unfold(raw.slice(0, i)), body: raw.slice(i + 4) };
}

function boundaryOf(contentType: string): string {
  const m = /boundary="([^"]+)"/.exec(contentType);
  assert.ok(m, "multipart needs a boundary");
  return m[1]!;
}

function splitMultipart(body: string, boundary: string): Part[] {
  const end = body.indexOf(`\r\n--${boundary}--`);
  assert.ok(end >= 0, "closing boundary present");
  return body
    .slice(0, end)
    .split(`--${boundary}\r\n`)
    .slice(1)
    .map((p) => parsePart(p.replace(/\r\n$/, "")));
}

function decodeWords(value: string): string {
  return value.replace(/\?=\s+=\?/g, "?==?").replace(/=\?UTF-8\?B\?([^?]*)\?=/gi, (_, b64: string) => Buffer.from(b64, "base64").toString("utf8"));
}

function decodeBase64Body(body: string): Buffer {
  const lines = body.split("\r\n").filter((l) => l.length > 0);
  for (const l of lines) assert.ok(l.length <= 76, `base64 line of ${l.length} > 76`);
  return Buffer.from(lines.join(""), "base64");
}

describe(".eml transport round trip", () => {
  const dirs: string[] = [];
  after(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it("writes a MIME message whose parts read back to the same subject, bodies and PDF bytes", async () => {
    const outbox = await mkdtemp(path.join(tmpdir(), "paie-outbox-"));
    dirs.push(outbox);
    const pdf = Buffer.concat([Buffer.from("%PDF-1.7\n"), randomBytes(10_000)]);
    const msg = buildPayslipMail(input({ pdf, lastName: "Ğüñŧĥëŕ-Łöñğñàmé Ķřżÿśżţöφ Χαρακτήρες", companyName: "Société Générale de Monaco & Fils" }));
    const transport = new EmlTransport({
      outboxDir: outbox,
      from: "paie@cabinet.example",
      fromName: "Cabinet Paie",
      now: () => new Date("2025-09-01T08:00:00Z"),
    });
    const result = await transport.send(msg);

    const files = await readdir(outbox);
    assert.deepEqual(files, ["C001_2025-08_M042.eml"]);
    const raw = await readFile(path.join(outbox, files[0]!), "utf8");
    for (const line of raw.split("\r\n")) assert.ok(line.length <= 998);
    assert.ok(!/[^\r]\n/.test(raw), "only CRLF line endings");
    assert.ok(/^[\x00-\x7f]*$/.test(raw), "7-bit clean");

    const top = parsePart(raw);
    assert.equal(decodeWords(top.headers.get("subject")!), "Votre bulletin de paie — août 2025");
    assert.equal(decodeWords(top.headers.get("to")!), `Zoé ${"Ğüñŧĥëŕ-Łöñğñàmé Ķřżÿśżţöφ Χαρακτήρες"} <zoe.muller@example.mc>`);
    assert.equal(decodeWords(top.headers.get("from")!), "Cabinet Paie <paie@cabinet.example>");
    assert.equal(top.headers.get("date"), "Mon, 01 Sep 2025 08:00:00 +0000");
    assert.equal(top.headers.get("message-id"), result.requestId);
    assert.match(result.requestId, /^<[^<>@\s]+@[^<>@\s]+>$/);
    assert.equal(top.headers.get("mime-version"), "1.0");
    assert.match(top.headers.get("content-type")!, /^multipart\/mixed;/);

    const [alternative, attachment, ...rest] = splitMultipart(top.body, boundaryOf(top.headers.get("content-type")!));
    assert.equal(rest.length, 0);
    assert.match(alternative!.headers.get("content-type")!, /^multipart\/alternative;/);
    const [plain, html] = splitMultipart(alternative!.body, boundaryOf(alternative!.headers.get("content-type")!));
    assert.match(plain!.headers.get("content-type")!, /^text\/plain; charset=utf-8/);
    assert.equal(decodeBase64Body(plain!.body).toString("utf8"), msg.text);
    assert.match(html!.headers.get("content-type")!, /^text\/html; charset=utf-8/);
    assert.equal(decodeBase64Body(html!.body).toString("utf8"), msg.html);

    assert.match(attachment!.headers.get("content-type")!, /^application\/pdf; name="bulletin-2025-08-M042.pdf"/);
    assert.equal(attachment!.headers.get("content-disposition"), 'attachment; filename="bulletin-2025-08-M042.pdf"');
    assert.equal(attachment!.headers.get("content-transfer-encoding"), "base64");
    assert.ok(decodeBase64Body(attachment!.body).equals(pdf));
  });

  it("sending the same mail again replaces the file: one file per (company, period, employee)", async () => {
    const outbox = await mkdtemp(path.join(tmpdir(), "paie-outbox-"));
    dirs.push(outbox);
    const transport = new EmlTransport({ outboxDir: outbox, from: "paie@cabinet.example" });
    await transport.send(buildPayslipMail(input()));
    await transport.send(buildPayslipMail(input()));
    await transport.send(buildPayslipMail(input({ employeeId: "M043" })));
    assert.deepEqual((await readdir(outbox)).sort(), ["C001_2025-08_M042.eml", "C001_2025-08_M043.eml"]);
  });

  it("encoded words decode back to any string and keep lines short (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 200 }), (s) => {
        const enc = encodeWords(s);
        for (const line of enc.split("\r\n")) if (line.length > 76) return false;
        return decodeWords(enc) === s;
      }),
    );
  });
});
