/**
 * The pane and the parameter set in chromium against the real local stack (Azurite + the function host, development
 * identity, fake Office host): the pane opens on version A and shows it; it calculates with A; an admin enters a new
 * CCSS ceiling (PUT /api/parameters, version B); the pane's submission computed with A is refused with the server's
 * message naming the parameter and both values, nothing is stored; "Actualiser les paramètres" loads B (kept for
 * offline work) and recalculates; the submission is then accepted. Screenshots go to .artifacts/addin/.
 */

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import { formatParameterValue } from "../../shared/rates/parameter-change.ts";
import { baselineParameterSet, buildParameterSet, type StoredParameterValue } from "../../shared/rates/parameter-set.ts";
import { resolveParameter } from "../../shared/rates/parameters.ts";
import { ARTIFACTS, ROOT } from "../support/browser.ts";
import { openPaneOnDemo, type PaneOnStack } from "../support/pane-stack.ts";

const P = "2025-08";
const company = JSON.parse(readFileSync(join(ROOT, "samples/demo-company.json"), "utf8")).company;
const demo = JSON.parse(readFileSync(join(ROOT, "samples/demo-workbook-2025-08.json"), "utf8")) as { employees: unknown[][]; variables: unknown[][] };

const inForce = resolveParameter("ccss.ceiling", "2025-08-31", [], baselineParameterSet().files);
if (inForce.kind !== "value" || typeof inForce.resolved.value !== "number") throw new Error("ccss.ceiling has no value on 2025-08-31");
const OLD = inForce.resolved.value;
const change: StoredParameterValue = {
  parameter: "ccss.ceiling",
  validFrom: "2025-08-01",
  value: OLD + 300,
  status: "official",
  reference: { title: "Circulaire CSM (essai navigateur)", document: "Circulaire essai", publishedOn: "2025-07-15" },
  note: "valeur d'essai du test navigateur",
};
const A = baselineParameterSet().version;
const B = buildParameterSet([change]).version;

let page: Page;
let pane: PaneOnStack;
// biome-ignore lint/suspicious/noExplicitAny: the API's JSON, read field by field by the tests
let api: (method: string, route: string, body?: unknown) => Promise<{ status: number; json: any }>;

before(async () => {
  const seed = [
    { name: "Salariés", rows: demo.employees },
    { name: `Variables ${P}`, rows: demo.variables },
  ];
  pane = await openPaneOnDemo(seed, "pane-params-outbox-");
  ({ page, api } = pane);
});
after(async () => {
  await pane?.close();
});

const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
const status = () => page.getByRole("status");
const versionLine = () => page.getByLabel("Version des paramètres");

test("a pane on version A is refused naming the parameter and both values; after reloading it is accepted on B", async () => {
  assert.notEqual(A, B);
  await page.getByLabel("Période").fill(P);
  await page.getByText(/Connecté : mode local/).waitFor();
  // Opened on the bundled set, then the server's (still the baseline: version A), loaded at sign-in.
  await versionLine().filter({ hasText: "chargés du serveur" }).waitFor();
  assert.match(await versionLine().innerText(), new RegExp(`^Paramètres ${A}`));

  await page.getByRole("button", { name: "Préparer le mois" }).click();
  await status().filter({ hasText: "Créé" }).waitFor();
  await page.getByRole("tab", { name: "Calculer" }).click();
  await page.getByRole("button", { name: "Calculer les bulletins" }).click();
  await status()
    .filter({ hasText: /bulletin\(s\) calculé\(s\)|Calcul impossible|Erreur/ })
    .waitFor();
  assert.match(await status().innerText(), /6 bulletin\(s\) calculé\(s\)/);
  await shot("params-1-version-A");

  // An administrator enters the new ceiling while the pane still holds version A.
  const put = await api("PUT", "parameters", change);
  assert.equal(put.status, 201, JSON.stringify(put.json));
  assert.equal(put.json.version, B);

  await page.getByRole("tab", { name: "Soumettre" }).click();
  await page.getByRole("button", { name: "Soumettre la période" }).click();
  await status().filter({ hasText: "Paramètres différents" }).waitFor();
  const refusal = await status().innerText();
  const nb = (s: string) => s.replace(/[\u00a0\u202f ]/g, " ");
  assert.ok(
    nb(refusal).includes(
      nb(`le plafond CCSS ${formatParameterValue(OLD, "eur")} ; le serveur applique ${formatParameterValue(OLD + 300, "eur")} depuis le 01/08/2025`),
    ),
    refusal,
  );
  assert.doesNotMatch(refusal, /netPaid|classeur \d/, "never a list of differing net amounts");
  await shot("params-2-refus");
  assert.equal((await api("GET", `companies/${company.id}/periods/${P}`)).status, 404, "nothing stored");

  await page.getByRole("button", { name: "Actualiser les paramètres" }).click();
  await status()
    .filter({ hasText: /bulletin\(s\) calculé\(s\)/ })
    .waitFor();
  await versionLine()
    .filter({ hasText: `Paramètres ${B}` })
    .waitFor();
  const copy = JSON.parse((await page.evaluate(() => localStorage.getItem("paie.parameters"))) ?? "null") as { version: string };
  assert.equal(copy.version, B, "the new set is kept for offline work");
  assert.equal(await page.getByRole("button", { name: "Actualiser les paramètres" }).count(), 0);
  await shot("params-3-actualise");

  await page.getByRole("tab", { name: "Soumettre" }).click();
  await page.getByRole("button", { name: "Soumettre la période" }).click();
  await status().filter({ hasText: "soumise :" }).waitFor();
  assert.match(await status().innerText(), /version 1, 6 bulletin\(s\)/);
  await shot("params-4-accepte");
});
