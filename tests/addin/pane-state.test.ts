/**
 * The task pane's reducer without a browser: each action's effect on the state and the French message the user
 * reads after it (the browser walk in pane.test.ts covers the same path end to end against the real stack).
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import type { PeriodState, ServerCompany, SubmitOutcome } from "../../addin/api/client.ts";
import type { CalculateOutcome } from "../../addin/excel/operations.ts";
import {
  differenceLines,
  initialState,
  issuesBySheet,
  keyed,
  type PaneAction,
  type PaneState,
  paneReducer,
  submitBlocker,
} from "../../addin/taskpane/state.ts";
import type { SheetIssue } from "../../addin/workbook/table.ts";

const P = "2025-08";
const company = (id: string) => ({ id, name: `Société ${id}` }) as ServerCompany;
const issue = (sheet: string, address: string, severity: SheetIssue["severity"], message = "Valeur refusée"): SheetIssue => ({
  sheet,
  row: 3,
  column: "Salaire mensuel",
  address,
  code: "invalid",
  message,
  severity,
});
const outcome = (written: boolean, ids: string[], issues: SheetIssue[] = []) =>
  ({
    build: { issues, inputs: ids.map((id) => ({ employee: { id } })) },
    results: written ? ids.map((id) => ({ result: { employeeId: id } })) : [],
    refused: [],
    totals: { employees: ids.length, gross: 0, employeeTotal: 0, employerTotal: 0, netPaid: 0, employerCost: 0 },
    written,
  }) as unknown as CalculateOutcome;
const remote = (version: number) =>
  ({ period: { status: "submitted", version, counts: {} }, payslips: [], documents: [], mails: { counts: {}, mails: [] } }) as PeriodState;

function deepFreeze<T>(o: T): T {
  if (o && typeof o === "object" && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}
/** Applies the actions in order to a frozen state, so a reducer that mutates its input fails here. */
const reduce = (state: PaneState, ...actions: PaneAction[]) => actions.reduce((s, a) => paneReducer(deepFreeze(s), a), state);
const signedIn = () => reduce(initialState(P), { type: "connected", user: "mode local", companies: [company("A"), company("B")], company: company("A") });

test("a run shows the spinner, clears the last message, and leaves an error when it fails", () => {
  const start = initialState(P);
  assert.equal(start.step, "prepare");
  assert.equal(start.period, P);
  assert.equal(start.session.state, "off");
  const busy = reduce(start, { type: "failed", text: "ancien" }, { type: "started" });
  assert.equal(busy.busy, true);
  assert.equal(busy.message, null);
  const failed = reduce(busy, { type: "failed", text: "Erreur Excel : boom" }, { type: "finished" });
  assert.equal(failed.busy, false);
  assert.deepEqual(failed.message, { intent: "error", text: "Erreur Excel : boom" });
});

test("the session: connecting, signed in, another company resets what was read from the server", () => {
  assert.deepEqual(reduce(initialState(P), { type: "connecting" }).session, { state: "connecting" });
  assert.deepEqual(reduce(initialState(P), { type: "disconnected", error: "Aucune société" }).session, { state: "off", error: "Aucune société" });
  assert.deepEqual(reduce(initialState(P), { type: "disconnected" }).session, { state: "off" });
  const on = reduce(signedIn(), { type: "calculated", outcome: outcome(true, ["D001"]), period: P, seen: remote(2) });
  assert.equal(on.basedOn, 2);
  assert.equal(on.remote?.period.version, 2);
  const other = reduce(on, { type: "companyChosen", company: company("B") });
  assert.equal(other.session.state === "on" && other.session.company.id, "B");
  assert.equal(other.remote, null);
  assert.equal(other.basedOn, undefined);
  assert.equal(other.calc, on.calc, "the workbook's calculation stays");
  const off = initialState(P);
  assert.equal(reduce(off, { type: "companyChosen", company: company("B") }), off, "no company to change when signed out");
});

test("prepare: what was created, repaired and carried over, in one message", () => {
  const s = reduce(initialState(P), {
    type: "prepared",
    outcome: { created: [`Variables ${P}`, `Lignes ${P}`], repaired: ["Salariés"], prefilledFrom: "Variables 2025-07", rows: 6 },
    carrySource: "Pas de période 2025-07 sur le serveur.",
  });
  assert.deepEqual(s.message, {
    intent: "success",
    text: `Créé : Variables ${P}, Lignes ${P}. Réparé : Salariés. 6 ligne(s) reprise(s) de « Variables 2025-07 ». Pas de période 2025-07 sur le serveur.`,
  });
  const none = reduce(initialState(P), { type: "prepared", outcome: { created: [], repaired: [], rows: 0 }, carrySource: "" });
  assert.equal(none.message?.text, "Les feuilles du mois sont déjà prêtes.");
});

