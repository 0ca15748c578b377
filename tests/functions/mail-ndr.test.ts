/** Reading bounces (ndr.ts) and the Message-ID a payslip mail carries (message.ts). */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildPayslipMail, documentVersion, payslipMessageId } from "../../functions/mail/message.ts";
import { type InboxMessage, isNonDeliveryReport, readNonDelivery } from "../../functions/mail/ndr.ts";

const MAILBOX = "paie@cabinet.example";
const ORIGINAL = "<paie.C001.2025-08.M042.v2@paie-monaco.invalid>";

const exchangeReport = (extra: Partial<InboxMessage> = {}): InboxMessage => ({
  id: "AAMk1",
  subject: "Undeliverable: Votre bulletin de paie — août 2025",
  receivedDateTime: "2025-09-01T08:03:12Z",
  from: { emailAddress: { address: "MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@cabinet.example" } },
  body: {
    contentType: "text",
    content: [
      "Your message to zoe@example.mc couldn't be delivered.",
      "zoe wasn't found at example.mc.",
      "",
      "Diagnostic information for administrators:",
      "Generating server: PR3P192MB0001.EURP192.PROD.OUTLOOK.COM",
      "zoe@example.mc",
      "Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'",
      "",
      "Original message headers:",
      `Message-ID: ${ORIGINAL}`,
    ].join("\n"),
  },
  internetMessageHeaders: [
    { name: "X-MS-Exchange-Message-Is-Ndr", value: "" },
    { name: "In-Reply-To", value: ORIGINAL },
  ],
  ...extra,
});

describe("readNonDelivery", () => {
  it("reads an Exchange Online report: original id, recipient, diagnostic, time", () => {
    assert.deepEqual(readNonDelivery(exchangeReport(), MAILBOX), {
      internetMessageId: ORIGINAL,
      recipient: "zoe@example.mc",
      reason: "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",
      receivedAt: "2025-09-01T08:03:12.000Z",
    });
  });

  it("takes the newest id of References, and the quoted Message-ID when no threading header is there", () => {
    const refs = exchangeReport({
      internetMessageHeaders: [
        { name: "X-MS-Exchange-Message-Is-Ndr", value: "" },
        { name: "References", value: `<old@x.invalid> ${ORIGINAL}` },
      ],
    });
    assert.equal(readNonDelivery(refs, MAILBOX)?.internetMessageId, ORIGINAL);
    const none = exchangeReport({ internetMessageHeaders: [] });
    assert.equal(readNonDelivery(none, MAILBOX)?.internetMessageId, ORIGINAL, "subject + quoted headers");
  });

  it("reads an RFC 3464 style bounce from another MTA (HTML body, Final-Recipient, Diagnostic-Code)", () => {
    const m: InboxMessage = {
      subject: "Undelivered Mail Returned to Sender",
      receivedDateTime: "2025-09-01T09:00:00Z",
      from: { emailAddress: { address: "MAILER-DAEMON@mx.example.mc" } },
      body: {
        contentType: "html",
        content:
          "<p>This is the mail system at host mx.example.mc.</p><pre>Final-Recipient: rfc822; lea@example.mc<br>Action: failed<br>" +
          "Status: 5.1.1<br>Diagnostic-Code: smtp; 550 5.1.1 &lt;lea@example.mc&gt;: Recipient address rejected</pre>",
      },
      internetMessageHeaders: [
        { name: "Content-Type", value: 'multipart/report; report-type=delivery-status; boundary="b"' },
        { name: "In-Reply-To", value: ORIGINAL },
      ],
    };
    assert.deepEqual(readNonDelivery(m, MAILBOX), {
      internetMessageId: ORIGINAL,
      recipient: "lea@example.mc",
      reason: "550 5.1.1 <lea@example.mc>: Recipient address rejected",
      receivedAt: "2025-09-01T09:00:00.000Z",
    });
  });

  it("an ordinary mail, even one quoting a Message-ID, is no report; a report naming no message is skipped", () => {
    const ordinary: InboxMessage = {
      subject: "Re: mon bulletin",
      body: { contentType: "text", content: `Message-ID: ${ORIGINAL}\n550 5.1.1` },
      internetMessageHeaders: [{ name: "In-Reply-To", value: ORIGINAL }],
    };
    assert.equal(isNonDeliveryReport(ordinary), false);
    assert.equal(readNonDelivery(ordinary, MAILBOX), undefined);
    const anonymous = exchangeReport({ internetMessageHeaders: [], body: { contentType: "text", content: "Your message couldn't be delivered." } });
    assert.equal(isNonDeliveryReport(anonymous), true);
    assert.equal(readNonDelivery(anonymous, MAILBOX), undefined);
  });

  it("a report without a diagnostic still has a reason (its subject)", () => {
    const bare = exchangeReport({ body: { contentType: "text", content: `Original message headers:\nMessage-ID: ${ORIGINAL}` } });
    assert.equal(readNonDelivery(bare, MAILBOX)?.reason, "Undeliverable: Votre bulletin de paie — août 2025");
  });
});

describe("payslip Message-ID", () => {
  it("is stable per company, period, employee and version, in RFC 5322 msg-id form", () => {
    const key = { companyId: "C001", period: "2025-08", employeeId: "M042" };
    assert.equal(payslipMessageId(key, 2), "<paie.C001.2025-08.M042.v2@paie-monaco.invalid>");
    assert.equal(payslipMessageId(key, 2), payslipMessageId(key, 2));
    assert.notEqual(payslipMessageId(key, 2), payslipMessageId(key, 3), "a corrected payslip is another message");
    assert.equal(payslipMessageId(key), "<paie.C001.2025-08.M042@paie-monaco.invalid>");
    assert.equal(payslipMessageId({ ...key, employeeId: "M 04/2" }, 1), "<paie.C001.2025-08.M_04_2.v1@paie-monaco.invalid>");
    assert.throws(() => payslipMessageId(key, 0), /Version/);
  });

  it("buildPayslipMail sets it; the version comes from the document path", () => {
    assert.equal(documentVersion("companies/C001/2025-08/v7/payslips/M042.pdf"), 7);
    assert.equal(documentVersion(undefined), undefined);
    assert.equal(documentVersion("companies/C001/2025-08/payslips/M042.pdf"), undefined);
    const m = buildPayslipMail({
      companyId: "C001",
      companyName: "SAM",
      period: "2025-08",
      employeeId: "M042",
      firstName: "Zoé",
      lastName: "M",
      email: "zoe@example.mc",
      pdf: Buffer.from("%PDF"),
      version: documentVersion("companies/C001/2025-08/v7/payslips/M042.pdf"),
    });
    assert.equal(m.internetMessageId, "<paie.C001.2025-08.M042.v7@paie-monaco.invalid>");
  });
});
