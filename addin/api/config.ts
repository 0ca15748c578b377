/**
 * Where the API is and how to sign in. Set at build time (webpack DefinePlugin from PAIE_* environment variables,
 * see webpack.config.js); a deployment or a test page may override it at run time with `window.PAIE_CONFIG`
 * before the bundle loads (the API origin of a test stack is only known once it has started).
 */
export interface PaieConfig {
  /** "local": development API with its development identity, no token; "msal": Microsoft Entra ID sign-in. */
  mode: "local" | "msal";
  /** API origin, without the trailing /api (e.g. https://paie-fn.azurewebsites.net or http://127.0.0.1:7071). */
  apiBase: string;
  clientId: string;
  authority: string;
  /** Delegated scope of the payroll API, e.g. api://<api-client-id>/Payroll.ReadWrite. */
  scope: string;
  /** Company to select when the user may see several; the first one otherwise. */
  companyId?: string;
}

declare const __PAIE_CONFIG__: Partial<PaieConfig> | undefined;

export const LOCAL_API = "http://127.0.0.1:7071";

export function readConfig(
  build: Partial<PaieConfig> | undefined = typeof __PAIE_CONFIG__ !== "undefined" ? __PAIE_CONFIG__ : undefined,
  runtime: Partial<PaieConfig> | undefined = (globalThis as { PAIE_CONFIG?: Partial<PaieConfig> }).PAIE_CONFIG,
): PaieConfig {
  const merged = { ...build, ...runtime };
  const clientId = merged.clientId ?? "";
  // Without a client id there is nothing to sign in to: local mode rather than a sign-in that can only fail.
  const mode = merged.mode === "msal" && clientId ? "msal" : merged.mode === "local" || !clientId ? "local" : "msal";
  const config: PaieConfig = {
    mode,
    apiBase: (merged.apiBase || LOCAL_API).replace(/\/+$/, ""),
    clientId,
    authority: merged.authority || "https://login.microsoftonline.com/organizations",
    scope: merged.scope || (clientId ? `api://${clientId}/Payroll.ReadWrite` : ""),
  };
  if (merged.companyId) config.companyId = merged.companyId;
  return config;
}
