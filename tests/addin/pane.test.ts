/**
 * The real task-pane bundle in chromium against the fake Office host and the real local stack (Azurite + the
 * function host, development identity): prepare → validate (errors listed, click selects the cell) → fix the cell →
 * validate clean → calculate with the real engine and the server's company settings → PDF preview generated in the
 * page → a tampered submission refused with the server's French message → the real submission stored as version 1
 * → documents listed after the payroll run and downloadable → a resubmission by someone else refuses the pane's stale
 * one (409, the server's French message) until the pane recalculates. Screenshots of each step go to .artifacts/addin/.
 */

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import type { LocalStack } from "../../functions/host/local-stack.ts";
import type { PayslipInput } from "../../shared/schema/payslip-input.ts";
import { ARTIFACTS, ROOT } from "../support/browser.ts";
import { demoSummaries } from "../support/demo.ts";
import { openPaneOnDemo, type PaneOnStack } from "../support/pane-stack.ts";

const P = "2025-08";
const company = JSON.parse(readFileSync(join(ROOT, "samples/demo-company.json"), "utf8")).company;
const demo = JSON.parse(readFileSync(join(ROOT, "samples/demo-workbook-2025-08.json"), "utf8")) as { employees: unknown[][]; variables: unknown[][] };
const SALARY_COL = demo.employees[0]!.indexOf("Salaire mensuel");

let page: Page;
let stack: LocalStack;
let pane: PaneOnStack;
// biome-ignore lint/suspicious/noExplicitAny: the API's JSON, read field by field by the tests
let api: (method: string, route: string, body?: unknown) => Promise<{ status: number; json: any }>;

before(async () => {
  // The demo workbook with one salary typed wrong (D002), which validation must catch.
  const employees = demo.employees.map((r, i) => (i === 2 ? r.map((v, c) => (c === SALARY_COL ? "6 500,00 €€" : v)) : r));
  const seed = [
    { name: "Salariés", rows: employees },
    { name: `Variables ${P}`, rows: demo.variables },
  ];
  pane = await openPaneOnDemo(seed, "pane-outbox-");
  ({ page, stack, api } = pane);
});
after(async () => {
  await pane?.close();
});

const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
const wb = <T>(fn: string) => page.evaluate(fn) as Promise<T>;
const status = () => page.getByRole("status");

