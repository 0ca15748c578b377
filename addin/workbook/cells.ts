/**
 * Conversion of raw Excel cell values (what `Range.values` returns: number, string, boolean; errors as "#N/A"…;
 * dates as serial numbers unless the cell holds text) into typed values. Every function returns either a value or
 * a French reason, never throws and never guesses: an unreadable cell is an issue, not a zero (the original
 * system silently turned invalid numbers into 0, original-system.md §1.3).
 */
import { daysInMonthOf, isoDate } from "../../shared/core/period.ts";

export type CellValue = string | number | boolean | null | undefined;
export type Converted<T> = { ok: true; value: T | undefined } | { ok: false; reason: string };

const EXCEL_ERRORS = /^#(N\/A|VALUE!|REF!|DIV\/0!|NAME\?|NULL!|NUM!|SPILL!|CALC!|GETTING_DATA|FIELD!|BLOCKED!|CONNECT!|BUSY!|UNKNOWN!|EXTERNAL!|PYTHON!)$/i;

export function isExcelError(value: CellValue): boolean {
  return typeof value === "string" && EXCEL_ERRORS.test(value.trim());
}

export function isBlank(value: CellValue): boolean {
  return value === null || value === undefined || (typeof value === "string" && value.trim() === "");
}

function excelError(value: string): { ok: false; reason: string } {
  return { ok: false, reason: `la cellule contient l'erreur Excel ${value.trim()} : corrigez la formule ou saisissez une valeur` };
}

/** Numbers as typed in French ("1 234,56", "12,5", "12.5 €", "15 %") or as real numbers. */
export function toNumber(value: CellValue): Converted<number> {
  if (isBlank(value)) return { ok: true, value: undefined };
  if (typeof value === "number") {
    return Number.isFinite(value) ? { ok: true, value } : { ok: false, reason: "nombre invalide" };
  }
  if (typeof value === "boolean") return { ok: false, reason: "un nombre est attendu (la cellule contient VRAI/FAUX)" };
  const text = String(value).trim();
  if (isExcelError(text)) return excelError(text);
  const cleaned = text.replace(/[\s\u00a0\u202f]/g, "").replace(/€$|%$/u, "");
  // One decimal separator only: "1.234,56" is ambiguous in a French workbook and is refused rather than guessed.
  if (!/^[-+]?\d+([.,]\d+)?$/.test(cleaned)) return { ok: false, reason: `« ${shorten(text)} » n'est pas un nombre` };
  const parsed = Number(cleaned.replace(",", "."));
  return Number.isFinite(parsed) ? { ok: true, value: parsed } : { ok: false, reason: "nombre invalide" };
}

/** Excel's 1900 date system, including its fictitious 29 February 1900 (serial 60). */
export function serialToIso(serial: number): string | undefined {
  if (!Number.isFinite(serial) || serial < 1 || serial >= 2958466) return undefined;
  const day = Math.floor(serial);
  if (day === 60) return undefined;
  const offset = day < 60 ? day : day - 1;
  const date = new Date(Date.UTC(1899, 11, 31) + offset * 86_400_000);
  return date.toISOString().slice(0, 10);
}

export function isoToSerial(iso: string): number {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  const days = (Date.UTC(y, m - 1, d) - Date.UTC(1899, 11, 31)) / 86_400_000;
  return days >= 60 ? days + 1 : days;
}

function validIso(y: number, m: number, d: number): string | undefined {
  if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1) return undefined;
  const last = daysInMonthOf(y, m);
  if (d > last) return undefined;
  return isoDate(y, m, d);
}

