/** The redacting log sink on its own: what it masks, and that context logs of wrapped handlers go through it. */

import assert from "node:assert/strict";
import { test } from "node:test";
import functions from "@azure/functions";
import { createLogSink, redact, withSafeLogs } from "../../functions/security/index.ts";

const { InvocationContext } = functions;
const JWT = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJvaWQiOiIxMjMiLCJuYW1lIjoiQ2FtaWxsZSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ";

test("tokens, e-mail addresses, IBANs, Authorization values and ciphertexts are masked; ids and counts are kept", () => {
  const line = redact(
    `refus ${JWT} ; Authorization: Bearer abcdefgh12345678 ; à marco.bianchi@demo.example ; IBAN MC58 1122 2000 0101 2345 6789 030 et FR7630006000011234567890189 ; ` +
      `valeur enc:v1:k1:AAAAAAAAAAAAAAAA:BBBBBBBBBBBBBBBBBBBBBB:CCCC ; société demo-sam, période 2025-08, 6 envois`,
  );
  for (const secret of ["eyJ", "abcdefgh12345678", "marco.bianchi", "MC58", "FR76", "enc:v1"]) assert.ok(!line.includes(secret), `${secret} in ${line}`);
  assert.match(line, /\[jeton masqué\].*\[adresse masquée\].*\[IBAN masqué\].*\[IBAN masqué\].*\[donnée chiffrée\]/);
  assert.match(line, /société demo-sam, période 2025-08, 6 envois$/);
});

test("events are JSON lines with a timestamp, redacted field by field", () => {
  const out: string[] = [];
  const sink = createLogSink({ write: (l) => out.push(l), now: () => new Date("2025-08-25T00:30:00Z") });
  sink.event("mail.failed", { companyId: "demo-sam", error: `destinataire refusé : anne@demo.example (${JWT})`, attempts: 2 });
  assert.equal(out.length, 1);
  const parsed = JSON.parse(out[0]!);
  assert.deepEqual(parsed, {
    at: "2025-08-25T00:30:00.000Z",
    event: "mail.failed",
    companyId: "demo-sam",
    error: "destinataire refusé : [adresse masquée] ([jeton masqué])",
    attempts: 2,
  });
});

test("withSafeLogs: every context log method of a handler goes through the sink, nothing straight to the host", async () => {
  const sinkLines: { line: string; level: string }[] = [];
  const hostLines: string[] = [];
  const sink = createLogSink({ write: (line, level) => sinkLines.push({ line, level }) });
  const context = new InvocationContext({ functionName: "period-submit", invocationId: "inv-1", logHandler: (_l, ...a) => hostLines.push(a.join(" ")) });
  const handler = withSafeLogs(sink, async (input: string, ctx) => {
    ctx.log("reçu", input);
    ctx.warn({ detail: "pour louise@acme.mc" });
    ctx.error(new Error(`jeton ${JWT} refusé`));
    return ctx.invocationId;
  });
  assert.equal(await handler(`Bearer ${JWT}`, context), "inv-1", "the rest of the context is the real one");
  assert.deepEqual(hostLines, []);
  assert.deepEqual(
    sinkLines.map((l) => l.level),
    ["information", "warning", "error"],
  );
  const all = sinkLines.map((l) => l.line).join("\n");
  assert.ok(!all.includes("eyJ") && !all.includes("louise@"), all);
  assert.match(all, /^\[period-submit\] information: reçu Bearer \[jeton masqué\]/);
  assert.match(all, /\[period-submit\] error: Error: jeton \[jeton masqué\] refusé/);
});