test("validate: errors are counted, warnings and cases to confirm do not block", () => {
  const issues = [
    issue("Salariés", "T3", "error"),
    issue("Salariés", "T4", "error"),
    issue(`Variables ${P}`, "E2", "warning"),
    issue("Salariés", "B9", "confirm"),
  ];
  const bad = reduce(initialState(P), { type: "validated", issues, employees: 6 });
  assert.deepEqual(bad.message, { intent: "error", text: "2 erreur(s) à corriger. Cliquez sur une ligne pour aller à la cellule." });
  assert.equal(bad.issues, issues);
  const good = reduce(bad, { type: "validated", issues: issues.slice(2), employees: 6 });
  assert.deepEqual(good.message, { intent: "success", text: "Aucune erreur : 6 salarié(s) prêt(s) pour le calcul." });
});

test("calculate: written goes to the preview on the first payslip; refused stays and says why", () => {
  const withPdf = reduce(initialState(P), { type: "step", step: "calculate" }, { type: "pdf", pdf: { url: "blob:x", name: "b.pdf", bytes: 10 } });
  const done = reduce(withPdf, { type: "calculated", outcome: outcome(true, ["D001", "D002"]), period: P });
  assert.equal(done.step, "preview");
  assert.equal(done.employee, "D001");
  assert.equal(done.calcPeriod, P);
  assert.equal(done.pdf, null, "the old payslip's PDF is not shown for the new calculation");
  assert.equal(done.basedOn, undefined, "calculated signed out: the version is read at submission");
  assert.deepEqual(done.message, { intent: "success", text: `2 bulletin(s) calculé(s) et écrits dans « Bulletins ${P} ».` });

  const nothingStored = reduce(signedIn(), { type: "calculated", outcome: outcome(true, ["D001"]), period: P, seen: null });
  assert.equal(nothingStored.basedOn, 0);
  assert.equal(nothingStored.remote, null);

  const errors = [issue("Salariés", "T3", "error")];
  const refused = reduce(withPdf, { type: "calculated", outcome: outcome(false, ["D001"], errors), period: P });
  assert.equal(refused.step, "calculate");
  assert.equal(refused.issues, errors);
  assert.equal(refused.employee, "");
  assert.deepEqual(refused.message, { intent: "error", text: "Calcul impossible : corrigez d'abord les erreurs listées." });
});

test("submit: blocked until signed in and calculated for this period; the stored version becomes the base", () => {
  assert.equal(submitBlocker(initialState(P)), "Connectez-vous d'abord au serveur de paie.");
  assert.equal(submitBlocker(signedIn()), `Calculez d'abord les bulletins de ${P}.`);
  const calculated = reduce(signedIn(), { type: "calculated", outcome: outcome(true, ["D001"]), period: P, seen: null });
  assert.equal(submitBlocker(calculated), null);
  assert.equal(submitBlocker(reduce(calculated, { type: "period", period: "2025-09" })), "Calculez d'abord les bulletins de 2025-09.");
  assert.equal(
    submitBlocker(reduce(signedIn(), { type: "calculated", outcome: outcome(false, ["D001"]), period: P })),
    `Calculez d'abord les bulletins de ${P}.`,
  );

  const out: SubmitOutcome = { companyId: "A", period: P, version: 3, status: "submitted", written: true, employees: 6 };
  const stored = reduce(calculated, { type: "submitted", outcome: out, period: P });
  assert.equal(stored.basedOn, 3);
  assert.deepEqual(stored.message, { intent: "success", text: `Période ${P} soumise : version 3, 6 bulletin(s).` });
  const same = reduce(calculated, { type: "submitted", outcome: { ...out, written: false }, period: P });
  assert.equal(same.message?.text, `Période ${P} déjà soumise à l'identique (version 3) : rien n'a changé.`);
});

test("a refusal lists at most ten differing figures in euros, cleared by the next submission", () => {
  const differences = [
    { employeeId: "D002", field: "netPaid", client: 412345, server: 412245 },
    { employeeId: "D003", field: "gross", server: 100 },
    ...Array.from({ length: 12 }, (_, i) => ({ employeeId: `E${i}`, field: "netPaid", client: i, server: i + 1 })),
  ];
  const s = reduce(signedIn(), { type: "refused", differences });
  assert.equal(s.details.length, 10);
  assert.equal(s.details[0], "D002 — netPaid : classeur 4\u00a0123,45\u00a0€, serveur 4\u00a0122,45\u00a0€");
  assert.equal(s.details[1], "D003 — gross : classeur absent, serveur 1,00\u00a0€");
  assert.deepEqual(differenceLines([]), []);
  assert.deepEqual(reduce(s, { type: "submitting" }).details, []);
});

test("lists: issues grouped by sheet in order of appearance; keys from content, repeats numbered", () => {
  const issues = [issue("Salariés", "T3", "error"), issue("Variables", "E2", "warning"), issue("Salariés", "T4", "error")];
  assert.deepEqual(
    issuesBySheet(issues).map(([sheet, list]) => [sheet, list.map((i) => i.address)]),
    [
      ["Salariés", ["T3", "T4"]],
      ["Variables", ["E2"]],
    ],
  );
  assert.deepEqual(issuesBySheet(null), []);
  assert.deepEqual(
    keyed(["110", "200", "110", "110"], (c) => c).map((k) => k.key),
    ["110", "200", "110#2", "110#3"],
  );
});