/** Dates as serial numbers, "15/03/2025", "15-03-2025", "15.03.2025", "15/03/25" or ISO "2025-03-15". */
export function toIsoDate(value: CellValue): Converted<string> {
  if (isBlank(value)) return { ok: true, value: undefined };
  if (typeof value === "number") {
    const iso = serialToIso(value);
    if (iso) return { ok: true, value: iso };
    // A broken adapter can hand NaN or ±Infinity over: say so in French rather than print "-Infinity".
    if (!Number.isFinite(value)) return { ok: false, reason: "la cellule ne contient pas une date lisible (valeur numérique invalide)" };
    return { ok: false, reason: `le nombre ${value} n'est pas une date valide (numéro de série Excel hors limites)` };
  }
  if (typeof value === "boolean") return { ok: false, reason: "une date est attendue (jj/mm/aaaa)" };
  const text = String(value).trim();
  if (isExcelError(text)) return excelError(text);
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(text);
  if (m) {
    const year = m[3]!.length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
    const iso = validIso(year, Number(m[2]), Number(m[1]));
    return iso ? { ok: true, value: iso } : { ok: false, reason: `« ${shorten(text)} » n'est pas une date qui existe` };
  }
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (m) {
    const iso = validIso(Number(m[1]), Number(m[2]), Number(m[3]));
    return iso ? { ok: true, value: iso } : { ok: false, reason: `« ${shorten(text)} » n'est pas une date qui existe` };
  }
  return { ok: false, reason: `« ${shorten(text)} » n'est pas une date au format jj/mm/aaaa` };
}

/**
 * A pay period (AAAA-MM) as typed: "2025-07", "07/2025", "7.2025", or a date (serial or text) whose month is taken —
 * Excel turns a typed "juil-25" or "2025-07" into the first day of the month.
 */
export function toPeriod(value: CellValue): Converted<string> {
  if (isBlank(value)) return { ok: true, value: undefined };
  const text = typeof value === "string" ? value.trim() : "";
  let m = /^(\d{4})-(\d{1,2})$/.exec(text);
  if (m) return periodOf(Number(m[1]), Number(m[2]), text);
  m = /^(\d{1,2})[/.-](\d{4})$/.exec(text);
  if (m) return periodOf(Number(m[2]), Number(m[1]), text);
  const date = toIsoDate(value);
  if (date.ok && date.value) return { ok: true, value: date.value.slice(0, 7) };
  return { ok: false, reason: `« ${shorten(String(value))} » n'est pas une période au format AAAA-MM` };
}

function periodOf(year: number, month: number, text: string): Converted<string> {
  if (month < 1 || month > 12 || year < 1900 || year > 2099) return { ok: false, reason: `« ${shorten(text)} » n'est pas une période qui existe` };
  return { ok: true, value: `${year}-${String(month).padStart(2, "0")}` };
}

export function toYesNo(value: CellValue): Converted<boolean> {
  if (isBlank(value)) return { ok: true, value: undefined };
  if (typeof value === "boolean") return { ok: true, value };
  if (typeof value === "number") {
    if (value === 1) return { ok: true, value: true };
    if (value === 0) return { ok: true, value: false };
    return { ok: false, reason: "Oui ou Non attendu" };
  }
  const text = String(value).trim();
  if (isExcelError(text)) return excelError(text);
  const t = text.toLowerCase();
  if (["oui", "o", "x", "vrai", "yes", "1"].includes(t)) return { ok: true, value: true };
  if (["non", "n", "faux", "no", "0"].includes(t)) return { ok: true, value: false };
  return { ok: false, reason: `« ${shorten(text)} » : Oui ou Non attendu` };
}

export function toText(value: CellValue): Converted<string> {
  if (isBlank(value)) return { ok: true, value: undefined };
  if (typeof value === "number") return { ok: true, value: String(value) };
  if (typeof value === "boolean") return { ok: true, value: value ? "VRAI" : "FAUX" };
  const text = String(value);
  if (isExcelError(text)) return excelError(text);
  // Control characters come from pasted web pages or exports and break the PDF and XML outputs later.
  const clean = text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200f\u2028\u2029\ufeff]/g, "").trim();
  return { ok: true, value: clean === "" ? undefined : clean };
}

/** Matricules stay text: Excel turns "007" into 7 when the column is not formatted as text. */
export function toMatricule(value: CellValue): Converted<string> {
  if (typeof value === "number") {
    return Number.isInteger(value) && value >= 0 ? { ok: true, value: String(value) } : { ok: false, reason: "matricule invalide" };
  }
  const text = toText(value);
  if (!text.ok || text.value === undefined) return text;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/.test(text.value)) {
    return { ok: false, reason: `« ${shorten(text.value)} » n'est pas un matricule (lettres, chiffres, . _ -, 32 caractères au plus)` };
  }
  return text;
}

export function shorten(text: string, max = 40): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** "A", "B", …, "Z", "AA"… for a zero-based column index. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = "";
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export function formatIsoFr(iso: string): string {
  const [y, m, d] = iso.split("-");
  return `${d}/${m}/${y}`;
}
