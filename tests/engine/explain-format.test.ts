/**
 * The engine's explanation formatting (amounts, rates, quantities), shared with the documents: French decimal comma,
 * plain-space thousands, every decimal of the unit kept. The formatter uses digit tables for speed; these cases pin
 * its output against a straightforward reference formatting.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { eur, pct, qty, rate4 } from "../../shared/core/explain.ts";
import { byCode, sortSmall } from "../../shared/rules/lines.ts";

/** Reference: the same text built the slow, obvious way with BigInt. */
function reference(value: number, scale: number, places: number): string {
  const negative = value < 0;
  const abs = BigInt(negative ? -value : value);
  const s = BigInt(scale);
  const int = (abs / s).toString().replace(/\B(?=(\d{3})+(?!\d))/g, " ");
  const frac = (abs % s)
    .toString()
    .padStart(String(scale).length - 1, "0")
    .slice(0, places);
  return `${negative ? "-" : ""}${int}${places ? `,${frac}` : ""}`;
}

test("amounts, quantities and rates print as on a French payslip", () => {
  assert.equal(eur(0), "0,00 €");
  assert.equal(eur(5), "0,05 €");
  assert.equal(eur(-5), "-0,05 €");
  assert.equal(eur(123456), "1 234,56 €");
  assert.equal(eur(-1000000000), "-10 000 000,00 €");
  assert.equal(eur(100000), "1 000,00 €");
  assert.equal(qty(16900), "169,00");
  assert.equal(rate4(252713), "25,2713");
  assert.equal(rate4(500), "0,0500");
  assert.equal(pct(68500), "6,85 %");
  assert.equal(pct(240), "0,024 %");
  assert.equal(pct(1300000), "130,00 %");
  assert.equal(pct(134500), "13,45 %");
});

test("the table-driven formatting equals the reference on every magnitude and sign", () => {
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  for (let i = 0; i < 20_000; i++) {
    const digits = next() % 14;
    const v = (next() % 10 ** Math.min(digits, 9)) * 10 ** Math.max(0, digits - 9) * (next() % 3 === 0 ? -1 : 1);
    assert.equal(eur(v), `${reference(v, 100, 2)} €`, `eur(${v})`);
    assert.equal(qty(v), reference(v, 100, 2), `qty(${v})`);
    assert.equal(rate4(v), reference(v, 10_000, 4), `rate4(${v})`);
    assert.equal(pct(v), `${reference(v, 10_000, 4).replace(/0{1,2}$/, "")} %`, `pct(${v})`);
  }
});

test("a value that is not an integer of the unit is a defect: refused loudly, never printed as garbage", () => {
  assert.throws(() => eur(12.5), RangeError);
  assert.throws(() => qty(Number.NaN), RangeError);
  assert.throws(() => pct(Number.POSITIVE_INFINITY), RangeError);
});

test("the small sort keeps equal codes in their order and sorts like Array.prototype.sort", () => {
  const lines = ["2021", "1001", "3001", "1001", "0999", "2021"].map((code, i) => ({ code, i }));
  const expected = [...lines].sort(byCode);
  assert.deepEqual(sortSmall([...lines], byCode), expected);
  assert.deepEqual(sortSmall([], byCode), []);
});
