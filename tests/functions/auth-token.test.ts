import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import {
  AuthError,
  type Authenticator,
  createAuthenticator,
  developmentPrincipal,
  type Principal,
  requireCompany,
  requireRole,
  TableGrantsSource,
} from "../../functions/auth/index.ts";
import { type AzuriteHandle, startAzurite } from "../support/azurite.ts";
import { startIdentityProvider, type TestIdentityProvider } from "../support/jwks.ts";

const request = (authorization?: string) => ({ headers: new Headers(authorization === undefined ? {} : { authorization }) });

/** Asserts a refusal with the given status and that nothing from the token leaks into what the caller sees. */
async function assertRefused(promise: Promise<unknown>, status: number, code: string, token?: string): Promise<AuthError> {
  let caught: unknown;
  try {
    await promise;
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof AuthError, `expected an AuthError, got ${String(caught)}`);
  assert.equal(caught.status, status);
  assert.equal(caught.code, code);
  const visible = JSON.stringify(caught.toResponse()) + caught.message;
  if (token) {
    for (const segment of token.split(".")) assert.ok(!visible.includes(segment.slice(0, 16)), "no token material in the refusal");
    const payload = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8")) as Record<string, unknown>;
    for (const claim of ["oid", "tid", "aud", "iss", "name"]) {
      const v = payload[claim];
      if (typeof v === "string") assert.ok(!visible.includes(v), `claim ${claim} not echoed`);
    }
  }
  assert.match(caught.message, /[éèàç]|connect|Accès|Jeton|Authentification/, "French message");
  return caught;
}

