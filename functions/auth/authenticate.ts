/**
 * Authenticates API calls from the add-in: `Authorization: Bearer <Entra ID v2 access token for our API>`.
 * Validation with jose against the tenant's published keys: RS256 only, issuer of our tenant (v2),
 * audience = our API (client id or api://client id), exp/nbf with a small clock tolerance.
 * Roles come from the token's `roles` claim (app roles assigned in Entra); companies from the grants table.
 *
 *   PAIE_AUTH_TENANT_ID      Entra tenant id (GUID)
 *   PAIE_AUTH_API_CLIENT_ID  client id of the API app registration
 *   PAIE_AUTH_JWKS_URL       optional; default https://login.microsoftonline.com/{tenant}/discovery/v2.0/keys
 *   PAIE_DEV_IDENTITY        local development only: `admin@local` or `operator@local` bypasses tokens;
 *                            refused at startup when running in Azure.
 *   PAIE_DEV_COMPANIES       companies of the dev identity, comma-separated (default `*`)
 */
import { createHash } from "node:crypto";
import { createRemoteJWKSet, type JWTPayload, errors as joseErrors, jwtVerify } from "jose";
import type { GrantsSource } from "./grants.ts";
import { ALL_COMPANIES, AuthError, type Principal, ROLES, type Role } from "./principal.ts";

export type Env = Record<string, string | undefined>;

export interface TokenValidatorOptions {
  tenantId: string;
  apiClientId: string;
  jwksUrl?: string;
  /** Seconds of clock skew accepted on exp/nbf. */
  clockToleranceSec?: number;
  grants: GrantsSource;
}

/** Anything with `headers.get` — @azure/functions HttpRequest, a fetch Request. */
export interface RequestLike {
  headers: { get(name: string): string | null };
}

export interface Authenticator {
  readonly mode: "entra" | "development";
  authenticate(request: RequestLike): Promise<Principal>;
  authenticateHeader(authorization: string | null | undefined): Promise<Principal>;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function refuse(code: string, message: string): AuthError {
  return new AuthError(401, code, message);
}

/** Maps jose's failures to refusals that say what to do, never what the token contained. */
function toAuthError(e: unknown): AuthError {
  if (e instanceof AuthError) return e;
  if (e instanceof joseErrors.JWTExpired) return refuse("token_expired", "Votre session a expiré : reconnectez-vous.");
  if (e instanceof joseErrors.JWKSTimeout || (e instanceof Error && /fetch failed|ECONNREFUSED|ENOTFOUND/i.test(e.message))) {
    // Entra's key endpoint is unreachable: not the caller's fault, and retrying later will work.
    return new AuthError(503, "auth_unavailable", "Vérification de l'identité momentanément impossible : réessayez dans quelques instants.");
  }
  if (e instanceof joseErrors.JWTClaimValidationFailed) {
    return refuse("invalid_token", "Jeton d'accès refusé : il n'a pas été émis pour Paie Monaco par votre organisation.");
  }
  return refuse("invalid_token", "Jeton d'accès invalide : reconnectez-vous.");
}

function bearer(authorization: string | null | undefined): string {
  if (!authorization?.trim()) throw refuse("missing_token", "Authentification requise : connectez-vous pour continuer.");
  const m = /^Bearer[ ]+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)\s*$/i.exec(authorization);
  if (!m) throw refuse("invalid_token", "Jeton d'accès invalide : reconnectez-vous.");
  return m[1]!;
}

function rolesOf(payload: JWTPayload): Role[] {
  const claim = payload.roles;
  if (!Array.isArray(claim)) return [];
  return ROLES.filter((r) => claim.includes(r));
}

