/**
 * Sign-in for the pane (ecosystem.md §4): nested app authentication through the Office host when it supports
 * NestedAppAuth 1.1, else the Office dialog running MSAL's redirect flow on auth.html; no token at all in local
 * mode (the development API runs under its development identity). MSAL is loaded on first use only, so local mode
 * and the pane's first load never pay for it. Every Office and MSAL access goes through `AuthDeps`, so the choices
 * are unit-tested without a host.
 */
import type { IPublicClientApplication } from "@azure/msal-browser";
import type { PaieConfig } from "../api/config.ts";

export type SignInPath = "local" | "nested" | "dialog";

/** The subset of an MSAL public client application used here. */
export type MsalClient = Pick<IPublicClientApplication, "getAllAccounts" | "acquireTokenSilent" | "ssoSilent" | "acquireTokenPopup">;

export interface AuthDeps {
  /** Office.context.requirements.isSetSupported("NestedAppAuth", "1.1"). */
  nestedSupported(): boolean;
  createNestedClient(config: PaieConfig): Promise<MsalClient>;
  /** Opens auth.html in the Office dialog; resolves with the message the dialog sent back. */
  openDialog(url: string): Promise<string>;
  /** Office.auth.getAuthContext()'s user principal name when the host knows it. */
  loginHint(): Promise<string | undefined>;
  authPageUrl(): string;
  now(): number;
}

export function chooseSignInPath(config: PaieConfig, nestedSupported: boolean): SignInPath {
  if (config.mode === "local") return "local";
  return nestedSupported ? "nested" : "dialog";
}

/** A failure the user can act on, with the French text to show. */
export class SignInError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = "SignInError";
  }
}

/** What the dialog page posts back with Office.context.ui.messageParent. */
export type DialogMessage = { ok: true; accessToken: string; expiresOn: number; username: string } | { ok: false; code: string; message: string };

const POPUP_FAILURES = new Set(["popup_window_error", "empty_window_error", "monitor_window_timeout", "popup_bridge_timeout"]);
/** Renew a little before expiry so a request never leaves with a token that expires on the way. */
const EXPIRY_MARGIN_MS = 5 * 60_000;

const codeOf = (e: unknown): string => {
  const x = e as { errorCode?: unknown; code?: unknown; name?: unknown } | null;
  return String(x?.errorCode ?? x?.code ?? x?.name ?? "");
};

/** Every sign-in failure as one French sentence. */
export function authErrorMessage(error: unknown): string {
  if (error instanceof SignInError) return error.message;
  const code = codeOf(error);
  const text = `${code} ${(error as Error)?.message ?? ""}`;
  if (/user_cancelled|12006/.test(text)) return "Connexion annulée.";
  if (/popup_window_error|empty_window_error|12009|12011/.test(text))
    return "La fenêtre de connexion Microsoft a été bloquée : autorisez les fenêtres contextuelles pour ce complément puis réessayez.";
  if (/12007/.test(text)) return "Une fenêtre de connexion est déjà ouverte : terminez-la ou fermez-la.";
  if (/AADSTS65001|consent_required/.test(text))
    return "L'application Paie Monaco n'est pas encore autorisée dans votre organisation : demandez à l'administrateur Microsoft 365 d'accorder le consentement.";
  if (/AADSTS50105|AADSTS50020|access_denied/.test(text))
    return "Votre compte n'a pas accès à Paie Monaco : demandez à l'administrateur de vous attribuer un rôle de paie.";
  if (/interaction_required|login_required|no_account|InteractionRequired/i.test(text)) return "Connexion requise : cliquez sur « Se connecter ».";
  if (/network|timed_out|Failed to fetch/i.test(text)) return "Service de connexion Microsoft injoignable : vérifiez la connexion Internet puis réessayez.";
  return `Connexion Microsoft impossible${code ? ` (${code})` : ""} : réessayez ou contactez le support.`;
}

export interface Auth {
  readonly path: SignInPath;
  /** The signed-in user's name, once known. */
  user(): string | undefined;
  /**
   * A token for the payroll API, or undefined in local mode. `interactive: false` never opens a window (for the
   * pane's start-up); it throws a SignInError "connexion requise" instead.
   */
  getToken(options?: { interactive?: boolean }): Promise<string | undefined>;
}

export function createAuth(config: PaieConfig, deps: AuthDeps): Auth {
  const path = chooseSignInPath(config, config.mode === "msal" && deps.nestedSupported());
  let cached: { token: string; expiresOn: number } | undefined;
  let username: string | undefined;
  let client: Promise<MsalClient> | undefined;
  const request = { scopes: [config.scope] };

  const keep = (token: string, expiresOn: number, user: string | undefined) => {
    cached = { token, expiresOn };
    if (user) username = user;
    return token;
  };

  async function viaDialog(): Promise<string> {
    const raw = await deps.openDialog(deps.authPageUrl());
    let message: DialogMessage;
    try {
      message = JSON.parse(raw) as DialogMessage;
    } catch {
      throw new SignInError("Réponse illisible de la fenêtre de connexion : réessayez.", "dialog_message");
    }
    if (!message.ok) throw new SignInError(authErrorMessage({ errorCode: message.code, message: message.message }), message.code);
    return keep(message.accessToken, message.expiresOn, message.username);
  }

  async function viaNested(interactive: boolean): Promise<string> {
    client ??= deps.createNestedClient(config);
    const pca = await client;
    const account = pca.getAllAccounts()[0];
    try {
      const hint = account ? undefined : await deps.loginHint();
      const r = account ? await pca.acquireTokenSilent({ ...request, account }) : await pca.ssoSilent({ ...request, ...(hint ? { loginHint: hint } : {}) });
      return keep(r.accessToken, r.expiresOn?.getTime() ?? deps.now() + 3_600_000, r.account?.username);
    } catch (silent) {
      if (!interactive) throw new SignInError(authErrorMessage({ errorCode: "interaction_required" }), "interaction_required");
      void silent;
    }
    try {
      const r = await pca.acquireTokenPopup(request);
      return keep(r.accessToken, r.expiresOn?.getTime() ?? deps.now() + 3_600_000, r.account?.username);
    } catch (popup) {
      // Some hosts refuse popups from the pane: the Office dialog is the documented fallback.
      if (POPUP_FAILURES.has(codeOf(popup))) return viaDialog();
      throw popup;
    }
  }

  return {
    path,
    user: () => (path === "local" ? "mode local" : username),
    async getToken(options = {}) {
      if (path === "local") return undefined;
      if (cached && cached.expiresOn - EXPIRY_MARGIN_MS > deps.now()) return cached.token;
      const interactive = options.interactive ?? true;
      if (path === "nested") return viaNested(interactive);
      if (!interactive) throw new SignInError(authErrorMessage({ errorCode: "interaction_required" }), "interaction_required");
      return viaDialog();
    },
  };
}
