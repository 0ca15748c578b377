import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { AccessToken, TokenCredential } from "@azure/identity";
import { GraphTransport } from "../../functions/mail/graph-transport.ts";
import { buildPayslipMail } from "../../functions/mail/message.ts";
import { MailSendError } from "../../functions/mail/types.ts";
import { caTrustingTerminal, type GraphServer, startGraphServer } from "../support/graph-server.ts";

const TOKEN = `test-token-${randomBytes(8).toString("hex")}`;
const MAILBOX = "paie@cabinet.example";

/** A real TokenCredential that hands out a fixed token and records the scopes asked for. */
class FixedCredential implements TokenCredential {
  scopes: string[][] = [];
  constructor(private readonly token: string) {}
  async getToken(scopes: string | string[]): Promise<AccessToken> {
    this.scopes.push(Array.isArray(scopes) ? scopes : [scopes]);
    return { token: this.token, expiresOnTimestamp: Date.now() + 3600_000 };
  }
}

function pdf(size = 2048): Uint8Array {
  const head = Buffer.from("%PDF-1.7\n");
  return Buffer.concat([head, randomBytes(Math.max(0, size - head.length))]);
}

function mail(bytes = pdf()) {
  return buildPayslipMail({
    companyId: "C001",
    companyName: "Société Monégasque d'Essai",
    period: "2025-08",
    employeeId: "M042",
    firstName: "Zoé",
    lastName: "Müller",
    email: "zoe.muller@example.mc",
    pdf: bytes,
    version: 3,
  });
}

