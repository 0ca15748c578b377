import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import fc from "fast-check";
import { simpleParser } from "mailparser";
import { buildEml, EmlTransport, emlMessageId } from "../../functions/mail/eml-transport.ts";
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

  it("hostile names cannot inject HTML or headers", async () => {
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
    const eml = await buildEml(m, { from: "paie@cabinet.example", date: new Date(0), messageId: "<x@y>" });
    const parsed = await simpleParser(eml);
    assert.deepEqual([...parsed.headers.keys()].sort(), ["content-type", "date", "from", "message-id", "mime-version", "subject", "to"]);
    assert.equal(parsed.bcc, undefined);
    assert.deepEqual(
      (Array.isArray(parsed.to) ? parsed.to : [parsed.to]).flatMap((t) => t?.value.map((v) => v.address)),
      ["zoe.muller@example.mc"],
    );
    // The would-be header stays inside the display name, on one line.
    assert.equal(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value[0]?.name : undefined, '<script>alert("x")</script> Evil Bcc: victim@example.com');
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

    const mail = await simpleParser(raw);
    assert.equal(mail.subject, "Votre bulletin de paie — août 2025");
    assert.match(raw, /^Subject: =\?UTF-8\?[QB]\?/m, "the French subject is an RFC 2047 encoded word");
    assert.deepEqual(!Array.isArray(mail.to) && mail.to?.value, [{ address: "zoe.muller@example.mc", name: `Zoé ${"Ğüñŧĥëŕ-Łöñğñàmé Ķřżÿśżţöφ Χαρακτήρες"}` }]);
    assert.deepEqual(mail.from?.value, [{ address: "paie@cabinet.example", name: "Cabinet Paie" }]);
    assert.equal(mail.date?.toISOString(), "2025-09-01T08:00:00.000Z");
    assert.match(raw, /^Date: Mon, 01 Sep 2025 08:00:00 \+0000\r$/m);
    assert.equal(mail.messageId, result.requestId);
    assert.equal(emlMessageId(raw), result.requestId);
    assert.match(result.requestId, /^<[^<>@\s]+@[^<>@\s]+>$/);
    assert.equal(mail.headers.get("mime-version"), "1.0");
    assert.equal((mail.headers.get("content-type") as { value: string }).value, "multipart/mixed");
    assert.equal(mail.text, msg.text.replace(/\r\n/g, "\n"));
    assert.equal(mail.html, msg.html.replace(/\r\n/g, "\n"));
    assert.equal(mail.attachments.length, 1);
    const [attachment] = mail.attachments;
    assert.equal(attachment?.filename, "bulletin-2025-08-M042.pdf");
    assert.equal(attachment?.contentType, "application/pdf");
    assert.equal(attachment?.contentDisposition, "attachment");
    assert.ok(attachment?.content.equals(pdf), "the PDF bytes intact");
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

  it("any display name and subject read back as written, every line short and 7-bit (property)", async () => {
    const printable = fc
      .string({ unit: "grapheme", minLength: 1, maxLength: 120 })
      .map((s) => s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\s]+/gu, " ").trim());
    await fc.assert(
      fc.asyncProperty(printable, printable, async (name, subject) => {
        const m = { ...buildPayslipMail(input()), subject, to: { address: "zoe.muller@example.mc", name } };
        const raw = (await buildEml(m, { from: "paie@cabinet.example", date: new Date(0), messageId: "<x@y>" })).toString("latin1");
        for (const line of raw.split("\r\n")) if (line.length > 998 || !/^[\x20-\x7e\t]*$/.test(line)) return false;
        const parsed = await simpleParser(raw);
        const to = !Array.isArray(parsed.to) ? parsed.to?.value[0] : undefined;
        return (parsed.subject ?? "") === subject && to?.name === name && to.address === "zoe.muller@example.mc";
      }),
      { numRuns: 150 },
    );
  });
});
