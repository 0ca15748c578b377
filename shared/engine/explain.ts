/**
 * Minimal French formatting for the engine's explanations (the documents have their own, richer formatting).
 * Uses plain spaces as thousands separators so explanations stay readable in any font and in logs.
 */
// Every payslip line's explanation formats a few amounts: digit groups come from tables rather than from string
// padding and slicing, which made formatting a quarter of the engine's time.
const TWO = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, "0"));
const THREE = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, "0"));

/** 1234567 → "1 234 567" (non-negative integer). */
function group(n: number): string {
  if (n < 1000) return String(n);
  const low = n % 1000;
  return `${group((n - low) / 1000)} ${THREE[low]}`;
}

/** A scaled integer (scale 100 or 10 000) as French decimal text, truncated to `places` decimals. */
function fixed(value: number, scale: 100 | 10_000, places: number): string {
  if (!Number.isSafeInteger(value)) return String(value / scale).replace(".", ",");
  const negative = value < 0;
  const abs = negative ? -value : value;
  const frac = abs % scale;
  const int = (abs - frac) / scale;
  let decimals = "";
  if (places > 0) {
    const digits = scale === 100 ? TWO[frac]! : TWO[(frac - (frac % 100)) / 100]! + TWO[frac % 100]!;
    decimals = "," + (places >= digits.length ? digits : digits.slice(0, places));
  }
  return (negative ? "-" : "") + group(int) + decimals;
}

/** 123456 cents → "1 234,56 €" */
export const eur = (cents: number) => `${fixed(cents, 100, 2)} €`;
/** 252713 → "25,2713" (4-decimal unit price or percent) */
export const rate4 = (value: number) => fixed(value, 10_000, 4);
/** 68500 → "6,85 %" (trailing zeros dropped, at least 2 decimals) */
export const pct = (value: number) => {
  const s = fixed(value, 10_000, 4);
  // drop trailing zeros beyond two decimals: "6,8500" → "6,85", "0,0240" → "0,024"
  let end = s.length;
  while (end > s.length - 2 && s.charCodeAt(end - 1) === 48) end--;
  return `${s.slice(0, end)} %`;
};
/** 355 → "3,55" */
export const qty = (hundredths: number) => fixed(hundredths, 100, 2);
/** "2025-08-31" → "31/08/2025" */
export const date = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
