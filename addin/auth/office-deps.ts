/// <reference types="office-js" />
/** The real AuthDeps: Office.js for the host's capabilities and dialog, MSAL loaded on demand (its own chunk). */
import type { PaieConfig } from "../api/config.ts";
import type { AuthDeps, MsalClient } from "./auth.ts";

export const officeAuthDeps: AuthDeps = {
  nestedSupported: () => {
    try {
      return Office.context.requirements.isSetSupported("NestedAppAuth", "1.1");
    } catch {
      return false;
    }
  },
  async createNestedClient(config: PaieConfig): Promise<MsalClient> {
    const msal = await import(/* webpackChunkName: "msal" */ "@azure/msal-browser");
    return msal.createNestablePublicClientApplication({ auth: { clientId: config.clientId, authority: config.authority } });
  },
  openDialog: (url) =>
    new Promise<string>((resolve, reject) => {
      Office.context.ui.displayDialogAsync(url, { height: 60, width: 30, promptBeforeOpen: false }, (result) => {
        if (result.status !== Office.AsyncResultStatus.Succeeded) {
          reject(Object.assign(new Error(result.error.message), { code: String(result.error.code) }));
          return;
        }
        const dialog = result.value;
        dialog.addEventHandler(Office.EventType.DialogMessageReceived, (arg) => {
          dialog.close();
          if ("message" in arg) resolve(arg.message);
          else reject(Object.assign(new Error("dialog"), { code: String(arg.error) }));
        });
        // 12006: the user closed the dialog.
        dialog.addEventHandler(Office.EventType.DialogEventReceived, (arg) =>
          reject(Object.assign(new Error("dialog"), { code: String("error" in arg ? arg.error : "12006") })),
        );
      });
    }),
  async loginHint() {
    try {
      const ctx = await Office.auth.getAuthContext();
      return ctx.userPrincipalName || undefined;
    } catch {
      return undefined;
    }
  },
  authPageUrl: () => new URL("auth.html", window.location.href).href,
  now: () => Date.now(),
};