describe("API authentication with Entra v2 tokens (local JWKS, grants on Azurite)", () => {
  let idp: TestIdentityProvider;
  let azurite: AzuriteHandle;
  let grants: TableGrantsSource;
  let auth: Authenticator;
  const operatorOid = randomUUID();
  const adminOid = randomUUID();

  before(async () => {
    [idp, azurite] = await Promise.all([startIdentityProvider(), startAzurite()]);
    grants = TableGrantsSource.fromConnectionString(azurite.connectionString, `grants${Date.now().toString(36)}`);
    await grants.grant(operatorOid, "C001", "test");
    await grants.grant(operatorOid, "C002", "test");
    await grants.grant(adminOid, "*", "test");
    auth = createAuthenticator({ PAIE_AUTH_TENANT_ID: idp.tenantId, PAIE_AUTH_API_CLIENT_ID: idp.apiClientId, PAIE_AUTH_JWKS_URL: idp.jwksUrl }, { grants });
  });
  after(async () => {
    await Promise.all([idp?.close(), azurite?.stop()]);
  });

  it("accepts a valid token: principal with roles from the token and companies from the grants table", async () => {
    const token = await idp.mint({ claims: { oid: operatorOid, name: "Camille Testeur", roles: ["Payroll.Operator", "Something.Else"] } });
    const p = await auth.authenticate(request(`Bearer ${token}`));
    assert.deepEqual(p, { oid: operatorOid, tid: idp.tenantId, name: "Camille Testeur", roles: ["Payroll.Operator"], companies: ["C001", "C002"] });
    requireRole(p, "Payroll.Operator");
    requireCompany(p, "C001");
    assert.equal(auth.mode, "entra");
  });

  it("accepts the api://<client id> audience form too", async () => {
    const token = await idp.mint({ audience: `api://${idp.apiClientId}`, claims: { oid: adminOid, roles: ["Payroll.Admin"] } });
    const p = await auth.authenticate(request(`Bearer ${token}`));
    assert.deepEqual(p.roles, ["Payroll.Admin"]);
    requireRole(p, "Payroll.Operator"); // admin includes operator
    requireCompany(p, "C999"); // `*` grant
  });

  it("fetches the key set once and caches it", async () => {
    const before = idp.jwksFetches;
    for (let i = 0; i < 3; i++) await auth.authenticate(request(`Bearer ${await idp.mint({ claims: { oid: operatorOid } })}`));
    assert.ok(idp.jwksFetches - before <= 1);
  });

  it("no token → 401 missing_token", async () => {
    const e = await assertRefused(auth.authenticate(request()), 401, "missing_token");
    assert.match(e.toResponse().headers["WWW-Authenticate"]!, /^Bearer/);
    await assertRefused(auth.authenticate(request("Basic dXNlcjpwYXNz")), 401, "invalid_token");
    await assertRefused(auth.authenticate(request("Bearer not-a-jwt")), 401, "invalid_token");
  });

  it("expired token → 401 token_expired (beyond the clock tolerance)", async () => {
    const token = await idp.mint({ expiresIn: -120, claims: { oid: operatorOid } });
    await assertRefused(auth.authenticate(request(`Bearer ${token}`)), 401, "token_expired", token);
  });

  it("within the 60 s clock tolerance a just-expired token still passes", async () => {
    const token = await idp.mint({ expiresIn: -10, claims: { oid: operatorOid } });
    assert.equal((await auth.authenticate(request(`Bearer ${token}`))).oid, operatorOid);
  });

  it("token not yet valid (nbf in the future) → 401", async () => {
    const token = await idp.mint({ notBefore: Math.floor(Date.now() / 1000) + 600, claims: { oid: operatorOid } });
    await assertRefused(auth.authenticate(request(`Bearer ${token}`)), 401, "invalid_token", token);
  });

  it("token from another tenant (issuer) → 401", async () => {
    const other = randomUUID();
    const token = await idp.mint({ issuer: `https://login.microsoftonline.com/${other}/v2.0`, claims: { oid: operatorOid, tid: other } });
    await assertRefused(auth.authenticate(request(`Bearer ${token}`)), 401, "invalid_token", token);
  });

  it("right issuer but another tid claim → 401", async () => {
    const token = await idp.mint({ claims: { oid: operatorOid, tid: randomUUID() } });
    await assertRefused(auth.authenticate(request(`Bearer ${token}`)), 401, "invalid_token", token);
  });

  it("v1 issuer (sts.windows.net) → 401", async () => {
    const token = await idp.mint({ issuer: `https://sts.windows.net/${idp.tenantId}/`, claims: { oid: operatorOid } });
    await assertRefused(auth.authenticate(request(`Bearer ${token}`)), 401, "invalid_token", token);
  });

  it("token for another audience (e.g. a Graph token) → 401", async () => {
    const token = await idp.mint({ audience: "00000003-0000-0000-c000-000000000000", claims: { oid: operatorOid } });
    await assertRefused(auth.authenticate(request(`Bearer ${token}`)), 401, "invalid_token", token);
  });

  it("token signed by a key that is not Entra's → 401", async () => {
    const token = await idp.mint({ foreignKey: true, claims: { oid: operatorOid } });
    await assertRefused(auth.authenticate(request(`Bearer ${token}`)), 401, "invalid_token", token);
  });

  it("token with a tampered payload → 401", async () => {
    const token = await idp.mint({ claims: { oid: operatorOid, roles: ["Payroll.Operator"] } });
    const [h, p, s] = token.split(".");
    const claims = JSON.parse(Buffer.from(p!, "base64url").toString("utf8")) as Record<string, unknown>;
    claims.roles = ["Payroll.Admin"];
    const forged = `${h}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${s}`;
    await assertRefused(auth.authenticate(request(`Bearer ${forged}`)), 401, "invalid_token");
  });

  it("HS256 token (algorithm confusion) → 401", async () => {
    const { SignJWT } = await import("jose");
    const token = await new SignJWT({ tid: idp.tenantId, oid: operatorOid, roles: ["Payroll.Admin"] })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer(idp.issuer)
      .setAudience(idp.apiClientId)
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode("a-shared-secret-that-is-long-enough-32b"));
    await assertRefused(auth.authenticate(request(`Bearer ${token}`)), 401, "invalid_token");
  });

  it("valid token without any payroll role → authenticated, then 403 on requireRole", async () => {
    const token = await idp.mint({ claims: { oid: operatorOid, roles: undefined } });
    const p = await auth.authenticate(request(`Bearer ${token}`));
    assert.deepEqual(p.roles, []);
    const e = await assertRefused(
      Promise.resolve().then(() => requireRole(p, "Payroll.Operator")),
      403,
      "forbidden_role",
    );
    assert.equal(e.toResponse().status, 403);
  });

  it("operator asking for a company without a grant → 403", async () => {
    const token = await idp.mint({ claims: { oid: operatorOid } });
    const p = await auth.authenticate(request(`Bearer ${token}`));
    await assertRefused(
      Promise.resolve().then(() => requireCompany(p, "C003")),
      403,
      "forbidden_company",
      token,
    );
  });

  it("operator is refused admin-only actions; a user with no grants sees no company", async () => {
    const token = await idp.mint({ claims: { oid: randomUUID() } });
    const p = await auth.authenticate(request(`Bearer ${token}`));
    assert.deepEqual(p.companies, []);
    await assertRefused(
      Promise.resolve().then(() => requireRole(p, "Payroll.Admin")),
      403,
      "forbidden_role",
    );
    await assertRefused(
      Promise.resolve().then(() => requireCompany(p, "C001")),
      403,
      "forbidden_company",
    );
  });

  it("key endpoint unreachable → 503, not a blame on the caller's token", async () => {
    const down = createAuthenticator(
      { PAIE_AUTH_TENANT_ID: idp.tenantId, PAIE_AUTH_API_CLIENT_ID: idp.apiClientId, PAIE_AUTH_JWKS_URL: "http://127.0.0.1:1/keys" },
      { grants },
    );
    const token = await idp.mint({ claims: { oid: operatorOid } });
    let caught: unknown;
    try {
      await down.authenticate(request(`Bearer ${token}`));
    } catch (e) {
      caught = e;
    }
    assert.ok(caught instanceof AuthError);
    assert.equal(caught.status, 503);
  });
});