describe("GraphTransport against the sendMail contract server", () => {
  let server: GraphServer;
  let sleeps: number[];
  let credential: FixedCredential;
  const transport = (extra: Partial<ConstructorParameters<typeof GraphTransport>[0]> = {}) =>
    new GraphTransport({
      mailbox: MAILBOX,
      credential,
      baseUrl: server.baseUrl,
      httpTerminal: caTrustingTerminal(server.ca),
      sleep: async (ms) => void sleeps.push(ms),
      timeoutMs: 2000,
      ...extra,
    });

  before(async () => {
    server = await startGraphServer({ token: TOKEN });
  });
  after(() => server.close());
  beforeEach(() => {
    sleeps = [];
    credential = new FixedCredential(TOKEN);
    server.reset();
  });

  it("sends a request the contract accepts, with the bearer token, and returns the request-id", async () => {
    const bytes = pdf(40_000);
    const result = await transport().send(mail(bytes));
    assert.equal(server.accepted.length, 1);
    const got = server.accepted[0]!;
    assert.equal(result.requestId, got.requestId);
    assert.equal(result.attempts, 1);
    assert.equal(got.mailbox, MAILBOX);
    assert.equal(got.subject, "Votre bulletin de paie — août 2025");
    assert.deepEqual(got.to, ["zoe.muller@example.mc"]);
    assert.equal(got.saveToSentItems, true, "kept in Sent Items: findSent depends on it");
    assert.equal(got.internetMessageId, "<paie.C001.2025-08.M042.v3@paie-monaco.invalid>");
    assert.equal(got.attachments.length, 1);
    assert.equal(got.attachments[0]!.name, "bulletin-2025-08-M042.pdf");
    assert.equal(got.attachments[0]!.contentType, "application/pdf");
    assert.ok(got.attachments[0]!.bytes.equals(Buffer.from(bytes)));
    assert.deepEqual(credential.scopes, [["https://graph.microsoft.com/.default"]]);
    assert.match(String(got.headers.sdkversion), /graph-js/);
  });

  it("a token the server does not expect is a final 401, not retried", async () => {
    credential = new FixedCredential("someone-else");
    await assert.rejects(transport().send(mail()), (e: unknown) => {
      assert.ok(e instanceof MailSendError);
      assert.equal(e.details.status, 401);
      assert.equal(e.details.code, "InvalidAuthenticationToken");
      assert.equal(e.retryable, false);
      return true;
    });
    assert.equal(server.requests.length, 1);
    assert.equal(server.accepted.length, 0);
  });

  it("the contract server rejects a malformed payload (so a wrong transport shape would fail the suite)", async () => {
    // Same client, same auth, but a payload with a property Graph does not know.
    const res = await fetchThroughTerminal(server, { message: { subject: "x", bogus: 1 }, saveToSentItems: false });
    assert.equal(res.status, 400);
    const body = (await res.json()) as { error: { code: string } };
    assert.equal(body.error.code, "RequestBodyRead");
    const bad64 = await fetchThroughTerminal(server, {
      message: {
        subject: "x",
        body: { contentType: "HTML", content: "x" },
        toRecipients: [{ emailAddress: { address: "a@b.mc" } }],
        attachments: [{ "@odata.type": "#microsoft.graph.fileAttachment", name: "a.pdf", contentType: "application/pdf", contentBytes: "not base64!" }],
      },
    });
    assert.equal(bad64.status, 400);
    assert.equal(server.accepted.length, 0);
  });

  it("429 with Retry-After, then success: waits what Graph asked, then sends once", async () => {
    server.script({ status: 429, code: "ApplicationThrottled", retryAfter: 1 });
    const result = await transport().send(mail());
    assert.equal(result.attempts, 2);
    assert.deepEqual(sleeps, [1000]);
    assert.equal(server.accepted.length, 1);
    assert.deepEqual(
      server.requests.map((r) => r.status),
      [429, 202],
    );
  });

  it("503 on every attempt: bounded retries, then a typed failure carrying status, code and request-id", async () => {
    server.script(...Array.from({ length: 4 }, () => ({ status: 503, code: "ServiceUnavailable", message: "Service indisponible" })));
    await assert.rejects(transport({ maxAttempts: 4 }).send(mail()), (e: unknown) => {
      assert.ok(e instanceof MailSendError);
      assert.equal(e.details.status, 503);
      assert.equal(e.details.code, "ServiceUnavailable");
      assert.equal(e.details.attempts, 4);
      assert.equal(e.retryable, true);
      assert.ok(e.details.requestId && e.details.requestId.length > 0);
      assert.match(e.summary(), /HTTP 503 · ServiceUnavailable/);
      return true;
    });
    assert.equal(server.requests.length, 4);
    assert.equal(sleeps.length, 3, "no sleep after the last attempt");
    assert.ok(
      sleeps.every((ms, i) => i === 0 || ms >= sleeps[i - 1]!),
      "back-off does not shrink",
    );
    assert.equal(server.accepted.length, 0);
  });

  it("a Retry-After longer than we may wait ends the send at once, retryable, carrying the delay", async () => {
    server.script({ status: 429, code: "ApplicationThrottled", retryAfter: 120 });
    await assert.rejects(transport({ maxRetryDelayMs: 60_000 }).send(mail()), (e: unknown) => {
      assert.ok(e instanceof MailSendError);
      assert.equal(e.details.reason, "throttled");
      assert.equal(e.details.retryAfterMs, 120_000);
      assert.equal(e.details.attempts, 1);
      assert.equal(e.retryable, true);
      return true;
    });
    assert.deepEqual(sleeps, []);
    assert.equal(server.requests.length, 1);
  });

  it("maxDurationMs bounds retries: no attempt or wait that could overrun the caller's budget", async () => {
    server.script({ status: 503 });
    // timeout 2 s per attempt, back-off 2 s: after one attempt (2 s) another wait + attempt needs 4 s more > 5 s.
    await assert.rejects(
      transport({ timeoutMs: 2000 }).send(mail(), { maxDurationMs: 5000 }),
      (e: unknown) => e instanceof MailSendError && e.details.attempts === 1,
    );
    assert.deepEqual(sleeps, []);
    server.script({ status: 503 }, { status: 503 });
    await assert.rejects(
      transport({ timeoutMs: 2000 }).send(mail(), { maxDurationMs: 6000 }),
      (e: unknown) => e instanceof MailSendError && e.details.attempts === 2,
    );
    assert.deepEqual(sleeps, [2000]);
    assert.equal(server.requests.length, 3);
  });

  it("403 ErrorAccessDenied is final: one request, not retryable", async () => {
    server.script({ status: 403, code: "ErrorAccessDenied", message: "Access to OData is disabled." });
    await assert.rejects(transport().send(mail()), (e: unknown) => {
      assert.ok(e instanceof MailSendError);
      assert.equal(e.details.status, 403);
      assert.equal(e.details.code, "ErrorAccessDenied");
      assert.equal(e.retryable, false);
      assert.equal(e.details.attempts, 1);
      return true;
    });
    assert.equal(server.requests.length, 1);
    assert.deepEqual(sleeps, []);
  });

  it("500 is not blindly repeated (Graph may already have queued the mail)", async () => {
    server.script({ status: 500, code: "InternalServerError" });
    await assert.rejects(transport().send(mail()), (e: unknown) => e instanceof MailSendError && e.details.status === 500 && e.details.attempts === 1);
    assert.equal(server.requests.length, 1);
  });

  it("a hung request times out and is retried", async () => {
    server.script({ hang: true });
    const result = await transport({ timeoutMs: 300 }).send(mail());
    assert.equal(result.attempts, 2);
    assert.equal(sleeps.length, 1);
    assert.equal(server.accepted.length, 1);
  });

  it("refuses an attachment of 3 MB or more before calling Graph", async () => {
    await assert.rejects(transport().send(mail(pdf(3 * 1024 * 1024))), (e: unknown) => {
      assert.ok(e instanceof MailSendError);
      assert.equal(e.details.reason, "too-large");
      assert.equal(e.retryable, false);
      return true;
    });
    assert.equal(server.requests.length, 0);
  });

  it("below 3 MB but over 4 MB once base64-encoded: refused locally too (Graph's request limit)", async () => {
    await assert.rejects(transport().send(mail(pdf(3 * 1024 * 1024 - 1))), (e: unknown) => e instanceof MailSendError && e.details.reason === "too-large");
    assert.equal(server.requests.length, 0);
  });

  it("a 2.9 MB attachment fits and arrives byte for byte", async () => {
    const bytes = pdf(Math.floor(2.9 * 1024 * 1024));
    await transport().send(mail(bytes));
    assert.ok(server.accepted[0]!.attachments[0]!.bytes.equals(Buffer.from(bytes)));
  });

  it("the contract server answers 413 above 4 MB", async () => {
    const res = await fetchThroughTerminal(server, { message: { subject: "x".repeat(4 * 1024 * 1024) } });
    assert.equal(res.status, 413);
    assert.equal(server.accepted.length, 0);
  });

  it("testConnection sends a short mail from the mailbox to itself", async () => {
    const r = await transport().testConnection();
    assert.equal(server.accepted.length, 1);
    assert.deepEqual(server.accepted[0]!.to, [MAILBOX]);
    assert.equal(r.requestId, server.accepted[0]!.requestId);
  });

  it("production terminal (global fetch) in a child process that trusts the test CA via NODE_EXTRA_CA_CERTS", async () => {
    // NODE_EXTRA_CA_CERTS is only read at process start, hence the child process: this exercises the
    // SDK's own HTTPMessageHandler, the AbortSignal timeout with fetch, and the error mapping of fetch failures.
    const dir = await mkdtemp(path.join(tmpdir(), "paie-graph-child-"));
    try {
      const here = path.dirname(fileURLToPath(import.meta.url));
      const url = (rel: string) => pathToFileURL(path.resolve(here, rel)).href;
      await writeFile(path.join(dir, "ca.pem"), server.ca);
      const script = `
        import { GraphTransport } from ${JSON.stringify(url("../../functions/mail/graph-transport.ts"))};
        import { buildPayslipMail } from ${JSON.stringify(url("../../functions/mail/message.ts"))};
        const t = new GraphTransport({
          mailbox: ${JSON.stringify(MAILBOX)}, baseUrl: ${JSON.stringify(server.baseUrl)}, timeoutMs: 400, sleep: async () => {},
          credential: { getToken: async () => ({ token: ${JSON.stringify(TOKEN)}, expiresOnTimestamp: Date.now() + 3600000 }) },
        });
        const msg = buildPayslipMail({ companyId: "C001", companyName: "SAM Test", period: "2025-08", employeeId: "M7",
          firstName: "Léa", lastName: "Rossi", email: "lea.rossi@example.mc", pdf: Buffer.from("%PDF-1.7 child") });
        const out = {};
        try { await t.send(msg); } catch (e) { out.denied = e.details; }
        out.ok = await t.send(msg);
        console.log(JSON.stringify(out));
      `;
      await writeFile(path.join(dir, "child.mts"), script);
      server.script({ status: 403, code: "ErrorAccessDenied" }, { hang: true });
      const stdout = await new Promise<string>((resolve, reject) =>
        execFile(
          process.execPath,
          ["--import", "tsx", path.join(dir, "child.mts")],
          { cwd: path.resolve(here, "../.."), env: { ...process.env, NODE_EXTRA_CA_CERTS: path.join(dir, "ca.pem") }, timeout: 30_000 },
          (err, out, errOut) => (err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve(out)),
        ),
      );
      const out = JSON.parse(stdout.trim().split("\n").pop()!) as { ok: { attempts: number; requestId: string }; denied: { status: number; code: string } };
      assert.equal(out.ok.attempts, 2, "the hung attempt timed out and was retried");
      assert.equal(out.ok.requestId, server.accepted[0]!.requestId);
      assert.equal(server.accepted[0]!.attachments[0]!.bytes.toString(), "%PDF-1.7 child");
      assert.deepEqual([out.denied.status, out.denied.code], [403, "ErrorAccessDenied"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
  it('a decimal Retry-After ("2.5", "0.5") is waited out rounded up, never retried at once', async () => {
    server.script({ status: 429, code: "ApplicationThrottled", retryAfter: "2.5" }, { status: 429, code: "ApplicationThrottled", retryAfter: "0.5" });
    const result = await transport().send(mail());
    assert.equal(result.attempts, 3);
    assert.deepEqual(sleeps, [3000, 1000]);
    assert.deepEqual(
      server.requests.map((r) => r.status),
      [429, 429, 202],
    );
    assert.equal(server.accepted.length, 1);
  });

  it("over the mailbox's 4 concurrent requests the server throttles the transport, which waits Retry-After and succeeds", async () => {
    const release = server.hold();
    const others = Array.from({ length: 4 }, () =>
      fetchThroughTerminal(server, { message: { toRecipients: [{ emailAddress: { address: "x@example.mc" } }] } }),
    );
    while (server.inFlight < 4) await new Promise((r) => setTimeout(r, 5));
    const t = transport({
      sleep: async (ms) => {
        sleeps.push(ms);
        release(); // the four others finish while we wait
        await Promise.all(others);
      },
    });
    const result = await t.send(mail());
    assert.equal(result.attempts, 2);
    assert.deepEqual(sleeps, [1000]);
    const mine = server.requests.filter((r) => r.status === 429);
    assert.equal(mine.length, 1);
    assert.equal(mine[0]!.code, "ApplicationThrottled");
    assert.equal(server.accepted.length, 5);
  });

  it("Retry-After 0, a past date or garbage: at least a second, garbage gets the default back-off", async () => {
    server.script(
      { status: 429, code: "ApplicationThrottled", retryAfter: "0" },
      { status: 503, code: "ServiceUnavailable", retryAfter: new Date(Date.now() - 60_000).toUTCString() },
      { status: 429, code: "ApplicationThrottled", retryAfter: "bientôt" },
    );
    const result = await transport().send(mail());
    assert.equal(result.attempts, 4);
    assert.deepEqual(sleeps, [1000, 1000, 8000], "third wait = back-off of attempt 3 (2 s, 4 s, 8 s)");
  });

  it("findSent finds the sent message by our internetMessageId in Sent Items, and nothing for another id", async () => {
    const t = transport();
    const sent = await t.send(mail());
    assert.equal(server.folder(MAILBOX, "sentitems").length, 1);
    const found = await t.findSent("<paie.C001.2025-08.M042.v3@paie-monaco.invalid>");
    assert.ok(found, "found in Sent Items");
    assert.equal(found.attempts, 1);
    assert.notEqual(found.requestId, sent.requestId, "the request-id of the lookup, not of the send");
    assert.equal(await t.findSent("<paie.C001.2025-08.M042.v4@paie-monaco.invalid>"), undefined);
    const lookups = server.requests.filter((r) => r.method === "GET");
    assert.equal(lookups.length, 2);
    assert.match(lookups[0]!.path, /\/mailFolders\/sentitems\/messages$/);
    assert.match(lookups[0]!.query, /\$filter=internetMessageId eq '<paie\.C001\.2025-08\.M042\.v3@paie-monaco\.invalid>'/);
    assert.match(lookups[0]!.query, /\$select=id,internetMessageId,sentDateTime/);
  });

  it("findSent escapes the id as an OData string (a quote in a Message-ID) and is throttling-aware", async () => {
    const t = transport();
    const id = "<o'brien.42@paie-monaco.invalid>";
    await t.send({ ...mail(), internetMessageId: id });
    server.script({ status: 429, code: "ApplicationThrottled", retryAfter: "1.5" });
    const found = await t.findSent(id);
    assert.ok(found);
    assert.equal(found.attempts, 2);
    assert.deepEqual(sleeps, [2000]);
  });

  it('a list answer of the wrong shape is refused (schema), not read as "nothing found"', async () => {
    server.script({ status: 200, code: "Surprise", message: "not a collection" });
    await assert.rejects(transport().findSent("<x.1@paie-monaco.invalid>"), (e: unknown) => {
      assert.ok(e instanceof MailSendError);
      assert.equal(e.details.reason, "server-error");
      assert.match(e.message, /Réponse Graph inattendue : \/value/);
      return true;
    });
  });

  it("testConnection keeps nothing in Sent Items (a test mail is no payslip to look up later)", async () => {
    const t = transport();
    await t.testConnection();
    assert.equal(server.folder(MAILBOX, "sentitems").length, 0);
  });

  it("nonDeliveries: 202 for a non-existent address, then the report arrives later and names the message, recipient and reason", async () => {
    server.bounce("personne@example.mc");
    const t = transport();
    const since = new Date(Date.now() - 1000);
    const good = await t.send(mail());
    const badMail = { ...mail(), to: { address: "personne@example.mc" }, internetMessageId: "<paie.C001.2025-08.M043.v3@paie-monaco.invalid>" };
    const bad = await t.send(badMail);
    assert.ok(good.requestId && bad.requestId, "both accepted with 202");
    assert.deepEqual(await t.nonDeliveries(since), [], "no report yet: Exchange bounces after the 202");
    assert.equal(server.deliverReports(), 1);
    const reports = await t.nonDeliveries(since);
    assert.equal(reports.length, 1);
    const r = reports[0]!;
    assert.equal(r.internetMessageId, badMail.internetMessageId);
    assert.equal(r.recipient, "personne@example.mc");
    assert.match(r.reason, /^550 5\.1\.10 RESOLVER\.ADR\.RecipientNotFound; Recipient not found/);
    assert.ok(!Number.isNaN(Date.parse(r.receivedAt)) && Date.parse(r.receivedAt) >= since.getTime() - 1000);
    const read = server.requests.filter((q) => q.method === "GET").at(-1)!;
    assert.match(read.path, /\/mailFolders\/inbox\/messages$/);
    assert.match(read.query, /\$filter=receivedDateTime ge \d{4}-\d\d-\d\dT/);
    assert.match(read.query, /internetMessageHeaders/);
  });

  it("nonDeliveries reads a French report without threading headers from its quoted original headers", async () => {
    server.bounce("inconnu@example.mc", { locale: "fr", threadingHeaders: false, diagnostic: "550 5.1.1 User unknown" });
    const t = transport();
    await t.send({ ...mail(), to: { address: "inconnu@example.mc" } });
    server.deliverReports();
    const inbox = server.folder(MAILBOX, "inbox");
    assert.match(inbox[0]!.subject, /^Non remis : /);
    const [r] = await t.nonDeliveries(new Date(0));
    assert.equal(r?.internetMessageId, "<paie.C001.2025-08.M042.v3@paie-monaco.invalid>");
    assert.equal(r?.recipient, "inconnu@example.mc");
    assert.equal(r?.reason, "550 5.1.1 User unknown");
  });

  it("nonDeliveries ignores ordinary mail and reports received before `since`", async () => {
    server.bounce("ancien@example.mc");
    const t = transport();
    await t.send({ ...mail(), to: { address: "ancien@example.mc" } });
    server.deliverReports();
    server.deposit(MAILBOX, "inbox", { subject: "Question sur mon bulletin", body: { contentType: "html", content: "<p>Bonjour, 5.1.1 ?</p>" } });
    assert.equal((await t.nonDeliveries(new Date(0))).length, 1, "the ordinary mail is not a report");
    assert.deepEqual(await t.nonDeliveries(new Date(Date.now() + 60_000)), []);
  });

  it("nonDeliveries follows @odata.nextLink over several pages", async () => {
    const t = transport();
    const n = 57;
    for (let i = 0; i < n; i++) {
      server.bounce(`absent${i}@example.mc`);
      await t.send({ ...mail(pdf(64)), to: { address: `absent${i}@example.mc` }, internetMessageId: `<paie.C001.2025-08.X${i}.v1@paie-monaco.invalid>` });
    }
    server.deliverReports();
    server.requests.length = 0;
    const reports = await t.nonDeliveries(new Date(0));
    assert.equal(reports.length, n);
    assert.deepEqual(new Set(reports.map((r) => r.recipient)), new Set(Array.from({ length: n }, (_, i) => `absent${i}@example.mc`)));
    assert.equal(server.requests.length, 2, "two pages of 50");
    assert.match(server.requests[1]!.query, /\$skip=50/);
  });
});

describe("the contract server follows Graph's documented rules both ways", () => {
  let server: GraphServer;
  before(async () => {
    server = await startGraphServer({ token: TOKEN });
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  const message = (extra: Record<string, unknown> = {}) => ({
    subject: "Bulletin",
    body: { contentType: "HTML", content: "<p>x</p>" },
    toRecipients: [{ emailAddress: { address: "a@example.mc" } }],
    ...extra,
  });
  const recipients = (n: number) => Array.from({ length: n }, (_, i) => ({ emailAddress: { address: `r${i}@example.mc` } }));
  const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

  it("accepts `from` and `sender` set to the sending mailbox", async () => {
    const res = await fetchThroughTerminal(server, {
      message: message({ from: { emailAddress: { address: MAILBOX, name: "Paie" } }, sender: { emailAddress: { address: MAILBOX.toUpperCase() } } }),
    });
    assert.equal(res.status, 202);
    assert.equal(server.accepted[0]!.from?.address, MAILBOX);
  });

  it("refuses `from` another mailbox (403 ErrorSendAsDenied) unless it has the SendAs right", async () => {
    const body = { message: message({ from: { emailAddress: { address: "direction@cabinet.example" } } }) };
    const res = await fetchThroughTerminal(server, body);
    assert.equal(res.status, 403);
    assert.equal(await errorCode(res), "ErrorSendAsDenied");
    server.allowSendAs(MAILBOX, "direction@cabinet.example");
    assert.equal((await fetchThroughTerminal(server, body)).status, 202);
  });

  it("accepts a fileAttachment without contentType (only name and contentBytes are required)", async () => {
    const res = await fetchThroughTerminal(server, {
      message: message({
        attachments: [{ "@odata.type": "#microsoft.graph.fileAttachment", name: "a.pdf", contentBytes: Buffer.from("%PDF").toString("base64") }],
      }),
    });
    assert.equal(res.status, 202);
    assert.equal(server.accepted[0]!.attachments[0]!.contentType, undefined);
    assert.equal(server.accepted[0]!.attachments[0]!.bytes.toString(), "%PDF");
  });

  it('accepts "saveToSentItems": "false" as a string (the sendMail page\'s own example) and then keeps no copy', async () => {
    const res = await fetchThroughTerminal(server, { message: message(), saveToSentItems: "false" });
    assert.equal(res.status, 202);
    assert.equal(server.accepted[0]!.saveToSentItems, false);
    assert.equal(server.folder(MAILBOX, "sentitems").length, 0);
    assert.equal((await fetchThroughTerminal(server, { message: message() })).status, 202);
    assert.equal(server.folder(MAILBOX, "sentitems").length, 1, "absent = true (the default)");
  });

  it("refuses a saveToSentItems that is no boolean", async () => {
    const res = await fetchThroughTerminal(server, { message: message(), saveToSentItems: "non" });
    assert.equal(res.status, 400);
  });

  it("accepts custom internetMessageHeaders named x-/X-, refuses any other name (400 InvalidInternetMessageHeader)", async () => {
    const ok = await fetchThroughTerminal(server, {
      message: message({
        internetMessageHeaders: [
          { name: "x-paie-lot", value: "2025-08" },
          { name: "X-Paie-Version", value: "3" },
        ],
      }),
    });
    assert.equal(ok.status, 202);
    for (const name of ["In-Reply-To", "Paie-Lot", "List-Unsubscribe"]) {
      const res = await fetchThroughTerminal(server, { message: message({ internetMessageHeaders: [{ name, value: "v" }] }) });
      assert.equal(res.status, 400, name);
      assert.equal(await errorCode(res), "InvalidInternetMessageHeader");
    }
    assert.equal(server.accepted.length, 1);
  });

  it("accepts 500 recipients over to/cc/bcc (bcc only is fine), refuses 501 and none", async () => {
    const ok = await fetchThroughTerminal(server, {
      message: message({ toRecipients: recipients(200), ccRecipients: recipients(200), bccRecipients: recipients(100) }),
    });
    assert.equal(ok.status, 202);
    const bccOnly = await fetchThroughTerminal(server, { message: message({ toRecipients: undefined, bccRecipients: recipients(1) }) });
    assert.equal(bccOnly.status, 202);
    const tooMany = await fetchThroughTerminal(server, { message: message({ toRecipients: recipients(300), bccRecipients: recipients(201) }) });
    assert.equal(tooMany.status, 400);
    assert.equal(await errorCode(tooMany), "ErrorExceededMaxRecipientLimit");
    const none = await fetchThroughTerminal(server, { message: message({ toRecipients: [] }) });
    assert.equal(none.status, 400);
    assert.equal(await errorCode(none), "ErrorInvalidRecipients");
    assert.equal(server.accepted.length, 2);
  });

  it("refuses a request over 4 MB (413), even made of valid inline attachments", async () => {
    const chunk = Buffer.alloc(1536 * 1024, 7).toString("base64"); // 2 MB of base64 each
    const res = await fetchThroughTerminal(server, {
      message: message({
        attachments: [1, 2, 3].map((i) => ({
          "@odata.type": "#microsoft.graph.fileAttachment",
          name: `p${i}.pdf`,
          contentType: "application/pdf",
          contentBytes: chunk,
        })),
      }),
    });
    assert.equal(res.status, 413);
    assert.equal(server.accepted.length, 0);
  });

  it("refuses an attachment without @odata.type and a malformed internetMessageId", async () => {
    const noType = await fetchThroughTerminal(server, { message: message({ attachments: [{ name: "a.pdf", contentBytes: "JVBERg==" }] }) });
    assert.equal(noType.status, 400);
    const badId = await fetchThroughTerminal(server, { message: message({ internetMessageId: "paie-sans-chevrons@x" }) });
    assert.equal(badId.status, 400);
    const goodId = await fetchThroughTerminal(server, { message: message({ internetMessageId: "<a.b@paie-monaco.invalid>" }) });
    assert.equal(goodId.status, 202);
    assert.equal(server.accepted.length, 1);
  });

  it("a fifth concurrent request on one mailbox is throttled: 429 ApplicationThrottled (MailboxConcurrency) with Retry-After", async () => {
    const release = server.hold();
    const calls = Array.from({ length: 5 }, () => fetchThroughTerminal(server, { message: message() }));
    while (server.requests.length < 5) await new Promise((r) => setTimeout(r, 5));
    release();
    const answers = await Promise.all(calls);
    const statuses = answers.map((r) => r.status).sort();
    assert.deepEqual(statuses, [202, 202, 202, 202, 429]);
    const throttled = answers.find((r) => r.status === 429)!;
    assert.ok(Number(throttled.headers.get("retry-after")) >= 1);
    const body = (await throttled.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, "ApplicationThrottled");
    assert.match(body.error.message, /MailboxConcurrency/);
    assert.equal(server.maxConcurrency, 5);
  });

  it("serves Sent Items filtered by internetMessageId, paged, and refuses an unknown property or folder", async () => {
    for (let i = 0; i < 12; i++) {
      await fetchThroughTerminal(server, { message: message({ internetMessageId: `<m${i}@paie-monaco.invalid>` }) });
    }
    const list = async (query: string, folder = "sentitems") => {
      const ctx = {
        request: `${server.baseUrl}/v1.0/users/${encodeURIComponent(MAILBOX)}/mailFolders/${folder}/messages?${query}`,
        options: { method: "GET", headers: { Authorization: `Bearer ${TOKEN}` } },
      } as Parameters<ReturnType<typeof caTrustingTerminal>["execute"]>[0];
      await caTrustingTerminal(server.ca).execute(ctx);
      return ctx.response!;
    };
    const one = await list(`$filter=${encodeURIComponent("internetMessageId eq '<m3@paie-monaco.invalid>'")}`);
    assert.equal(one.status, 200);
    const v = ((await one.json()) as { value: { internetMessageId: string; internetMessageHeaders?: unknown }[] }).value;
    assert.deepEqual(
      v.map((m) => m.internetMessageId),
      ["<m3@paie-monaco.invalid>"],
    );
    assert.equal(v[0]!.internetMessageHeaders, undefined, "headers only with $select");
    const page = (await (await list("")).json()) as { value: unknown[]; "@odata.nextLink"?: string };
    assert.equal(page.value.length, 10, "Graph's default page size");
    assert.match(page["@odata.nextLink"]!, /\$skip=10/);
    assert.equal((await list(`$filter=${encodeURIComponent("bogus eq 'x'")}`)).status, 400);
    assert.equal((await list("", "envoyes")).status, 400);
  });
});

/** Posts an arbitrary body straight to the contract server (with the right token) to prove it rejects bad shapes. */
async function fetchThroughTerminal(server: GraphServer, body: unknown): Promise<Response> {
  const ctx = {
    request: `${server.baseUrl}/v1.0/users/${encodeURIComponent(MAILBOX)}/sendMail`,
    options: { method: "POST", headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" }, body: JSON.stringify(body) },
  } as Parameters<ReturnType<typeof caTrustingTerminal>["execute"]>[0];
  await caTrustingTerminal(server.ca).execute(ctx);
  return ctx.response!;
}