test("the pane walks a month from preparation to submission on the local stack", async () => {
  await page.getByLabel("Période").fill(P);
  await page.getByText(/Connecté : mode local · Démo Monte-Carlo SAM/).waitFor();
  await shot("0-ouverture");

  await page.getByRole("button", { name: "Préparer le mois" }).click();
  await status().filter({ hasText: "Créé" }).waitFor();
  assert.match(await status().innerText(), /Pas de période 2025-07 sur le serveur/);
  await shot("1-preparer");
  assert.deepEqual(await wb<string[]>("window.__workbook.sheets.map(s => s.name)"), [
    "Salariés",
    `Variables ${P}`,
    `Lignes ${P}`,
    `Absences ${P}`,
    `Rappels ${P}`,
    "Reprise",
  ]);

  await page.getByRole("tab", { name: "Valider" }).click();
  await page.getByRole("button", { name: "Valider le classeur" }).click();
  await status().filter({ hasText: "erreur(s)" }).waitFor();
  const issue = page.getByTestId("issue").filter({ hasText: "6 500,00 €€" });
  assert.equal(await issue.count(), 1);
  await shot("2-valider-erreurs");
  await issue.click();
  await page.waitForFunction(() => (window as unknown as { __workbook: { selection: unknown } }).__workbook.selection !== null);
  assert.deepEqual(await wb("window.__workbook.selection"), { sheet: "Salariés", address: "T3" });

  await page.evaluate(
    (col) =>
      (window as unknown as { __workbook: { write: (s: string, r: number, c: number, v: unknown[][]) => void } }).__workbook.write("Salariés", 2, col, [
        [6500],
      ]),
    SALARY_COL,
  );
  await page.getByRole("button", { name: "Valider le classeur" }).click();
  await status().filter({ hasText: "Aucune erreur" }).waitFor();
  assert.match(await status().innerText(), /6 salarié\(s\)/);
  await shot("3-valider-corrige");

  await page.getByRole("tab", { name: "Calculer" }).click();
  await page.getByRole("button", { name: "Calculer les bulletins" }).click();
  await status()
    .filter({ hasText: /bulletin\(s\) calculé\(s\)|Calcul impossible|Erreur/ })
    .waitFor();
  await shot("4-calculer");
  assert.match(await status().innerText(), /6 bulletin\(s\) calculé\(s\)/);
  const slips = await wb<Record<string, unknown>[]>(`window.__workbook.records("Bulletins ${P}")`);
  assert.equal(slips.length, 6);
  const journal = await wb<Record<string, unknown>[]>(`window.__workbook.records("Journal ${P}")`);
  const cents = (k: string) => journal.reduce((s, r) => s + Math.round(Number(r[k] || 0) * 100), 0);
  assert.ok(cents("Débit") > 0 && cents("Débit") === cents("Crédit"), "balanced journal from the shared buildJournal");

  // Preview: the first employee's payslip rendered in the page with the bundled fonts.
  assert.match(await page.getByLabel("Totaux").innerText(), /Net payé/);
  await page.getByRole("button", { name: "Aperçu PDF du bulletin" }).click();
  const frame = page.getByTestId("pdf-frame");
  await frame.waitFor();
  const src = (await frame.getAttribute("src")) ?? "";
  assert.match(src, /^blob:/);
  const pdf = Buffer.from(await page.evaluate(async (u) => [...new Uint8Array(await (await fetch(u)).arrayBuffer())], src));
  assert.equal(pdf.subarray(0, 5).toString(), "%PDF-");
  const file = join(mkdtempSync(join(tmpdir(), "pane-pdf-")), "apercu.pdf");
  writeFileSync(file, pdf);
  const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
  assert.match(text, /NET À PAYER/);
  assert.match(text, /ROSSI Élodie/);
  assert.match(text, /Démo Monte-Carlo SAM/);
  await shot("5-apercu");

  // A figure changed after the calculation: the server recomputes and refuses, naming the employee and the figure.
  await page.getByRole("tab", { name: "Soumettre" }).click();
  await page.getByText(`Rien n'a encore été soumis pour ${P}.`).waitFor();
  await page.evaluate(() => {
    (window as unknown as { __paie: { calc(): { results: { result: { netPaid: number } }[] } } }).__paie.calc().results[1]!.result.netPaid += 100;
  });
  await page.getByRole("button", { name: "Soumettre la période" }).click();
  await status().filter({ hasText: "diffère" }).waitFor();
  assert.match(await status().innerText(), /matricule D002, netPaid : classeur .* serveur/);
  assert.match(await page.getByLabel("Écarts").innerText(), /D002 — netPaid/);
  await shot("6-soumettre-refus");
  assert.equal((await api("GET", `companies/${company.id}/periods/${P}`)).status, 404, "nothing stored");

  await page.evaluate(() => {
    (window as unknown as { __paie: { calc(): { results: { result: { netPaid: number } }[] } } }).__paie.calc().results[1]!.result.netPaid -= 100;
  });
  await page.getByRole("button", { name: "Soumettre la période" }).click();
  await status().filter({ hasText: "soumise" }).waitFor();
  assert.match(await status().innerText(), /version 1, 6 bulletin\(s\)/);
  const state = page.getByLabel("État de la période");
  await state.getByText("Version 1").waitFor();
  assert.match(await state.innerText(), /Statut : soumise — enregistrée sur le serveur/);
  assert.match(await state.innerText(), /Documents : pas encore générés/);
  await shot("7-soumettre-version-1");

  // The payroll run (normally the payroll-day timer) generates the documents; the pane lists them for download.
  const run = await api("POST", `companies/${company.id}/periods/${P}/run`);
  assert.equal(run.status, 202, JSON.stringify(run.json));
  await stack.host.drainQueues();
  await page.getByRole("button", { name: "Actualiser l'état" }).click();
  await state.getByText(/Documents : \d+ généré/).waitFor();
  assert.match(await state.innerText(), /documents générés/);
  assert.match(await state.innerText(), /Courriels : 0 envoyé\(s\), 0 en échec, 6 en attente|Courriels : \d+ envoyé/);
  const doc = page.getByTestId("document").filter({ hasText: "D001.pdf" });
  const [download] = await Promise.all([page.waitForEvent("download"), doc.click()]);
  assert.equal(download.suggestedFilename(), "D001.pdf");
  const saved = join(tmpdir(), `pane-dl-${process.pid}.pdf`);
  await download.saveAs(saved);
  assert.equal(readFileSync(saved).subarray(0, 5).toString(), "%PDF-");
  await shot("8-documents");

  // Someone else resubmits the month (version 2) from another workbook: the pane's submission, computed against
  // version 1, is refused with the server's French message instead of silently replacing it.
  const inputs = (await page.evaluate(
    () => (window as unknown as { __paie: { calc(): { build: { inputs: unknown[] } } } }).__paie.calc().build.inputs,
  )) as PayslipInput[];
  inputs[0]!.variables = { ...inputs[0]!.variables, overtime125: 3 };
  const other = await api("POST", `companies/${company.id}/periods/${P}`, { period: P, inputs, results: demoSummaries(inputs), replacesVersion: 1 });
  assert.equal(other.status, 201, JSON.stringify(other.json));
  await page.getByRole("button", { name: "Soumettre la période" }).click();
  await status().filter({ hasText: "rechargez" }).waitFor();
  assert.match(await status().innerText(), /La période 2025-08 a été soumise à nouveau \(version 2\) depuis votre calcul \(version 1\)/);
  await shot("9-soumettre-version-perimee");
  assert.equal(((await api("GET", `companies/${company.id}/periods/${P}`)).json.period as { version: number }).version, 2, "nothing replaced");

  // Recalculating reads version 2: the pane's figures then replace it knowingly (version 3).
  await page.getByRole("tab", { name: "Calculer" }).click();
  await page.getByRole("button", { name: "Calculer les bulletins" }).click();
  await status()
    .filter({ hasText: /bulletin\(s\) calculé\(s\)/ })
    .waitFor();
  await page.getByRole("tab", { name: "Soumettre" }).click();
  await page.getByRole("button", { name: "Soumettre la période" }).click();
  await status().filter({ hasText: "soumise :" }).waitFor();
  assert.match(await status().innerText(), /version 3, 6 bulletin\(s\)/);
});
