/**
 * The task pane in Chromium against the real local stack, with the demo company and staff stored as an administrator
 * would have set them up and a workbook seeded into the fake Excel host. Nothing may leave the machine: office.js
 * from the CDN is replaced by the fake host (routes registered later are tried first).
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import type { Principal } from "../../functions/auth/index.ts";
import { type LocalStack, startLocalStack } from "../../functions/host/local-stack.ts";
import { replaceEmployees } from "../../functions/payroll/replace-employees.ts";
import { saveCompany } from "../../functions/payroll/save-company.ts";
import { apiCaller } from "./api-call.ts";
import { ARTIFACTS, ensureAddinBuild, fakeHostScript, launchChromium, serve } from "./browser.ts";
import { demoCompany, demoEmployees } from "./demo.ts";

export interface PaneOnStack {
  page: Page;
  stack: LocalStack;
  api: ReturnType<typeof apiCaller>;
  /** Closes the browser, the stack and the static server, in that order. */
  close: () => Promise<void>;
}

/**
 * `identity: "operator@local"`: the API and the pane run as an operator, who may not store the demo company; it is
 * stored through the same functions the admin's PUTs call (saveCompany, replaceEmployees), as by an administrator.
 */
export async function openPaneOnDemo(
  seed: { name: string; rows: unknown[][] }[],
  outboxPrefix: string,
  identity: "admin@local" | "operator@local" = "admin@local",
): Promise<PaneOnStack> {
  const stop: (() => Promise<void>)[] = [];
  const [dir, fake] = await Promise.all([ensureAddinBuild(), fakeHostScript()]);
  const server = await serve(dir);
  stop.push(server.close);
  const stack = await startLocalStack({ outbox: mkdtempSync(join(tmpdir(), outboxPrefix)), port: 0, corsOrigins: [server.url], identity });
  stop.push(() => stack.stop());
  const api = apiCaller(() => stack.host.url);
  if (identity === "admin@local") {
    assert.equal((await api("PUT", `companies/${demoCompany.id}`, demoCompany)).status, 201);
    assert.equal((await api("PUT", `companies/${demoCompany.id}/employees`, demoEmployees())).status, 200);
  } else {
    const admin: Principal = { oid: "test-admin", tid: "development", name: "admin (test)", roles: ["Payroll.Admin"], companies: ["*"] };
    await saveCompany(stack.services, admin, demoCompany, null);
    await replaceEmployees(stack.services, admin, demoCompany.id, demoEmployees() as unknown as Parameters<typeof replaceEmployees>[3]);
  }

  const chromium = await launchChromium();
  stop.unshift(chromium.close);
  const page = await chromium.browser.newPage();
  await page.addInitScript(
    ({ s, apiBase }) => {
      const w = window as unknown as Record<string, unknown>;
      w.__seed = s;
      w.PAIE_CONFIG = { mode: "local", apiBase };
      w.__PAIE_TEST_HOOKS__ = true;
    },
    { s: seed, apiBase: stack.host.url },
  );
  await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (r) => r.abort());
  await page.route("https://appsforoffice.microsoft.com/**", (r) => r.fulfill({ contentType: "application/javascript", body: fake }));
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.goto(`${server.url}/taskpane.html`);
  return {
    page,
    stack,
    api,
    close: async () => {
      for (const s of stop) await s();
    },
  };
}
