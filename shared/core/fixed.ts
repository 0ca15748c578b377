/**
 * Exact fixed-point arithmetic on integers. Money is in cents, quantities in hundredths,
 * rates and unit prices in 1e-4 units. Every product used by the engine stays below 2^53
 * (inputs are bounded by the schema), so plain integer Numbers are exact.
 *
 * The units are types. They are "flavoured" brands (an optional brand property) rather than hard ones: a plain
 * integer is accepted as Cents — so arithmetic, totals and the fixtures of the tests need no cast — but a value
 * typed in another unit is refused: Hundredths, Rate4 or the Euros a person typed cannot be passed where Cents are
 * expected. The conversions below are the only place a unit changes: one cents → euros converter, one euros →
 * cents, and the same for hundredths and 1e-4 units; shared/core/format.ts is the one French formatter.
 */

declare const unit: unique symbol;

/** An integer number of cents (123456 = 1 234,56 €). */
export type Cents = number & { readonly [unit]?: "cents" };
/** An amount in euros with at most 2 decimals, as typed by a person and carried in JSON inputs. */
export type Euros = number & { readonly [unit]?: "euros" };
/** Hours, days or counts scaled by 100 (169 h → 16900). */
export type Hundredths = number & { readonly [unit]?: "hundredths" };
/** A rate or unit price scaled by 10,000: percent for contributions and bonuses, euros for hourly rates. */
export type Rate4 = number & { readonly [unit]?: "rate4" };

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
export function toCents(euros: Euros): Cents {
  return Math.round(euros * 100);
}

/** Cents → euros number for JSON and Excel boundaries (exact round-trip through toCents). */
export function centsToEuros(cents: Cents): Euros {
  return cents / 100;
}

/** Hours/days (≤ 2 decimals) → hundredths. */
export function toHundredths(value: number): Hundredths {
  return Math.round(value * 100);
}

/** Hundredths → hours/days for JSON and Excel boundaries. */
export function fromHundredths(value: Hundredths): number {
  return value / 100;
}

/** Percent or unit price (≤ 4 decimals) → 1e-4 units. */
export function toRate4(value: number): Rate4 {
  return Math.round(value * 10_000);
}

/** 1e-4 units → percent or unit price. */
export function fromRate4(value: Rate4): number {
  return value / 10_000;
}

/** base (cents) × rate (percent in 1e-4 units) → cents, rounded per line. */
export function applyPercent(baseCents: Cents, ratePct4: Rate4): Cents {
  return divRound(baseCents * ratePct4, 1_000_000);
}

/** quantity (hundredths) × unit price (1e-4 €) → cents. */
export function applyUnitPrice(quantityHundredths: Hundredths, price4: Rate4): Cents {
  return divRound(quantityHundredths * price4, 10_000);
}

/** amount (cents) ÷ hours (hundredths) → unit price in 1e-4 € (4-decimal hourly rate). */
export function unitPrice(amountCents: Cents, quantityHundredths: Hundredths): Rate4 {
  return divRound(amountCents * 10_000, quantityHundredths);
}

/** An amount (cents, hundredths) scaled by num/den, rounded half-up (prorata); the unit is kept. */
export function prorate(value: Cents, num: number, den: number): Cents;
export function prorate(value: Hundredths, num: number, den: number): Hundredths;
export function prorate(value: number, num: number, den: number): number {
  return divRound(value * num, den);
}

export function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
