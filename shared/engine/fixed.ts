/**
 * Exact fixed-point arithmetic on integers. Money is in cents, quantities in hundredths,
 * rates and unit prices in 1e-4 units. Every product used by the engine stays below 2^53
 * (inputs are bounded by the schema), so plain integer Numbers are exact.
 */

/** n / d rounded half away from zero (the "ROUND_HALF_UP" of the reference payslips), d > 0. */
export function divRound(n: number, d: number): number {
  if (n < 0) {
    const q = divRound(-n, d);
    return q === 0 ? 0 : -q; // never -0: it would print as "-0,00"
  }
  const q = Math.floor(n / d);
  const r = n - q * d;
  return r * 2 >= d ? q + 1 : q;
}

/** Euros as typed (≤ 2 decimals, validated by the schema) → cents. */
export function toCents(euros: number): number {
  return Math.round(euros * 100);
}

/** Hours/days (≤ 2 decimals) → hundredths. */
export function toHundredths(value: number): number {
  return Math.round(value * 100);
}

/** Percent or unit price (≤ 4 decimals) → 1e-4 units. */
export function toRate4(value: number): number {
  return Math.round(value * 10_000);
}

/** Cents → euros number for JSON boundaries (exact round-trip through toCents). */
export function centsToEuros(cents: number): number {
  return cents / 100;
}

/** base (cents) × rate (percent in 1e-4 units) → cents, rounded per line. */
export function applyPercent(baseCents: number, ratePct4: number): number {
  return divRound(baseCents * ratePct4, 1_000_000);
}

/** quantity (hundredths) × unit price (1e-4 €) → cents. */
export function applyUnitPrice(quantityHundredths: number, price4: number): number {
  return divRound(quantityHundredths * price4, 10_000);
}

/** amount (cents) ÷ hours (hundredths) → unit price in 1e-4 € (4-decimal hourly rate). */
export function unitPrice(amountCents: number, quantityHundredths: number): number {
  return divRound(amountCents * 10_000, quantityHundredths);
}

/** A cents amount scaled by num/den, rounded half-up (prorata). */
export function prorate(cents: number, num: number, den: number): number {
  return divRound(cents * num, den);
}

export function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
