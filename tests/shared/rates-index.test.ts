/** The generated list of parameter files (shared/rates/baseline.generated.ts) matches the folder it lists. */

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { GENERATED, RATES_DIR, renderIndex } from "../../bin/rates-index.ts";
import { PARAMETERS } from "../../shared/rates/parameters.ts";

test("baseline.generated.ts lists every file of shared/rates/data (else: npm run rates:index)", () => {
  assert.equal(readFileSync(GENERATED, "utf8"), renderIndex(), "shared/rates/baseline.generated.ts est périmé : lancez npm run rates:index");
});

test("every file of the folder is loaded as one parameter, under the id it declares", () => {
  const files = readdirSync(path.join(RATES_DIR, "data")).filter((f) => f.endsWith(".json"));
  assert.equal(PARAMETERS.size, files.length);
  for (const f of files) {
    const { id } = JSON.parse(readFileSync(path.join(RATES_DIR, "data", f), "utf8")) as { id: string };
    assert.ok(PARAMETERS.has(id), `${f} : ${id} chargé`);
    // The file name is the id with its first dot as a dash: one place to look for a parameter.
    assert.equal(f, `${id.replace(".", "-")}.json`);
  }
});
