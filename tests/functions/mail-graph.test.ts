import { after, before, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { AccessToken, TokenCredential } from "@azure/identity";
import { GraphTransport } from "../../functions/mail/graph-transport.ts";
import { buildPayslipMail } from "../../functions/mail/message.ts";
import { MailSendError } from "../../functions/mail/types.ts";
import { caTrustingTerminal, startGraphServer, type GraphServer } from "../support/graph-server.ts";

const TOKEN = "test-token-" + randomBytes(8).toString("hex");
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
    assert.match(String(got.headers["sdkversion"]), /graph-js/);
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
    assert.deepEqual(server.requests.map((r) => r.status), [429, 202]);
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
    assert.ok(sleeps.every((ms, i) => i === 0 || ms >= sleeps[i - 1]!), "back-off does not shrink");
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
    await assert.rejects(transport({ timeoutMs: 2000 }).send(mail(), { maxDurationMs: 5000 }), (e: unknown) => e instanceof MailSendError && e.details.attempts === 1);
    assert.deepEqual(sleeps, []);
    server.script({ status: 503 }, { status: 503 });
    await assert.rejects(transport({ timeoutMs: 2000 }).send(mail(), { maxDurationMs: 6000 }), (e: unknown) => e instanceof MailSendError && e.details.attempts === 2);
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
