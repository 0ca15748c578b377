/**
 * Cross-origin policy of the local host. A browser sends a "simple" request (a text/plain POST, a form) to any
 * origin without asking first; the development identity needs no token, so such a request from any web page the
 * developer opens would act as admin@local. Hence an allow-list enforced on every request that carries an Origin,
 * and preflights answered only for allowed origins. Requests without Origin (curl, Node, the tests) are not browsers'
 * cross-origin requests and pass.
 *
 *   PAIE_CORS_ORIGINS  comma-separated origins allowed to call the API from a browser (default: the add-in's dev
 *                      server, https://localhost:3000)
 */
export const DEFAULT_CORS_ORIGINS = ["https://localhost:3000"];

export function readCorsOrigins(env: Record<string, string | undefined> = process.env): string[] {
  const raw = env.PAIE_CORS_ORIGINS?.trim();
  if (!raw) return [...DEFAULT_CORS_ORIGINS];
  const origins = raw
    .split(",")
    .map((o) => o.trim())
    .filter(Boolean);
  for (const o of origins) {
    let url: URL | undefined;
    try {
      url = new URL(o);
    } catch {
      url = undefined;
    }
    // An origin is scheme://host[:port], nothing after: anything else would never match a browser's Origin header.
    if (!url || !/^https?:$/.test(url.protocol) || url.origin !== o) {
      throw new Error(`PAIE_CORS_ORIGINS invalide : « ${o.slice(0, 80)} » n'est pas une origine (https://hôte[:port], sans chemin ni « / » final)`);
    }
  }
  return origins;
}

export type CorsDecision =
  | { kind: "no-origin" }
  | { kind: "allowed"; headers: Record<string, string> }
  | { kind: "refused"; status: 403; body: { error: { code: string; message: string } } };

export function corsDecision(origin: string | undefined, allowed: readonly string[]): CorsDecision {
  if (origin === undefined) return { kind: "no-origin" };
  if (allowed.includes(origin)) {
    return {
      kind: "allowed",
      headers: {
        "Access-Control-Allow-Origin": origin,
        Vary: "Origin",
        "Access-Control-Allow-Headers": "Authorization, Content-Type, If-Match",
        "Access-Control-Allow-Methods": "GET, POST, PUT, OPTIONS",
        "Access-Control-Expose-Headers": "ETag",
      },
    };
  }
  return {
    kind: "refused",
    status: 403,
    body: {
      error: {
        code: "origin_refused",
        message: `Origine « ${origin.slice(0, 100)} » non autorisée à appeler l'API (PAIE_CORS_ORIGINS : ${allowed.join(", ") || "aucune"}).`,
      },
    },
  };
}
