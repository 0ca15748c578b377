/// <reference types="office-js" />
import { createRoot } from "react-dom/client";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { App } from "./App.tsx";
import { host } from "../excel/host.ts";
import { currentPeriod, registerCommands } from "../commands/commands.ts";
import "../functions/functions.ts";

Office.onReady(() => {
  registerCommands();
  const el = document.getElementById("root");
  if (!el) return;
  createRoot(el).render(
    <FluentProvider theme={webLightTheme}>
      <App host={host} initialPeriod={currentPeriod()} />
    </FluentProvider>,
  );
});
