/** The task pane ships a strict Content-Security-Policy (issue "Trust"): no inline or eval'd script, named origins only. */

import assert from "node:assert/strict";
import { test } from "node:test";
import { contentSecurityPolicy } from "../../addin/build/csp.mjs";

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name!, values]),
  );
}

test("production policy: scripts only from the pane and Office's CDN, the API origin only, nothing inline or eval'd", () => {
  const d = directives(contentSecurityPolicy("https://paie-api.example.mc"));
  assert.deepEqual(d.get("default-src"), ["'self'"]);
  assert.deepEqual(d.get("script-src"), ["'self'", "https://appsforoffice.microsoft.com", "https://ajax.aspnetcdn.com"]);
  assert.ok(!d.get("script-src")!.some((v) => v.includes("unsafe")));
  assert.deepEqual(d.get("connect-src"), ["'self'", "blob:", "https://paie-api.example.mc", "https://login.microsoftonline.com"]);
  assert.deepEqual(d.get("object-src"), ["'none'"]);
  assert.ok(!contentSecurityPolicy("https://paie-api.example.mc").includes("127.0.0.1"));
});

test("a local API build allows loopback on any port (local stack, tests) and nothing else extra", () => {
  const d = directives(contentSecurityPolicy("http://127.0.0.1:7071"));
  assert.deepEqual(d.get("connect-src"), [
    "'self'",
    "blob:",
    "http://127.0.0.1:7071",
    "http://127.0.0.1:*",
    "http://localhost:*",
    "https://login.microsoftonline.com",
  ]);
});
