/**
 * Minimal French formatting for the engine's explanations (the documents have their own, richer formatting).
 * Uses plain spaces as thousands separators so explanations stay readable in any font and in logs.
 */
function group(intPart: string): string {
  return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, " ");
}

function fixed(value: number, scale: number, places: number): string {
  const negative = value < 0;
  const abs = Math.abs(value);
  const int = Math.floor(abs / scale);
  const frac = String(abs - int * scale).padStart(String(scale).length - 1, "0").slice(0, places);
  return `${negative ? "-" : ""}${group(String(int))}${places ? "," + frac : ""}`;
}

/** 123456 cents → "1 234,56 €" */
export const eur = (cents: number) => `${fixed(cents, 100, 2)} €`;
/** 252713 → "25,2713" (4-decimal unit price or percent) */
export const rate4 = (value: number) => fixed(value, 10_000, 4);
/** 68500 → "6,85 %" (trailing zeros dropped, at least 2 decimals) */
export const pct = (value: number) => `${fixed(value, 10_000, 4).replace(/(,\d\d\d?)0+$/, "$1").replace(/(,\d\d)0$/, "$1")} %`;
/** 355 → "3,55" */
export const qty = (hundredths: number) => fixed(hundredths, 100, 2);
/** "2025-08-31" → "31/08/2025" */
export const date = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
