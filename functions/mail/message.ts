/**
 * The payslip mail an employee receives: French subject, HTML and plain-text bodies, one PDF.
 * Everything interpolated comes from client workbooks, so it is treated as hostile: HTML-escaped in the
 * HTML body, stripped of line breaks and control characters wherever it could reach a header.
 */
import { formatPeriod } from "../../shared/core/format.ts";
import { isPeriod } from "../../shared/core/period.ts";
import { isEncryptedPdf } from "../documents/encrypt.ts";
import type { MailMessage } from "./types.ts";

/** Said when the attachment is encrypted: how to open it, without the code (sent apart, never by mail). */
export const PROTECTED_ATTACHMENT_NOTICE =
  "Le bulletin joint est protégé : ouvrez-le avec le code personnel qui vous a été remis séparément par votre employeur " +
  "(ce code n'est jamais envoyé par courriel). Si vous ne l'avez plus, demandez-en un nouveau à votre service du personnel.";

export interface PayslipMailInput {
  companyId: string;
  companyName: string;
  /** "YYYY-MM". */
  period: string;
  /** The employee's matricule, as used in the payroll. */
  employeeId: string;
  firstName: string;
  lastName: string;
  email: string;
  pdf: Uint8Array;
  /**
   * Version of the period whose payslip is attached; part of the Message-ID so a corrected payslip is a
   * different message from the one it replaces. See `payslipMessageId` for rows that carry none.
   */
  version?: number;
}

// Deliberately narrow: one plain mailbox, no display name, no list, nothing that could smuggle a header.
const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export function escapeHtml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** Collapses line breaks, tabs and other control characters to single spaces: a value meant for one line stays on one line. */
export function singleLine(value: string): string {
  return value
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ")
    .replace(/ {2,}/g, " ")
    .trim();
}

export function frenchPeriod(period: string): string {
  if (!isPeriod(period)) throw new Error(`Période invalide : attendu AAAA-MM`);
  return formatPeriod(period);
}

export function isValidMailAddress(address: string): boolean {
  return address.length <= 254 && EMAIL.test(address);
}

/** Matricules go into a file name: keep letters, digits, dash and underscore only. */
export function safeFileToken(value: string): string {
  const token = value
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9_-]+/g, "_")
    .replace(/^_+|_+$/g, "");
  return token.slice(0, 64) || "salarie";
}

export function payslipFileName(period: string, employeeId: string): string {
  if (!isPeriod(period)) throw new Error(`Période invalide : attendu AAAA-MM`);
  return `bulletin-${period}-${safeFileToken(employeeId)}.pdf`;
}

/** Message-ID domain: `.invalid` (RFC 2606) so it can never collide with a real host's ids. */
export const MESSAGE_ID_DOMAIN = "paie-monaco.invalid";

/**
 * The RFC 5322 Message-ID of one payslip mail: `<paie.{companyId}.{period}.{employeeId}.v{version}@paie-monaco.invalid>`,
 * the same on every attempt, which is what lets a resend first ask Graph whether it already went out.
 * Without a version (rows queued before mails carried one) the id is per company, period and employee only,
 * i.e. the old one-mail-per-key rule: stated here rather than inventing a version.
 */
export function payslipMessageId(key: { companyId: string; period: string; employeeId: string }, version?: number): string {
  if (!isPeriod(key.period)) throw new Error(`Période invalide : attendu AAAA-MM`);
  if (version !== undefined && !(Number.isInteger(version) && version >= 1)) throw new Error(`Version de document invalide : ${version}`);
  // dot-atom-text (RFC 5322 §3.2.3): atext runs joined by single dots; safeFileToken keeps [A-Za-z0-9_-] only.
  const parts = ["paie", safeFileToken(key.companyId), key.period, safeFileToken(key.employeeId)];
  if (version !== undefined) parts.push(`v${version}`);
  return `<${parts.join(".")}@${MESSAGE_ID_DOMAIN}>`;
}

/** The period version in a document path built by functions/storage (`companies/{c}/{p}/v{n}/…`), if any. */
export function documentVersion(documentPath: string | undefined): number | undefined {
  const m = documentPath ? /(?:^|\/)v([1-9]\d*)\//.exec(documentPath) : null;
  return m ? Number(m[1]) : undefined;
}

export function buildPayslipMail(input: PayslipMailInput): MailMessage {
  const address = input.email.trim();
  if (!isValidMailAddress(address)) throw new Error("Adresse électronique du salarié invalide");
  if (input.pdf.byteLength === 0) throw new Error("Le bulletin PDF est vide");

  const monthYear = frenchPeriod(input.period);
  const firstName = singleLine(input.firstName);
  const lastName = singleLine(input.lastName);
  const company = singleLine(input.companyName);
  const greetingName = firstName || `${firstName} ${lastName}`.trim();
  const protectedPdf = isEncryptedPdf(input.pdf);

  const text = [
    greetingName ? `Bonjour ${greetingName},` : "Bonjour,",
    "",
    `Vous trouverez ci-joint votre bulletin de paie de ${monthYear}, établi par ${company}.`,
    ...(protectedPdf ? [PROTECTED_ATTACHMENT_NOTICE] : []),
    "Nous vous invitons à le conserver sans limitation de durée.",
    "",
    "Ce message et sa pièce jointe sont confidentiels et vous sont exclusivement destinés. " +
      "Si vous l'avez reçu par erreur, merci de le supprimer et d'en informer l'expéditeur.",
    "",
    "Cordialement,",
    company,
    "",
  ].join("\r\n");

  const h = escapeHtml;
  const html = [
    "<!DOCTYPE html>",
    `<html lang="fr"><head><meta charset="utf-8"><title>${h(`Bulletin de paie — ${monthYear}`)}</title></head>`,
    '<body style="font-family: Segoe UI, Arial, sans-serif; font-size: 14px; color: #222;">',
    `<p>${greetingName ? `Bonjour ${h(greetingName)},` : "Bonjour,"}</p>`,
    `<p>Vous trouverez ci-joint votre bulletin de paie de <strong>${h(monthYear)}</strong>, établi par ${h(company)}.</p>`,
    ...(protectedPdf ? [`<p>${h(PROTECTED_ATTACHMENT_NOTICE)}</p>`] : []),
    "<p>Nous vous invitons à le conserver sans limitation de durée.</p>",
    '<p style="font-size: 12px; color: #666;">Ce message et sa pièce jointe sont confidentiels et vous sont exclusivement destinés. ' +
      "Si vous l'avez reçu par erreur, merci de le supprimer et d'en informer l'expéditeur.</p>",
    `<p>Cordialement,<br>${h(company)}</p>`,
    "</body></html>",
    "",
  ].join("\r\n");

  const displayName = `${firstName} ${lastName}`.trim();
  return {
    key: { companyId: input.companyId, period: input.period, employeeId: input.employeeId },
    to: displayName ? { address, name: displayName } : { address },
    subject: `Votre bulletin de paie — ${monthYear}`,
    html,
    text,
    attachments: [{ name: payslipFileName(input.period, input.employeeId), contentType: "application/pdf", content: input.pdf }],
    internetMessageId: payslipMessageId(input, input.version),
  };
}
