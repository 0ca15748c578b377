/**
 * A local stand-in for Entra ID's signing keys: an RSA key pair made with jose, its public JWKS served
 * over HTTP at the same path shape as login.microsoftonline.com, and a minter for v2 access tokens —
 * valid ones and every kind of wrong one.
 */

import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type CryptoKey, exportJWK, generateKeyPair, type JWTPayload, SignJWT } from "jose";

export interface MintOptions {
  /** Claims to add or override (set a claim to undefined to drop it). */
  claims?: Record<string, unknown>;
  issuer?: string;
  audience?: string;
  /** Seconds from now; negative for an already expired token. */
  expiresIn?: number;
  notBefore?: number;
  /** Sign with a key that is not in the JWKS (same kid): a forged token. */
  foreignKey?: boolean;
  kid?: string;
}

export interface TestIdentityProvider {
  tenantId: string;
  apiClientId: string;
  jwksUrl: string;
  issuer: string;
  /** How many times the JWKS was fetched (jose caches it). */
  readonly jwksFetches: number;
  mint(options?: MintOptions): Promise<string>;
  close(): Promise<void>;
}

export async function startIdentityProvider(options: { tenantId?: string; apiClientId?: string } = {}): Promise<TestIdentityProvider> {
  const tenantId = options.tenantId ?? randomUUID();
  const apiClientId = options.apiClientId ?? randomUUID();
  const kid = `kid-${randomUUID().slice(0, 8)}`;
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  const foreign = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
  let fetches = 0;

  const server: Server = createServer((req, res) => {
    if (req.method === "GET" && req.url === `/${tenantId}/discovery/v2.0/keys`) {
      fetches++;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const issuer = `https://login.microsoftonline.com/${tenantId}/v2.0`;

  const mint = async (o: MintOptions = {}): Promise<string> => {
    const now = Math.floor(Date.now() / 1000);
    const payload: JWTPayload = {
      ver: "2.0",
      tid: tenantId,
      oid: randomUUID(),
      name: "Camille Testeur",
      preferred_username: "camille@cabinet.example",
      roles: ["Payroll.Operator"],
      scp: "Payroll.ReadWrite",
      ...o.claims,
    };
    for (const [k, v] of Object.entries(payload)) if (v === undefined) delete payload[k];
    const jwt = new SignJWT(payload)
      .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: o.kid ?? kid })
      .setIssuer(o.issuer ?? issuer)
      .setAudience(o.audience ?? apiClientId)
      .setIssuedAt(now - 5)
      .setNotBefore(o.notBefore ?? now - 5)
      .setExpirationTime(now + (o.expiresIn ?? 3600));
    return jwt.sign((o.foreignKey ? foreign.privateKey : privateKey) as CryptoKey);
  };

  return {
    tenantId,
    apiClientId,
    jwksUrl: `http://127.0.0.1:${port}/${tenantId}/discovery/v2.0/keys`,
    issuer,
    get jwksFetches() {
      return fetches;
    },
    mint,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
