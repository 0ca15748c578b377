/**
 * PDF streams are compressed through a cache (a run prints hundreds of payslips with the same font subsets). Its slot
 * key samples the bytes, so two different streams can share a slot: the bytes must then decide, never the key.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { unzlibSync } from "fflate";
import { deflateCached } from "../../shared/documents/pdf-speed.ts";

function stream(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let s = seed;
  for (let i = 0; i < length; i++) out[i] = (s = (s * 1103515245 + 12345) >>> 0) >>> 24;
  return out;
}

test("two streams that differ in a byte the key does not sample each compress to themselves", () => {
  const a = stream(40_000, 7);
  const b = a.slice();
  b[20_001] = b[20_001]! ^ 0xff; // between two sampled positions, far from the end
  const outA = deflateCached(a);
  const outB = deflateCached(b);
  assert.deepEqual(unzlibSync(outA), a);
  assert.deepEqual(unzlibSync(outB), b);
  // And back again: the slot now holds b, a must still come out as a.
  assert.deepEqual(unzlibSync(deflateCached(a.slice())), a);
});

test("the same bytes in a new array are compressed once and give the same output", () => {
  const a = stream(30_000, 11);
  const first = deflateCached(a);
  const again = deflateCached(a.slice());
  assert.equal(again, first);
  assert.deepEqual(unzlibSync(again), a);
});
