import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  formatCents,
  formatCentsPlain,
  formatCentsXml,
  formatDate,
  formatDays4,
  formatEuros,
  formatHundredths,
  formatHundredthsXml,
  formatLongDate,
  formatPeriod,
  formatRate4,
  formatScaled,
} from "../../shared/core/format.ts";
import { periodEnd } from "../../shared/core/period.ts";

test("French number formats", () => {
  assert.equal(formatCents(123456), "1 234,56");
  assert.equal(formatCents(32311728), "323 117,28");
  assert.equal(formatCents(5), "0,05");
  assert.equal(formatCents(-392500), "-3 925,00");
  assert.equal(formatCents(0), "0,00");
  assert.equal(formatEuros(343949), "3 439,49 €");
  assert.equal(formatCentsPlain(17709366), "177093,66");
  assert.equal(formatCentsXml(600000), "6000");
  assert.equal(formatCentsXml(51289), "512.89");
  assert.equal(formatCentsXml(-5), "-0.05");
  assert.equal(formatHundredths(16900), "169,00");
  assert.equal(formatHundredthsXml(16900), "169");
  assert.equal(formatHundredthsXml(3120), "31.2");
  assert.equal(formatHundredthsXml(355), "3.55");
  assert.equal(formatRate4(68500), "6,85");
  assert.equal(formatRate4(40000), "4,00");
  assert.equal(formatRate4(202170, 4), "20,2170");
  assert.equal(formatRate4(252713, 4), "25,2713");
  assert.equal(formatRate4(1345), "0,1345");
  assert.equal(formatDays4(20833), "2,08");
  assert.equal(formatDays4(135000), "13,50");
  assert.equal(formatDays4(20850), "2,09", "half-up on the dropped digits");
  assert.equal(formatScaled(-20850, 4, 2), "-2,09", "half away from zero");
  assert.throws(() => formatCents(0.5), RangeError);
});

test("dates and periods", () => {
  assert.equal(formatDate("2025-08-01"), "01/08/2025");
  assert.equal(formatLongDate("2024-12-31"), "31 décembre 2024");
  assert.equal(formatPeriod("2025-08"), "août 2025");
  assert.equal(periodEnd("2024-02"), "2024-02-29");
  assert.equal(periodEnd("2025-02"), "2025-02-28");
  assert.equal(periodEnd("2025-12"), "2025-12-31");
  assert.throws(() => formatDate("31/12/2024"), RangeError);
  assert.throws(() => formatPeriod("2025-13"), RangeError);
});

test("property: formatted cents read back to the same integer", () => {
  fc.assert(
    fc.property(fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }), (c) => {
      const text = formatCents(c);
      assert.match(text, /^-?\d{1,3}( \d{3})*,\d{2}$/);
      const back = Number(text.replace(/ /g, "").replace(",", ""));
      assert.equal(back, c);
      assert.equal(Number(formatCentsPlain(c).replace(",", "")), c);
      assert.equal(Math.round(Number(formatCentsXml(c)) * 100), c);
    }),
  );
});
