/** The administration view without a browser: the parameter table's words, the form's body, refusals on their fields. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { adminReducer, emptyForm, formBody, formErrors, initialAdminState, onField } from "../../addin/taskpane/admin/admin-state.ts";
import { historyLines } from "../../addin/taskpane/admin/history-lines.ts";
import { monthAfter, parameterRows } from "../../addin/taskpane/admin/parameter-rows.ts";
import { initialState, paneReducer } from "../../addin/taskpane/state.ts";
import { baselineParameterSet, buildParameterSet } from "../../shared/rates/parameter-set.ts";

const nb = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

test("the table lists every parameter with its value in force, its status and its reference's title, never its note", () => {
  const set = baselineParameterSet();
  const rows = parameterRows(set, "2026-12-03");
  assert.equal(rows.length, set.files.size);
  const ceiling = rows.find((r) => r.id === "ccss.ceiling")!;
  const file = set.files.get("ccss.ceiling")!;
  const last = file.values.at(-1)!;
  assert.equal(ceiling.label, file.description);
  assert.equal(ceiling.validFrom, last.from.split("-").reverse().join("/"));
  assert.equal(ceiling.stale, true, "December 2026 is past the ceiling's knownUntil");
  assert.ok("reference" in last);
  assert.ok(ceiling.reference.startsWith(last.reference.title), ceiling.reference);
  for (const r of rows) for (const v of set.files.get(r.id)!.values) if (v.note) assert.ok(!r.reference.includes(v.note), `${r.id}: note shown`);

  const entered = buildParameterSet([
    {
      parameter: "ccss.ceiling",
      validFrom: "2026-10-01",
      value: 9900,
      status: "official",
      reference: { title: "Circulaire CSM octobre 2026", document: "n° 2026-10" },
      note: "note interne",
    },
  ]);
  const now = parameterRows(entered, "2026-12-03").find((r) => r.id === "ccss.ceiling")!;
  assert.deepEqual(
    [nb(now.value), now.validFrom, now.status, now.reference, now.stale],
    ["9 900 €", "01/10/2026", "officielle", "Circulaire CSM octobre 2026 (n° 2026-10)", false],
  );
});

test("the form becomes the API's body: a French value, the month's first day, empty optional fields left out", () => {
  const out = formBody({ ...emptyForm(), month: "2026-10", value: "9 900", title: "Circulaire CSM", document: "n° 2026-10", note: "" }, "eur");
  assert.deepEqual(out, {
    ok: true,
    body: {
      parameter: "ccss.ceiling",
      validFrom: "2026-10-01",
      value: 9900,
      status: "official",
      reference: { title: "Circulaire CSM", document: "n° 2026-10" },
    },
  });
  const confirmed = formBody({ ...emptyForm(), month: "2026-10", value: "99 000", title: "t", confirm: true }, "eur");
  assert.equal(confirmed.ok && confirmed.body.confirm, true);
  assert.deepEqual(formBody({ ...emptyForm(), month: "10/2026", value: "9.900" }, "eur"), {
    ok: false,
    errors: {
      month: "Valable à partir de : saisissez le mois AAAA-MM, par exemple 2026-10.",
      value: "Valeur : « 9.900 » n'est pas un nombre écrit en français (par exemple 9 900).",
    },
  });
});

test("the server's refusals land on their fields in French; a tenfold jump asks for the confirmation checkbox", () => {
  const implausible = {
    code: "PARAM_IMPLAUSIBLE",
    path: "value",
    message:
      "value : 99 000 € pour le plafond CCSS est plus du double de la valeur précédente (9 600 € depuis le 01/10/2025) ; vérifiez la saisie, ou envoyez « confirm: true » si elle est exacte",
  };
  assert.match(onField(implausible.message), /^99 000 € pour le plafond CCSS .* ou cochez « Je confirme cette valeur » si elle est exacte$/);
  assert.deepEqual(
    formErrors([
      { path: "validFrom", message: "validFrom : le 01/08/2025 tombe dans une période déjà générée" },
      { path: "/reference/title", message: "ne doit pas être vide" },
      { path: "reference", message: "reference : indiquez le lien (href) ou le document (document) où lire la valeur" },
      { path: "/note", message: "texte trop long" },
    ]),
    {
      month: "le 01/08/2025 tombe dans une période déjà générée",
      title: "ne doit pas être vide",
      href: "indiquez le lien (href) ou le document (document) où lire la valeur",
      note: "texte trop long",
    },
  );

  let s = adminReducer(initialAdminState(), { type: "started" });
  s = adminReducer(s, { type: "refused", message: "Valeur refusée — …", issues: [implausible] });
  assert.equal(s.confirmAsked, true);
  assert.match(s.errors.value ?? "", /cochez « Je confirme cette valeur »/);
  s = adminReducer(s, { type: "confirm", checked: true });
  assert.equal(s.form.confirm, true);
  s = adminReducer(s, { type: "edit", field: "value", value: "9 900" });
  assert.deepEqual([s.form.confirm, s.confirmAsked], [false, false], "another value: the confirmation is asked again");
  const other = adminReducer(initialAdminState(), { type: "refused", message: "Valeur de paramètre invalide", issues: [] });
  assert.deepEqual(other.errors, { form: "Valeur de paramètre invalide" });
});

test("« confirmer inchangé » proposes the same value from the month after it was known, the reference left to the admin", () => {
  assert.deepEqual([monthAfter("2026-09-30"), monthAfter("2025-12-31")], ["2026-10", "2026-01"]);
  const row = parameterRows(baselineParameterSet(), "2026-12-03").find((r) => r.id === "car.employee_rate")!;
  const s = adminReducer(initialAdminState(), { type: "confirmUnchanged", row });
  assert.equal(s.form.parameter, "car.employee_rate");
  assert.equal(s.form.month, monthAfter(row.knownUntil));
  assert.equal(s.form.value, String(row.raw).replace(".", ","));
  assert.equal(s.form.title, "");
  const saved = adminReducer(s, { type: "saved", outcome: { changed: true, version: "bbbbbbbbbbbb", previousVersion: "aaaaaaaaaaaa" } });
  assert.match(saved.message?.text ?? "", /nouvelle version des paramètres bbbbbbbbbbbb/);
  assert.equal(saved.form.month, "");
});

test("the history prints who, when, the parameter, before → after and the reference's title", () => {
  const lines = historyLines(
    [
      {
        at: "2026-12-03T14:05:09.000Z",
        actor: "dev-1234",
        action: "parameter.add",
        target: "ccss.ceiling@2026-10-01",
        before: { version: "a", inForce: { value: 9600, from: "2025-10-01", source: "x" } },
        after: { version: "b", parameter: "ccss.ceiling", value: 9900, reference: { title: "Circulaire CSM", document: "n° 2026-10" }, note: "interne" },
      },
      {
        at: "2026-12-03T15:00:00.000Z",
        actor: "dev-1234",
        action: "parameter.correct",
        target: "ccss.ceiling@2026-10-01",
        before: { value: 9900 },
        after: { value: 99000, confirm: true },
      },
    ],
    baselineParameterSet().files,
  );
  const label = baselineParameterSet().files.get("ccss.ceiling")!.description;
  assert.deepEqual(
    lines.map((l) => [l.when, l.who, l.what, nb(l.change), l.reference]),
    [
      ["03/12/2026 14:05", "dev-1234", `Ajout — ${label} au 01/10/2026`, "9 600 € → 9 900 €", "Circulaire CSM (n° 2026-10)"],
      ["03/12/2026 15:00", "dev-1234", `Correction — ${label} au 01/10/2026`, "9 900 € → 99 000 € (confirmé)", "—"],
    ],
  );
});

test("the pane shows « Administration » only when the server says admin; losing it leaves the view", () => {
  let s = paneReducer(initialState("2026-10"), { type: "roles", admin: true });
  s = paneReducer(s, { type: "step", step: "admin" });
  assert.deepEqual([s.admin, s.step], [true, "admin"]);
  const operator = paneReducer(s, { type: "roles", admin: false });
  assert.deepEqual([operator.admin, operator.step], [false, "prepare"]);
  const off = paneReducer(s, { type: "disconnected" });
  assert.deepEqual([off.admin, off.step], [false, "prepare"]);
});
