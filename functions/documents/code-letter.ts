/**
 * The letter that gives an employee their document code (functions/security/payslip-secrets.ts) apart from the
 * mails: printed by the accountant and handed over or posted, one page per employee, in French. It is generated on
 * demand from the encrypted code and never stored: Blob Storage holds no code in clear.
 */

import { formatDate } from "../../shared/core/format.ts";
import { addPage, type Canvas, createPdf, GREY, type PdfContext, savePdf, textWidth } from "../../shared/documents/pdf.ts";
import type { CompanyInfo, EmployeeInfo, Fonts } from "../../shared/documents/types.ts";

export interface CodeLetter {
  employee: Pick<EmployeeInfo, "id" | "firstName" | "lastName" | "addressLines">;
  code: string;
  /** ISO instant the code was issued. */
  issuedAt: string;
  generation: number;
}

const MARGIN = 64;

function wrap(ctx: PdfContext, text: string, size: number, width: number, bold = false): string[] {
  const font = bold ? ctx.bold : ctx.regular;
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (line && textWidth(font, next, size) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

function paragraph(ctx: PdfContext, page: Canvas, text: string, y: number, options: { size?: number; bold?: boolean } = {}): number {
  const size = options.size ?? 10.5;
  for (const l of wrap(ctx, text, size, page.width - 2 * MARGIN, options.bold)) {
    page.text(l, MARGIN, y, { size, ...(options.bold ? { bold: true } : {}) });
    y -= size * 1.45;
  }
  return y - size * 0.6;
}

function letterPage(ctx: PdfContext, company: CompanyInfo, letter: CodeLetter): void {
  const page = addPage(ctx);
  let y = page.height - MARGIN;
  page.text(company.name, MARGIN, y, { size: 12, bold: true });
  for (const l of company.addressLines) page.text(l, MARGIN, (y -= 14), { size: 10 });

  const name = `${letter.employee.firstName} ${letter.employee.lastName.toUpperCase()}`.trim();
  let ry = page.height - MARGIN - 90;
  const rx = page.width / 2 + 20;
  page.text(name, rx, ry, { size: 11, bold: true, width: page.width - rx - MARGIN });
  for (const l of letter.employee.addressLines ?? []) page.text(l, rx, (ry -= 14), { size: 10.5, width: page.width - rx - MARGIN });
  page.text("Remis en main propre ou sous pli fermé", rx, (ry -= 22), { size: 8.5, color: GREY });

  y = page.height - MARGIN - 200;
  page.text(`Monaco, le ${formatDate(letter.issuedAt.slice(0, 10))}`, MARGIN, y, { size: 10.5 });
  y -= 34;
  y = paragraph(ctx, page, "Objet : votre code personnel d'ouverture des bulletins de paie électroniques", y, { bold: true, size: 11 });
  y = paragraph(ctx, page, "Madame, Monsieur,", y - 6);
  y = paragraph(
    ctx,
    page,
    "Vos bulletins de paie vous sont adressés par courrier électronique, en pièce jointe PDF chiffrée. Pour ouvrir ce fichier, votre lecteur PDF vous demandera le code ci-dessous :",
    y,
  );
  const boxY = y - 44;
  page.box(MARGIN, boxY, page.width - 2 * MARGIN, 50, { border: GREY, thickness: 0.8 });
  page.text(letter.code, MARGIN, boxY + 17, { size: 24, bold: true, align: "center", width: page.width - 2 * MARGIN });
  y = boxY - 26;
  y = paragraph(ctx, page, "Saisissez-le tel qu'il est imprimé : en majuscules, tirets compris.", y, { bold: true });
  y = paragraph(
    ctx,
    page,
    "Ce code vous est propre : conservez ce courrier et ne le communiquez à personne. Il ne vous est jamais envoyé par courriel, et aucun message ne vous le demandera.",
    y,
  );
  y = paragraph(
    ctx,
    page,
    "Chaque bulletin porte le cachet électronique de l'employeur, qui garantit qu'il n'a pas été modifié depuis son établissement ; votre lecteur PDF l'affiche dans son panneau des signatures.",
    y,
  );
  y = paragraph(
    ctx,
    page,
    "En cas de perte, ou si vous pensez qu'une autre personne connaît ce code, demandez-en un nouveau au service du personnel : les bulletins envoyés ensuite s'ouvriront avec le nouveau code, ceux déjà reçus gardent l'ancien.",
    y,
  );
  paragraph(ctx, page, `Code n° ${letter.generation} — matricule ${letter.employee.id} — émis le ${formatDate(letter.issuedAt.slice(0, 10))}.`, y - 10, {
    size: 8.5,
  });
}

/** One printable PDF, one letter per page, in the order given. */
export async function renderCodeLetters(company: CompanyInfo, letters: CodeLetter[], fonts: Fonts, date: string): Promise<Uint8Array> {
  if (letters.length === 0) throw new Error("Aucun courrier de code à imprimer.");
  const ctx = await createPdf(fonts, { title: `Codes d'ouverture des bulletins — ${company.name}`, date });
  for (const l of letters) letterPage(ctx, company, l);
  return savePdf(ctx);
}
