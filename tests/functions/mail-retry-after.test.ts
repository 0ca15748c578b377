/** Retry-After (RFC 9110 §10.2.3) as Graph and the proxies in front of it really send it. */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MIN_RETRY_DELAY_MS, parseHttpDate, parseRetryAfter, retryAfterDelay } from "../../functions/mail/retry-after.ts";

const NOW = Date.parse("2025-09-01T08:00:00Z");

describe("parseRetryAfter", () => {
  it("reads integer delta-seconds", () => {
    assert.equal(parseRetryAfter("7", NOW), 7000);
    assert.equal(parseRetryAfter(" 120 ", NOW), 120_000);
    assert.equal(parseRetryAfter("0", NOW), 0);
  });

  it("reads decimal seconds rounded UP to the whole second, never as a date", () => {
    // Date.parse("2.5") is 5 February 2001: read as a date, this was a past instant and an immediate retry.
    assert.equal(parseRetryAfter("2.5", NOW), 3000);
    assert.equal(parseRetryAfter("0.5", NOW), 1000);
    assert.equal(parseRetryAfter("1.0", NOW), 1000);
    assert.equal(parseRetryAfter(".25", NOW), 1000);
    assert.equal(parseRetryAfter("59.001", NOW), 60_000);
  });

  it("reads the three HTTP-date forms of RFC 9110 §5.6.7", () => {
    assert.equal(parseRetryAfter("Mon, 01 Sep 2025 08:00:05 GMT", NOW), 5000);
    assert.equal(parseRetryAfter("Monday, 01-Sep-25 08:01:00 GMT", NOW), 60_000);
    assert.equal(parseRetryAfter("Mon Sep  1 08:00:30 2025", NOW), 30_000);
    assert.equal(parseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"), Date.UTC(1994, 10, 6, 8, 49, 37));
    assert.equal(parseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT", NOW), Date.UTC(1994, 10, 6, 8, 49, 37));
    assert.equal(parseHttpDate("Sun Nov  6 08:49:37 1994"), Date.UTC(1994, 10, 6, 8, 49, 37));
  });

  it("a date already past asks for no wait (the caller still waits its minimum)", () => {
    assert.equal(parseRetryAfter("Mon, 01 Sep 2025 07:59:00 GMT", NOW), 0);
  });

  it("anything else is malformed (undefined), including what Date.parse would accept", () => {
    for (const v of [
      "",
      "   ",
      "soon",
      "-1",
      "+5",
      "1e3",
      "2.5.1",
      "2,5",
      "5s",
      "Infinity",
      "NaN",
      "0x10",
      "2025-09-01T08:00:05Z",
      "Mon, 31 Feb 2025 08:00:05 GMT",
      "Mon, 01 Sep 2025 25:00:05 GMT",
      "01 Sep 2025 08:00:05 GMT",
      "Mon, 01 Sep 2025 08:00:05 UTC",
      "Tuesday",
      "12/25/2025",
    ]) {
      assert.equal(parseRetryAfter(v, NOW), undefined, JSON.stringify(v));
    }
    assert.equal(parseRetryAfter(null, NOW), undefined);
    assert.equal(parseRetryAfter(undefined, NOW), undefined);
  });

  it("an absurd hint is capped at a day", () => {
    assert.equal(parseRetryAfter("99999999999999999999", NOW), 24 * 3600_000);
    assert.equal(parseRetryAfter("Mon, 01 Sep 99999 08:00:00 GMT", NOW), undefined);
    assert.equal(parseRetryAfter("Sat, 01 Sep 2125 08:00:00 GMT", NOW), 24 * 3600_000);
  });
});

describe("retryAfterDelay", () => {
  it("never asks for an immediate retry", () => {
    assert.equal(retryAfterDelay("0", NOW), MIN_RETRY_DELAY_MS);
    assert.equal(retryAfterDelay("0.5", NOW), 1000);
    assert.equal(retryAfterDelay("Mon, 01 Sep 2025 07:00:00 GMT", NOW), MIN_RETRY_DELAY_MS);
    assert.equal(retryAfterDelay("2.5", NOW), 3000);
  });

  it("malformed stays undefined so the caller applies its own back-off", () => {
    assert.equal(retryAfterDelay("bientôt", NOW), undefined);
    assert.equal(retryAfterDelay(null, NOW), undefined);
  });
});
