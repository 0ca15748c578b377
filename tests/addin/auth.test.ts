/**
 * Sign-in decisions and the API client without a host: which path is chosen, the token attached as Bearer, the
 * popup → Office dialog fallback, and failures turned into French sentences. Fakes stand for MSAL and Office only.
 */

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { test } from "node:test";
import { ApiFailure, createApi } from "../../addin/api/client.ts";
import { type PaieConfig, readConfig } from "../../addin/api/config.ts";
import { type AuthDeps, authErrorMessage, chooseSignInPath, createAuth, type MsalClient } from "../../addin/auth/auth.ts";

const MSAL: PaieConfig = readConfig({ mode: "msal", clientId: "11111111-2222-3333-4444-555555555555", apiBase: "https://api.example/" }, undefined);

function deps(over: Partial<AuthDeps> & { client?: Partial<MsalClient> } = {}): AuthDeps & { calls: string[] } {
  const calls: string[] = [];
  const result = (token: string) => ({ accessToken: token, expiresOn: new Date(10_000_000), account: { username: "paie@client.mc" } });
  const client = {
    getAllAccounts: () => [],
    ssoSilent: async () => {
      calls.push("ssoSilent");
      return result("silent-token");
    },
    acquireTokenSilent: async () => {
      calls.push("acquireTokenSilent");
      return result("cached-token");
    },
    acquireTokenPopup: async () => {
      calls.push("popup");
      return result("popup-token");
    },
    ...over.client,
  } as unknown as MsalClient;
  return {
    calls,
    nestedSupported: () => true,
    createNestedClient: async () => {
      calls.push("create");
      return client;
    },
    openDialog: async (url) => {
      calls.push(`dialog ${url}`);
      return JSON.stringify({ ok: true, accessToken: "dialog-token", expiresOn: 10_000_000, username: "d@client.mc" });
    },
    loginHint: async () => "paie@client.mc",
    authPageUrl: () => "https://addin.example/auth.html",
    now: () => 1_000_000,
    ...over,
  };
}

test("configuration: no client id means local mode; runtime values override the build's", () => {
  assert.equal(readConfig({}, undefined).mode, "local");
  assert.equal(readConfig({}, undefined).apiBase, "http://127.0.0.1:7071");
  assert.equal(readConfig({ mode: "msal" }, undefined).mode, "local");
  assert.equal(MSAL.mode, "msal");
  assert.equal(MSAL.apiBase, "https://api.example");
  assert.equal(MSAL.scope, "api://11111111-2222-3333-4444-555555555555/Payroll.ReadWrite");
  const over = readConfig(MSAL, { mode: "local", apiBase: "http://127.0.0.1:4000" });
  assert.deepEqual([over.mode, over.apiBase], ["local", "http://127.0.0.1:4000"]);
});

test("path: local mode never signs in; nested auth when the host supports NestedAppAuth 1.1; the dialog otherwise", async () => {
  assert.equal(chooseSignInPath(readConfig({}, undefined), true), "local");
  assert.equal(chooseSignInPath(MSAL, true), "nested");
  assert.equal(chooseSignInPath(MSAL, false), "dialog");
  const local = deps();
  const auth = createAuth(readConfig({}, undefined), local);
  assert.equal(await auth.getToken(), undefined);
  assert.deepEqual(local.calls, [], "neither MSAL nor a dialog in local mode");
});

test("nested: silent SSO with the host's login hint, token cached until near expiry", async () => {
  const d = deps();
  const auth = createAuth(MSAL, d);
  assert.equal(auth.path, "nested");
  assert.equal(await auth.getToken({ interactive: false }), "silent-token");
  assert.equal(await auth.getToken(), "silent-token");
  assert.deepEqual(d.calls, ["create", "ssoSilent"]);
  assert.equal(auth.user(), "paie@client.mc");
});

test("nested: silent failure → popup when interactive; a blocked popup falls back to the Office dialog", async () => {
  const fail = async () => {
    throw Object.assign(new Error("x"), { errorCode: "interaction_required" });
  };
  const quiet = deps({ client: { ssoSilent: fail } });
  await assert.rejects(createAuth(MSAL, quiet).getToken({ interactive: false }), /Connexion requise/);
  assert.ok(!quiet.calls.includes("popup"), "no window at start-up");

  const popup = deps({ client: { ssoSilent: fail } });
  assert.equal(await createAuth(MSAL, popup).getToken(), "popup-token");

  const blocked = deps({
    client: {
      ssoSilent: fail,
      acquireTokenPopup: async () => {
        throw Object.assign(new Error("blocked"), { errorCode: "popup_window_error" });
      },
    },
  });
  assert.equal(await createAuth(MSAL, blocked).getToken(), "dialog-token");
  assert.ok(blocked.calls.includes("dialog https://addin.example/auth.html"));
});

