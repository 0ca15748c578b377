/** The administration view's French typing rules and the server's refusals laid on their fields. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { fieldErrors, parseParameterValue } from "../../addin/taskpane/admin-values.ts";

test("values typed the French way are read as the stored number", () => {
  assert.deepEqual(parseParameterValue("9 900", "eur"), { ok: true, value: 9900 });
  assert.deepEqual(parseParameterValue("9\u202f900,50 €", "eur"), { ok: true, value: 9900.5 });
  assert.deepEqual(parseParameterValue("8,55 %", "percent"), { ok: true, value: 8.55 });
  assert.deepEqual(parseParameterValue("12,02 €/h", "eur_per_hour"), { ok: true, value: 12.02 });
  assert.deepEqual(parseParameterValue("-1", "percent"), { ok: true, value: -1 }, "the sign is the server's to refuse, with its message");
  assert.deepEqual(parseParameterValue("rcu", "code"), { ok: true, value: "rcu" });
});

test("what is not a French number is refused naming the field, with an example", () => {
  assert.deepEqual(parseParameterValue("", "eur"), { ok: false, error: "Valeur : saisissez la nouvelle valeur." });
  assert.deepEqual(parseParameterValue("9.900", "eur"), { ok: false, error: "Valeur : « 9.900 » n'est pas un nombre écrit en français (par exemple 9 900)." });
  const pct = parseParameterValue("8,55 €", "percent");
  assert.equal(pct.ok, false);
  assert.match(pct.ok ? "" : pct.error, /par exemple 8,55 %/);
});

test("the server's issues go on their fields; the first message per field wins", () => {
  assert.deepEqual(
    fieldErrors([
      { path: "value", message: "value : le plafond CCSS ne peut pas être négatif" },
      { path: "value", message: "second" },
      { path: "/reference/href", message: "lien invalide" },
      { path: "validFrom", message: "validFrom : tombe dans une période déjà générée" },
      { path: "confirm", message: "autre" },
    ]),
    {
      value: "value : le plafond CCSS ne peut pas être négatif",
      reference: "lien invalide",
      validFrom: "validFrom : tombe dans une période déjà générée",
      form: "autre",
    },
  );
});
