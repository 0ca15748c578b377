/// <reference types="office-js" />

import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { createRoot } from "react-dom/client";
import { createApi } from "../api/client.ts";
import { readConfig } from "../api/config.ts";
import { createAuth } from "../auth/auth.ts";
import { officeAuthDeps } from "../auth/office-deps.ts";
import { currentPeriod, registerCommands } from "../commands/commands.ts";
import { host } from "../excel/host.ts";
import { App, type Cloud } from "./App.tsx";
import "../custom-functions/custom-functions.ts";

Office.onReady(() => {
  registerCommands();
  const el = document.getElementById("root");
  if (!el) return;
  const config = readConfig();
  const auth = createAuth(config, officeAuthDeps);
  const cloud: Cloud = { config, auth, api: createApi(config, () => auth.getToken({ interactive: true })) };
  createRoot(el).render(
    <FluentProvider theme={webLightTheme}>
      <App host={host} initialPeriod={currentPeriod()} cloud={cloud} />
    </FluentProvider>,
  );
});
