/**
 * Every baseline value's reference is structure a reader can follow (issue 13 item 5): a title that names a document
 * (never an internal evidence note), a link or a document identifier for a confirmed value, the publication date of
 * a journal, and the explanations and the API cite the title of an entered value, never its note.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { isRealDate } from "../../shared/core/period.ts";
import { printedReference } from "../../shared/rates/parameter-set.ts";
import { PARAMETERS } from "../../shared/rates/parameters.ts";

/** What internal evidence looks like: a payslip's code (BS2025-08, CS2025-05, R2019), our rule book, a doubt. */
const INTERNAL = /\b(BS|CS)20\d\d-\d\d\b|\bR20\d\d\b|monaco-rules|to confirm|à confirmer/i;

/**
 * Confirmed values whose public page or text is known by title only, to be given a link or document (the CSM
 * household pages, the Monegasque laws): listed so that any new confirmed value without one fails here.
 */
const KNOWN_GAPS = new Set([
  "ac.employer_rate@2025-05-01",
  "car.ceiling@2023-10-01",
  "car.ceiling@2025-10-01",
  "car.employee_rate@2023-10-01",
  "car.employee_rate@2025-10-01",
  "car.employer_rate@2023-10-01",
  "car.employer_rate@2025-10-01",
  "ccss.ceiling@2023-10-01",
  "ccss.ceiling@2025-10-01",
  "ccss.household_rate@2023-10-01",
  "ccss.household_rate@2025-10-01",
  "cmrc.ta_ceiling@2024-10-01",
  "cmrc.ta_ceiling@2025-10-01",
  "cmrc.ta_employee_rate@2025-10-01",
  "cmrc.ta_employer_rate@2025-10-01",
  "cmrc.tb_employee_rate@2025-10-01",
  "cmrc.tb_employer_rate@2025-10-01",
  "monaco_allowance.rate@2019-01-01",
  "pension.regime@2024-01-01",
]);

test("every baseline value's reference: a document's title, a link or document when confirmed, a journal's date", () => {
  const gaps: string[] = [];
  let checked = 0;
  for (const file of PARAMETERS.values())
    for (const v of file.values) {
      const at = `${file.id}@${v.from}`;
      if (v.status === "unknown") {
        assert.ok(!("reference" in v), `${at}: a value not found cites no source`);
        continue;
      }
      checked++;
      const r = v.reference;
      assert.ok(r.title.trim().length >= 3, `${at}: title`);
      assert.ok(!INTERNAL.test(r.title), `${at}: the title « ${r.title} » is an internal note, not a source`);
      if (r.href) assert.match(r.href, /^https:\/\/[a-z0-9.-]+\.[a-z]{2,}\//, `${at}: href`);
      if (r.publishedOn) {
        assert.ok(isRealDate(r.publishedOn), `${at}: publishedOn ${r.publishedOn}`);
        assert.ok(r.publishedOn <= file.lastReview, `${at}: published after the last review`);
      }
      if (/\bJORF\b|Journal officiel|Journal de Monaco/i.test(`${r.document ?? ""} ${r.title}`))
        assert.ok(r.publishedOn, `${at}: a journal text has its publication date`);
      if ((v.status === "official" || v.status === "payslip") && !r.href && !r.document) gaps.push(at);
    }
  assert.ok(checked > 90, `${checked} values checked`);
  assert.deepEqual(
    gaps.filter((g) => !KNOWN_GAPS.has(g)),
    [],
    "a confirmed value needs a link (href) or a document",
  );
  assert.deepEqual(
    [...KNOWN_GAPS].filter((g) => !gaps.includes(g)),
    [],
    "a gap filled since: remove it from KNOWN_GAPS",
  );
});

test("an entered value is cited by its reference's title (and document), never by its note", () => {
  const printed = printedReference({ title: "Circulaire CSM au 1er octobre 2026", document: "n° 2026-10", href: "https://example.mc/c" });
  assert.equal(printed, "Circulaire CSM au 1er octobre 2026 (n° 2026-10)");
});
