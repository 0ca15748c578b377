/**
 * The pane's Content-Security-Policy (a meta tag: the static host may not let us set headers). Office.js comes from
 * Microsoft's CDN and applies inline styles (as does Fluent's CSS-in-JS), hence style-src 'unsafe-inline'; no
 * inline or eval'd script is allowed. connect-src names the API origin; when that origin is the local function host
 * (loopback), any loopback port is allowed so the local stack and the tests can run the API wherever it starts.
 * frame-ancestors cannot be set in a meta tag: set it as a header on the host (README, Deployment).
 */
export function contentSecurityPolicy(apiBase) {
  const api = new URL(apiBase).origin;
  const loopback = /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(api) ? ["http://127.0.0.1:*", "http://localhost:*"] : [];
  const login = "https://login.microsoftonline.com";
  return [
    "default-src 'self'",
    "script-src 'self' https://appsforoffice.microsoft.com https://ajax.aspnetcdn.com",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' blob: ${[api, ...loopback, login].join(" ")}`,
    `frame-src 'self' blob: ${login}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join("; ");
}
