/**
 * The real task-pane bundle in chromium against the fake Office host: prepare → validate (errors listed, click
 * selects the cell) → fix the cell → validate clean → calculate with the real engine → preview. Screenshots of each
 * step go to .artifacts/addin/.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { ARTIFACTS, ensureAddinBuild, fakeHostScript, launchChromium, serve } from "../support/browser.ts";
import { EMPLOYEE_COLUMNS } from "../../addin/workbook/columns.ts";
import { employee, table } from "./fixtures.ts";

const P = "2025-03";
let page: Page;
let stop: (() => Promise<void>)[] = [];

before(async () => {
  const dir = await ensureAddinBuild();
  const fake = await fakeHostScript();
  const server = await serve(dir);
  const chromium = await launchChromium();
  stop = [chromium.close, server.close];
  page = await chromium.browser.newPage();
  const seed = [{ name: "Salariés", rows: table(EMPLOYEE_COLUMNS, [employee("001"), employee("002", { monthlySalary: "3 000,00 €€" }), employee("003", { category: "Cadre", monthlySalary: 5200 })]) }];
  await page.addInitScript((s) => { (window as unknown as { __seed: unknown }).__seed = s; }, seed);
  // Nothing may leave the machine; office.js from the CDN is replaced by the fake host (routes registered later
  // are tried first).
  await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (r) => r.abort());
  await page.route("https://appsforoffice.microsoft.com/**", (r) => r.fulfill({ contentType: "application/javascript", body: fake }));
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.goto(`${server.url}/taskpane.html`);
});
after(async () => { for (const s of stop) await s(); });

const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
const wb = <T>(fn: string) => page.evaluate(fn) as Promise<T>;

test("the pane walks a month from preparation to calculation", async () => {
  await page.getByLabel("Période").fill(P);
  await shot("0-ouverture");

  await page.getByRole("button", { name: "Préparer le mois" }).click();
  await page.getByRole("status").filter({ hasText: "Créé" }).waitFor();
  await shot("1-preparer");
  assert.deepEqual(await wb<string[]>("window.__workbook.sheets.map(s => s.name)"), ["Salariés", `Variables ${P}`, `Lignes ${P}`]);
  assert.deepEqual(await wb<unknown[]>(`window.__workbook.records("Variables ${P}").map(r => r.Matricule)`), ["001", "002", "003"]);

  await page.getByRole("tab", { name: "Valider" }).click();
  await page.getByRole("button", { name: "Valider le classeur" }).click();
  await page.getByRole("status").filter({ hasText: "erreur(s)" }).waitFor();
  const issue = page.getByTestId("issue").filter({ hasText: "3 000,00 €€" });
  assert.equal(await issue.count(), 1);
  assert.ok(await page.getByRole("region", { name: "Feuille Salariés" }).isVisible());
  await shot("2-valider-erreurs");
  await issue.click();
  await page.waitForFunction(() => (window as unknown as { __workbook: { selection: unknown } }).__workbook.selection !== null);
  assert.deepEqual(await wb("window.__workbook.selection"), { sheet: "Salariés", address: "T3" });
  assert.equal(await wb("window.__workbook.sheet('Salariés').fill.get('T3')"), "#FFC7CE");

  await page.evaluate(() => (window as unknown as { __workbook: { write: (s: string, r: number, c: number, v: unknown[][]) => void } }).__workbook.write("Salariés", 2, 19, [[3100]]));
  await page.getByRole("button", { name: "Valider le classeur" }).click();
  await page.getByRole("status").filter({ hasText: "Aucune erreur" }).waitFor();
  assert.equal(await page.getByTestId("issue").filter({ hasText: "Erreur" }).count(), 0);
  assert.equal(await wb("window.__workbook.sheet('Salariés').fill.get('T3') ?? null"), null);
  await shot("3-valider-corrige");

  await page.getByRole("tab", { name: "Calculer" }).click();
  await page.getByRole("button", { name: "Calculer les bulletins" }).click();
  await page.getByRole("status").filter({ hasText: /bulletin\(s\) calculé\(s\)|Calcul impossible|Erreur/ }).waitFor();
  await shot("4-calculer");
  const status = await page.getByRole("status").innerText();
  assert.match(status, /3 bulletin\(s\) calculé\(s\)/, status);
  const slips = await wb<Record<string, unknown>[]>(`window.__workbook.records("Bulletins ${P}")`);
  assert.deepEqual(slips.map((r) => r.Matricule), ["001", "002", "003"]);
  assert.ok(slips.every((r) => typeof r["Net payé"] === "number" && (r["Net payé"] as number) > 0 && (r["Net payé"] as number) < (r.Brut as number)));
  const totals = page.getByLabel("Totaux");
  assert.match(await totals.innerText(), /Net payé/);
  assert.ok((await page.getByLabel("Bulletin").innerText()).length > 50);
  await shot("5-apercu");
});
