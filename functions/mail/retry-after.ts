/**
 * The `Retry-After` response header (RFC 9110 §10.2.3): delta-seconds or an HTTP-date.
 *
 * Strict on purpose. `Date.parse` accepts almost anything ("2.5" is 5 February 2001), which turned a decimal
 * delay from Graph into a date in the past and a throttled mailbox into an immediate retry. RFC 9110 makes
 * delta-seconds an integer, but Graph and the proxies in front of it have been seen sending "2.5" or "0.5":
 * a decimal is read as seconds and rounded UP, so we never come back earlier than asked.
 */

/** Never retry sooner than this after a 429/503, even on "Retry-After: 0" or a date already past. */
export const MIN_RETRY_DELAY_MS = 1000;
/** A longer hint is read as this: a payslip deferred by a year because of a stray header helps nobody. */
export const MAX_RETRY_DELAY_HINT_MS = 24 * 3600_000;

const DAY = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)";
const DAY_LONG = "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";
const MONTH = "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)";
const TIME = "(\\d{2}):(\\d{2}):(\\d{2})";
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/** IMF-fixdate, the preferred form: "Sun, 06 Nov 1994 08:49:37 GMT". */
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
/** Obsolete RFC 850 form: "Sunday, 06-Nov-94 08:49:37 GMT". */
const RFC850_DATE = new RegExp(`^${DAY_LONG}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
/** Obsolete asctime form: "Sun Nov  6 08:49:37 1994". */
const ASCTIME_DATE = new RegExp(`^${DAY} ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`);

function utc(year: number, month: string, day: number, h: number, m: number, s: number): number | undefined {
  const mi = MONTHS.indexOf(month);
  if (mi < 0 || h > 23 || m > 59 || s > 60) return undefined;
  const at = Date.UTC(year, mi, day, h, m, Math.min(s, 59));
  // Date.UTC rolls 31 February over into March; such a date is malformed, not a day later.
  const back = new Date(at);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== mi || back.getUTCDate() !== day) return undefined;
  return at;
}

/** An HTTP-date in any of the three forms RFC 9110 §5.6.7 requires recipients to accept, as epoch ms. */
export function parseHttpDate(value: string, now = Date.now()): number | undefined {
  let m = IMF_FIXDATE.exec(value);
  if (m) return utc(Number(m[3]), m[2]!, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  m = RFC850_DATE.exec(value);
  if (m) {
    // RFC 9110: a two-digit year more than 50 years in the future is the most recent past year ending so.
    const yy = Number(m[3]);
    const thisYear = new Date(now).getUTCFullYear();
    let year = Math.floor(thisYear / 100) * 100 + yy;
    if (year > thisYear + 50) year -= 100;
    return utc(year, m[2]!, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  }
  m = ASCTIME_DATE.exec(value);
  if (m) return utc(Number(m[6]), m[1]!, Number(m[2]!.trim()), Number(m[3]), Number(m[4]), Number(m[5]));
  return undefined;
}

/**
 * What the header asks for, in ms from `now`: delta-seconds (decimals rounded up to the second) or the time
 * left until an HTTP-date (0 when it is past). undefined when absent or malformed — the caller then uses its
 * own back-off; it must never read "unparseable" as "now".
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (v === "") return undefined;
  if (/^\d+$/.test(v)) return Math.min(Number(v) * 1000, MAX_RETRY_DELAY_HINT_MS);
  if (/^\d*\.\d+$/.test(v)) return Math.min(Math.ceil(Number(v)) * 1000, MAX_RETRY_DELAY_HINT_MS);
  const at = parseHttpDate(v, now);
  if (at === undefined) return undefined;
  return Math.min(Math.max(0, at - now), MAX_RETRY_DELAY_HINT_MS);
}

/** The wait before trying again after a throttled/unavailable answer: the hint, but never less than a second. */
export function retryAfterDelay(value: string | null | undefined, now = Date.now()): number | undefined {
  const hinted = parseRetryAfter(value, now);
  return hinted === undefined ? undefined : Math.max(MIN_RETRY_DELAY_MS, hinted);
}