test("dialog path: the message posted by auth.html is the token; its errors become French sentences", async () => {
  const d = deps({ nestedSupported: () => false });
  const auth = createAuth(MSAL, d);
  assert.equal(auth.path, "dialog");
  await assert.rejects(auth.getToken({ interactive: false }), /Connexion requise/);
  assert.equal(await auth.getToken(), "dialog-token");
  assert.equal(auth.user(), "d@client.mc");
  const refused = createAuth(
    MSAL,
    deps({ nestedSupported: () => false, openDialog: async () => JSON.stringify({ ok: false, code: "consent_required", message: "AADSTS65001" }) }),
  );
  await assert.rejects(refused.getToken(), /consentement/);
  const closed = createAuth(
    MSAL,
    deps({
      nestedSupported: () => false,
      openDialog: async () => {
        throw Object.assign(new Error("dialog"), { code: "12006" });
      },
    }),
  );
  await assert.rejects(closed.getToken(), (e) => authErrorMessage(e) === "Connexion annulée.");
  assert.match(authErrorMessage({ code: "12009" }), /bloquée/);
  assert.match(authErrorMessage({ errorCode: "network_error" }), /injoignable/);
});

/** A company as the server lists it (shared/api/company.ts): the client checks the answer against the contract. */
const COMPANY = {
  ...JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../../samples/demo-company.json"), "utf8")).company,
  updatedAt: "2025-08-01T00:00:00.000Z",
  updatedBy: "admin",
};

test("API client: an answer off the contract is a French BAD_RESPONSE naming the field", async () => {
  const server = createServer((_req, res) =>
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ companies: [{ id: "demo-sam" }] })),
  );
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    const api = createApi({ ...MSAL, apiBase: `http://127.0.0.1:${(server.address() as { port: number }).port}` }, async () => "tok");
    const e = (await api.companies().catch((x: unknown) => x)) as ApiFailure;
    assert.equal(e.code, "BAD_RESPONSE");
    assert.match(e.message, /Réponse inattendue du serveur de paie \(companies : companies\[0\]\.name/);
  } finally {
    server.close();
  }
});

test("API client: Bearer attached, 409 keeps the server's named difference, 401/403/network in French", async () => {
  const seen: { auth?: string; url?: string }[] = [];
  const replies: [number, unknown][] = [
    [200, { companies: [COMPANY] }],
    [
      409,
      {
        error: {
          code: "RESULTS_DIFFER",
          message: "… premier écart : matricule D002, netPaid : classeur 1,00 €, serveur 0,99 €.",
          details: [{ employeeId: "D002", field: "netPaid", client: 100, server: 99 }],
        },
      },
    ],
    [401, { error: { code: "unauthenticated", message: "Jeton absent." } }],
    [403, { error: { code: "forbidden", message: "Rôle Payroll.Operator requis." } }],
    [404, { error: { code: "not_found", message: "Période introuvable." } }],
  ];
  const server = createServer((req, res) => {
    seen.push({ auth: req.headers.authorization, url: req.url });
    const [status, body] = replies.shift()!;
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  try {
    const api = createApi({ ...MSAL, apiBase: base }, async () => "tok-123");
    assert.deepEqual(await api.companies(), [COMPANY]);
    assert.equal(seen[0]!.auth, "Bearer tok-123");
    assert.equal(seen[0]!.url, "/api/companies");
    const refused = await api.submit("demo-sam", { period: "2025-08", inputs: [], results: [] }).catch((e: unknown) => e);
    assert.ok(refused instanceof ApiFailure);
    assert.equal(refused.status, 409);
    assert.match(refused.message, /matricule D002, netPaid/);
    assert.equal((refused.details[0] as { employeeId: string }).employeeId, "D002");
    await assert.rejects(api.companies(), /reconnectez-vous/);
    await assert.rejects(api.companies(), /Accès refusé.*Payroll\.Operator/);
    assert.equal(await api.period("demo-sam", "2025-08"), null, "nothing submitted yet is not an error");
    const local = createApi({ ...readConfig({}, undefined), apiBase: base }, async () => undefined);
    replies.push([200, { companies: [] }]);
    await local.companies();
    assert.equal(seen.at(-1)!.auth, undefined, "no Authorization header in local mode");
  } finally {
    await new Promise((r) => server.close(r));
  }
  const offline = createApi({ ...MSAL, apiBase: base }, async () => "t");
  await assert.rejects(offline.companies(), (e) => e instanceof ApiFailure && e.code === "network" && /injoignable/.test(e.message));
});
