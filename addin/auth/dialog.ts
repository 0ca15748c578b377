/// <reference types="office-js" />
/**
 * auth.html, opened by the pane in the Office dialog when nested app authentication is unavailable (sign-in pages
 * refuse to run in the pane's iframe): MSAL's redirect flow runs here, then the token goes back to the pane with
 * messageParent. The same page is the redirect target of MSAL popups, which only relay the response to their opener.
 */
import { createStandardPublicClientApplication } from "@azure/msal-browser";
import { broadcastResponseToMainFrame } from "@azure/msal-browser/redirect-bridge";
import { readConfig } from "../api/config.ts";
import type { DialogMessage } from "./auth.ts";

const hasResponse = /[#?&](code|error)=/.test(window.location.hash + window.location.search);

async function main() {
  if (window.opener && hasResponse) {
    await broadcastResponseToMainFrame();
    return;
  }
  await Office.onReady();
  const config = readConfig();
  const send = (m: DialogMessage) => Office.context.ui.messageParent(JSON.stringify(m));
  try {
    const redirectUri = window.location.origin + window.location.pathname;
    const pca = await createStandardPublicClientApplication({ auth: { clientId: config.clientId, authority: config.authority, redirectUri } });
    const result = await pca.handleRedirectPromise();
    if (result) {
      send({
        ok: true,
        accessToken: result.accessToken,
        expiresOn: result.expiresOn?.getTime() ?? Date.now() + 3_600_000,
        username: result.account?.username ?? "",
      });
      return;
    }
    await pca.acquireTokenRedirect({ scopes: [config.scope], redirectUri });
  } catch (e) {
    const x = e as { errorCode?: string; message?: string };
    send({ ok: false, code: x.errorCode ?? "unknown", message: x.message ?? String(e) });
  }
}

void main();