describe("development identity and startup configuration", () => {
  const grants = { companiesFor: async () => [] as string[] };

  it("enabled only by an explicit setting, with the requested role", async () => {
    const dev = createAuthenticator({ PAIE_DEV_IDENTITY: "admin@local" }, { grants });
    assert.equal(dev.mode, "development");
    const p: Principal = await dev.authenticate(request());
    assert.deepEqual(p.roles, ["Payroll.Admin", "Payroll.Operator"]);
    assert.deepEqual(p.companies, ["*"]);
    const op = developmentPrincipal({ PAIE_DEV_IDENTITY: "operator@local", PAIE_DEV_COMPANIES: "C001, C002" })!;
    assert.deepEqual(op.roles, ["Payroll.Operator"]);
    assert.deepEqual(op.companies, ["C001", "C002"]);
    assert.throws(() => requireRole(op, "Payroll.Admin"), AuthError);
  });

  it("refused at startup when running in Azure", () => {
    assert.throws(() => createAuthenticator({ PAIE_DEV_IDENTITY: "admin@local", WEBSITE_INSTANCE_ID: "0123abcd" }, { grants }), /interdit dans Azure/);
    assert.throws(() => createAuthenticator({ PAIE_DEV_IDENTITY: "admin@local", WEBSITE_SITE_NAME: "paie-func" }, { grants }), /interdit dans Azure/);
  });

  it("without dev identity, tenant and API client id are required; odd dev values are refused", () => {
    assert.throws(() => createAuthenticator({}, { grants }), /PAIE_AUTH_TENANT_ID/);
    assert.throws(() => createAuthenticator({ PAIE_AUTH_TENANT_ID: "not-a-guid", PAIE_AUTH_API_CLIENT_ID: "x" }, { grants }), /GUID/);
    assert.throws(() => createAuthenticator({ PAIE_DEV_IDENTITY: "root" }, { grants }), /admin@local/);
    assert.throws(
      () =>
        createAuthenticator(
          { PAIE_AUTH_TENANT_ID: randomUUID(), PAIE_AUTH_API_CLIENT_ID: "x", PAIE_AUTH_JWKS_URL: "http://evil/keys", WEBSITE_INSTANCE_ID: "1" },
          { grants },
        ),
      /https/,
    );
  });
});