export function createTokenValidator(options: TokenValidatorOptions): Authenticator {
  if (!GUID.test(options.tenantId)) throw new Error("PAIE_AUTH_TENANT_ID doit être l'identifiant (GUID) du locataire Entra");
  if (!options.apiClientId.trim()) throw new Error("PAIE_AUTH_API_CLIENT_ID est obligatoire");
  const issuer = `https://login.microsoftonline.com/${options.tenantId}/v2.0`;
  const jwksUrl = new URL(options.jwksUrl ?? `https://login.microsoftonline.com/${options.tenantId}/discovery/v2.0/keys`);
  // jose caches the key set and refetches on an unknown kid (key rollover), at most once per cooldown.
  const jwks = createRemoteJWKSet(jwksUrl, { timeoutDuration: 5000, cooldownDuration: 30_000, cacheMaxAge: 12 * 3600_000 });
  const audience = [options.apiClientId, `api://${options.apiClientId}`];

  const authenticateHeader = async (authorization: string | null | undefined): Promise<Principal> => {
    const token = bearer(authorization);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        issuer,
        audience,
        algorithms: ["RS256"],
        clockTolerance: options.clockToleranceSec ?? 60,
        requiredClaims: ["exp", "tid", "oid"],
      }));
    } catch (e) {
      throw toAuthError(e);
    }
    // The issuer already names the tenant; checking tid too guards against a misconfigured multi-tenant issuer.
    if (payload.tid !== options.tenantId || typeof payload.oid !== "string") {
      throw refuse("invalid_token", "Jeton d'accès refusé : il n'a pas été émis pour Paie Monaco par votre organisation.");
    }
    const oid = payload.oid;
    const name = [payload.name, payload.preferred_username, payload.app_displayname].find((v): v is string => typeof v === "string") ?? "";
    const companies = await options.grants.companiesFor(oid);
    return { oid, tid: options.tenantId, name, roles: rolesOf(payload), companies };
  };

  return {
    mode: "entra",
    authenticateHeader,
    authenticate: (request) => authenticateHeader(request.headers.get("authorization")),
  };
}

export function runningInAzure(env: Env): boolean {
  return Boolean(env.WEBSITE_INSTANCE_ID || env.WEBSITE_SITE_NAME);
}

/** The fixed identity for local development; throws (startup error) when asked for in Azure. */
export function developmentPrincipal(env: Env): Principal | undefined {
  const identity = env.PAIE_DEV_IDENTITY?.trim();
  if (!identity) return undefined;
  if (runningInAzure(env)) {
    throw new Error("PAIE_DEV_IDENTITY est interdit dans Azure : supprimez ce paramètre de l'application de fonctions.");
  }
  const m = /^(admin|operator)@local$/i.exec(identity);
  if (!m) throw new Error("PAIE_DEV_IDENTITY doit valoir admin@local ou operator@local");
  const roles: Role[] = m[1]!.toLowerCase() === "admin" ? ["Payroll.Admin", "Payroll.Operator"] : ["Payroll.Operator"];
  const companies = (env.PAIE_DEV_COMPANIES ?? ALL_COMPANIES)
    .split(",")
    .map((c) => c.trim())
    .filter(Boolean);
  return {
    oid: `dev-${createHash("sha256").update(identity.toLowerCase()).digest("hex").slice(0, 12)}`,
    tid: "development",
    name: `${identity.toLowerCase()} (développement)`,
    roles,
    companies,
  };
}

/**
 * The one entry point for the Functions app: call once at startup (it throws on a bad or unsafe
 * configuration, so the host fails loudly instead of serving), then `authenticate(request)` per call.
 */
export function createAuthenticator(env: Env, deps: { grants: GrantsSource }): Authenticator {
  const dev = developmentPrincipal(env);
  if (dev) {
    return {
      mode: "development",
      authenticateHeader: async () => ({ ...dev, roles: [...dev.roles], companies: [...dev.companies] }),
      authenticate: async () => ({ ...dev, roles: [...dev.roles], companies: [...dev.companies] }),
    };
  }
  const tenantId = env.PAIE_AUTH_TENANT_ID?.trim();
  const apiClientId = env.PAIE_AUTH_API_CLIENT_ID?.trim();
  if (!tenantId || !apiClientId) {
    throw new Error("PAIE_AUTH_TENANT_ID et PAIE_AUTH_API_CLIENT_ID sont obligatoires (ou PAIE_DEV_IDENTITY en développement local)");
  }
  if (env.PAIE_AUTH_JWKS_URL && runningInAzure(env) && !env.PAIE_AUTH_JWKS_URL.startsWith("https://")) {
    throw new Error("PAIE_AUTH_JWKS_URL doit être une adresse https dans Azure");
  }
  return createTokenValidator({
    tenantId,
    apiClientId,
    grants: deps.grants,
    ...(env.PAIE_AUTH_JWKS_URL ? { jwksUrl: env.PAIE_AUTH_JWKS_URL } : {}),
  });
}
