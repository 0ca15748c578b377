/**
 * The « Administration » view in Chromium against the real local stack (Azurite + function host, fake Office host):
 * an admin opens it, enters a new CCSS ceiling with its reference and sees the new set version (the pane's own
 * calculation set follows); a tenfold value is refused with the confirmation asked on the value field, then accepted
 * once confirmed; the history lists both changes with their reference. An operator (development identity
 * operator@local) sees no Administration tab, and the API refuses him the same change. Screenshots: .artifacts/addin/.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import { baselineParameterSet, buildParameterSet, type StoredParameterValue } from "../../shared/rates/parameter-set.ts";
import { resolveParameter } from "../../shared/rates/parameters.ts";
import { ARTIFACTS } from "../support/browser.ts";
import { demoWorkbook } from "../support/demo.ts";
import { openPaneOnDemo, type PaneOnStack } from "../support/pane-stack.ts";

const seed = [{ name: "Salariés", rows: demoWorkbook.employees }];
const inForce = resolveParameter("ccss.ceiling", "2026-09-30", [], baselineParameterSet().files);
if (inForce.kind !== "value" || typeof inForce.resolved.value !== "number") throw new Error("ccss.ceiling has no value on 2026-09-30");
const NEW = inForce.resolved.value + 300;
const reference = { title: "Circulaire CSM plafonds au 1er octobre 2026 (essai navigateur)", document: "circulaire essai n° 2026-10" };
const october: StoredParameterValue = { parameter: "ccss.ceiling", validFrom: "2026-10-01", value: NEW, status: "official", reference };
const B = buildParameterSet([october]).version;

let admin: PaneOnStack;
let operator: PaneOnStack | undefined;
before(async () => {
  admin = await openPaneOnDemo(seed, "pane-admin-outbox-");
});
after(async () => {
  await admin?.close();
  await operator?.close();
});

const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

async function enter(page: Page, month: string, value: string) {
  await page.getByRole("combobox", { name: "Paramètre" }).selectOption("ccss.ceiling");
  await page.getByLabel("Valable à partir de (AAAA-MM)").fill(month);
  await page.getByLabel("Valeur", { exact: true }).fill(value);
  await page.getByLabel("Référence — titre").fill(reference.title);
  await page.getByLabel("Référence — document").fill(reference.document);
  await page.getByRole("button", { name: "Enregistrer la valeur" }).click();
}

test("an admin enters October's CCSS ceiling with its reference and sees the new version; ×10 asks for confirmation on the field", async () => {
  const { page, api } = admin;
  await page.getByText(/Connecté : mode local/).waitFor();
  const A = (await api("GET", "parameters")).json.version as string;
  await page.getByRole("tab", { name: "Administration" }).click();
  const version = page.getByLabel("Version du jeu de paramètres");
  assert.match(await version.innerText(), new RegExp(`^Jeu de paramètres ${A}`));
  const ceilingRow = page.locator('tr[data-parameter="ccss.ceiling"]');
  assert.match(await ceilingRow.innerText(), /à confirmer/, "December 2026 is past the bundled ceiling's knownUntil");

  await enter(page, "2026-10", String(NEW).replace(/\B(?=(\d{3})+$)/g, " "));
  await page.getByRole("alert").filter({ hasText: "nouvelle version des paramètres" }).waitFor();
  assert.match(await page.getByRole("alert").innerText(), new RegExp(`nouvelle version des paramètres ${B} \\(précédente ${A}\\)`));
  await version.filter({ hasText: B }).waitFor();
  await page
    .getByLabel("Version des paramètres", { exact: true })
    .filter({ hasText: `Paramètres ${B}` })
    .waitFor();
  assert.equal((await api("GET", "parameters")).json.version, B, "stored on the server");
  assert.match(await ceilingRow.innerText(), new RegExp(`01/10/2026[\\s\\S]*officielle[\\s\\S]*${reference.title.replace(/[()]/g, "\\$&")}`));
  assert.doesNotMatch(await ceilingRow.innerText(), /à confirmer/);
  await shot(page, "admin-1-parametres");

  await enter(page, "2026-11", String(NEW * 10));
  const valueField = page.locator(".fui-Field", { has: page.getByLabel("Valeur", { exact: true }) });
  await valueField.locator(".fui-Field__validationMessage").waitFor();
  assert.match(
    await valueField.locator(".fui-Field__validationMessage").innerText(),
    /plus du double de la valeur précédente.*cochez « Je confirme cette valeur »/,
  );
  assert.equal(await page.getByLabel("Valeur", { exact: true }).getAttribute("aria-invalid"), "true");
  assert.equal((await api("GET", "parameters")).json.version, B, "nothing stored");
  await shot(page, "admin-2-confirmation");
  await page.getByRole("checkbox", { name: "Je confirme cette valeur" }).check();
  await page.getByRole("button", { name: "Enregistrer la valeur" }).click();
  await page
    .getByRole("alert")
    .filter({ hasText: `(précédente ${B})` })
    .waitFor();
  const C = (await api("GET", "parameters")).json.version as string;
  assert.notEqual(C, B);
  await version.filter({ hasText: C }).waitFor();

  await page.getByRole("tab", { name: "Historique" }).click();
  const history = page.getByRole("table", { name: "Historique des paramètres" });
  await history.waitFor();
  const text = (await history.innerText()).replace(/[\u00a0\u202f]/g, " ");
  assert.equal(await history.locator("tbody tr").count(), 2);
  assert.match(text, /au 01\/11\/2026[\s\S]*\(confirmé\)/);
  assert.ok(text.includes(`${String(NEW).replace(/\B(?=(\d{3})+$)/g, " ")} €`), text);
  assert.ok(text.includes(reference.title), text);
  await shot(page, "admin-3-historique");
});

test("an operator sees no Administration tab, and the API refuses him the change", async () => {
  operator = await openPaneOnDemo(seed, "pane-operator-outbox-", "operator@local");
  const { page, api } = operator;
  await page.getByText(/Connecté : mode local/).waitFor();
  // The pane asks /api/me before loading the server's set: once that set is shown, the roles are known.
  await page.getByLabel("Version des paramètres", { exact: true }).filter({ hasText: "chargés du serveur" }).waitFor();
  assert.deepEqual((await api("GET", "me")).json.roles, ["Payroll.Operator"]);
  assert.equal(await page.getByRole("tab", { name: "Administration" }).count(), 0);
  const refused = await api("PUT", "parameters", october);
  assert.equal(refused.status, 403);
  assert.match(refused.json.error.message, /Payroll\.Admin/);
  await shot(page, "admin-4-operateur");
});
