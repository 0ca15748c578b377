/**
 * The engine's names for the French formats its explanations use (plain-space thousands, decimal comma), taken from
 * shared/format so that an explanation and a printed document write a figure the same way.
 */
import { formatDate, formatEuros, formatHundredths, formatRate4 } from "./format.ts";

/** 123456 cents → "1 234,56 €" */
export const eur = formatEuros;
/** 252713 → "25,2713" (4-decimal unit price or percent) */
export const rate4 = (value: number) => formatRate4(value, 4);
/** 68500 → "6,85 %" (trailing zeros dropped, at least 2 decimals) */
export const pct = (value: number) => `${formatRate4(value)} %`;
/** 355 → "3,55" */
export const qty = formatHundredths;
/** "2025-08-31" → "31/08/2025" */
export const date = formatDate;
