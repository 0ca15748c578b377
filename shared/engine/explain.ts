/**
 * Minimal French formatting for the engine's explanations (the documents have their own, richer formatting).
 * Uses plain spaces as thousands separators so explanations stay readable in any font and in logs.
 */
function group(intPart: string): string {
  if (intPart.length <= 3) return intPart;
  let out = "";
  const head = intPart.length % 3;
  if (head) out = intPart.slice(0, head);
  for (let i = head; i < intPart.length; i += 3) out += (out ? " " : "") + intPart.slice(i, i + 3);
  return out;
}

const DIGITS: Record<number, number> = { 100: 2, 10_000: 4 };

function fixed(value: number, scale: number, places: number): string {
  const negative = value < 0;
  const abs = negative ? -value : value;
  const int = Math.floor(abs / scale);
  let frac = String(abs - int * scale);
  const width = DIGITS[scale] ?? String(scale).length - 1;
  while (frac.length < width) frac = "0" + frac;
  return `${negative ? "-" : ""}${group(String(int))}${places ? "," + frac.slice(0, places) : ""}`;
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
