/**
 * Payslip PDF (bulletin de paie), one employee per document, laid out like the Cegid payslips the firm's
 * clients and their employees already know: Rubriques · Quantité ou base · Taux · À déduire · À payer ·
 * Charges patronales (taux, montant), then cumuls, paid-leave counters, net to pay and total cost.
 *
 * Over 300 lines for a reason: it is one page's layout, and the header band, the table and the summary share its
 * column positions and running `top`; the drawing primitives are in pdf.ts, the speed patches in pdf-speed.ts.
 */

import { formatCents, formatDate, formatDays4, formatHundredths, formatRate4 } from "../core/format.ts";
import type { ContributionLine, PayLine, PayslipResult } from "../core/result.ts";
import { A4, addPage, type Canvas, createPdf, GREY, LIGHT, numberPages, type PdfContext, savePdf } from "./pdf.ts";
import { employeeContributions, employerContributions, employerCost, grossPay, netPaid, TOTAL_LABELS, taxableNet } from "./totals.ts";
import { type CompanyInfo, type EmployeeInfo, type Fonts, fullName } from "./types.ts";

export const KEEP_PAYSLIP_SENTENCE = "Dans votre intérêt et pour vous aider à faire valoir vos droits, conservez ce bulletin de paie sans limitation de durée.";

export interface PayslipDocumentInput {
  result: PayslipResult;
  employee: EmployeeInfo;
  company: CompanyInfo;
  /** A corrected payslip: the day (YYYY-MM-DD) of the payslip it cancels and replaces, printed under the title. */
  replaces?: string;
}

/** The mention a corrected payslip carries under its title. */
export const correctedMention = (replaces: string) => `Bulletin rectificatif — annule et remplace le bulletin du ${formatDate(replaces)}`;

interface SlipRow {
  height: number;
  code?: string;
  label: string;
  quantity?: string;
  rate?: string;
  deduct?: string;
  pay?: string;
  employerRate?: string;
  employerAmount?: string;
  bold?: boolean;
  /** Shaded total row. */
  total?: boolean;
  /** Small grey text under a line (dates of an absence). */
  detail?: boolean;
}

const MARGIN = 28;
const PAGE_BOTTOM = 36;
const LINE_H = 11;
const DETAIL_H = 9;
const TOTAL_H = 14;
const SUMMARY_H = 178;

// Column left edges and widths; they add up to the A4 width between margins (539.28 pt).
const COL = {
  code: { x: MARGIN, w: 30 },
  label: { x: MARGIN + 30, w: 170 },
  quantity: { x: MARGIN + 200, w: 60 },
  rate: { x: MARGIN + 260, w: 48 },
  deduct: { x: MARGIN + 308, w: 58 },
  pay: { x: MARGIN + 366, w: 58 },
  employerRate: { x: MARGIN + 424, w: 48 },
  employerAmount: { x: MARGIN + 472, w: 67.28 },
} as const;
const TABLE_RIGHT = MARGIN + 539.28;

function lineRate(line: PayLine): string | undefined {
  if (line.rate === undefined) return undefined;
  // Hourly and unit prices are kept to 4 decimals by the engine (20,2170); percentages print like contribution rates.
  return line.rateKind === "percent" ? formatRate4(line.rate, 2) : formatRate4(line.rate, 4);
}

function payLineRows(line: PayLine): SlipRow[] {
  const rows: SlipRow[] = [
    {
      height: LINE_H,
      code: line.code,
      label: line.label,
      ...(line.quantity !== undefined ? { quantity: formatHundredths(line.quantity) } : {}),
      ...(lineRate(line) !== undefined ? { rate: lineRate(line) } : {}),
      // A negative line (absence, deduction after net) goes to "À déduire" as a positive figure, as on Cegid.
      ...(line.amount < 0 ? { deduct: formatCents(-line.amount) } : { pay: formatCents(line.amount) }),
    },
  ];
  if (line.detail) rows.push({ height: DETAIL_H, label: line.detail, detail: true });
  return rows;
}

function contributionRow(c: ContributionLine): SlipRow {
  return {
    height: LINE_H,
    code: c.code,
    label: c.regularisation ? `${c.label} (régularisation)` : c.label,
    quantity: formatCents(c.base),
    ...(c.employeeRate !== undefined ? { rate: formatRate4(c.employeeRate) } : {}),
    ...(c.employeeAmount !== undefined ? { deduct: formatCents(c.employeeAmount) } : {}),
    ...(c.employerRate !== undefined ? { employerRate: formatRate4(c.employerRate) } : {}),
    ...(c.employerAmount !== undefined ? { employerAmount: formatCents(c.employerAmount) } : {}),
  };
}

export function payslipRows(result: PayslipResult): SlipRow[] {
  const rows: SlipRow[] = [];
  for (const line of result.lines) rows.push(...payLineRows(line));
  rows.push({ height: TOTAL_H, label: TOTAL_LABELS.gross.toUpperCase(), pay: formatCents(grossPay(result)), bold: true, total: true });
  for (const c of result.contributions) rows.push(contributionRow(c));
  rows.push({
    height: TOTAL_H,
    label: "TOTAL RETENUES",
    deduct: formatCents(employeeContributions(result)),
    employerAmount: formatCents(employerContributions(result)),
    bold: true,
    total: true,
  });
  for (const line of result.netAdditions) rows.push(...payLineRows(line));
  rows.push({ height: TOTAL_H, label: "NET", pay: formatCents(result.net), bold: true, total: true });
  for (const line of result.afterNet) rows.push(...payLineRows(line));
  return rows;
}

function drawHeaderBand(c: Canvas, input: PayslipDocumentInput, top: number): number {
  const { result, company, employee } = input;
  c.text("BULLETIN DE PAIE", MARGIN, top - 14, { size: 14, bold: true });
  if (input.replaces) c.text(correctedMention(input.replaces), MARGIN, top - 25, { size: 7, bold: true, width: 400 });
  const period = `Période du ${formatDate(result.periodStart)} au ${formatDate(result.periodEnd)}`;
  c.text(period, MARGIN + 260, top - 10, { size: 9, bold: true, align: "right", width: 279.28 });
  c.text(`Payé le ${formatDate(result.payDate)}`, MARGIN + 260, top - 21, { size: 8, align: "right", width: 279.28 });

  const boxTop = top - 30;
  const boxH = 68;
  c.box(MARGIN, boxTop - boxH, 262, boxH);
  c.text("Employeur", MARGIN + 6, boxTop - 10, { size: 6.5, color: GREY });
  c.text(company.name, MARGIN + 6, boxTop - 21, { size: 9, bold: true, width: 250 });
  let y = boxTop - 31;
  for (const l of company.addressLines.slice(0, 3)) {
    c.text(l, MARGIN + 6, y, { size: 8, width: 250 });
    y -= 9.5;
  }
  c.text(`N° employeur CCSS : ${company.ccssEmployerNumber}`, MARGIN + 6, boxTop - boxH + 6, { size: 8, width: 250 });

  const ex = MARGIN + 277.28;
  c.box(ex, boxTop - boxH, 262, boxH);
  c.text("Salarié", ex + 6, boxTop - 10, { size: 6.5, color: GREY });
  c.text(fullName(employee), ex + 6, boxTop - 21, { size: 9, bold: true, width: 250 });
  y = boxTop - 31;
  for (const l of (employee.addressLines ?? []).slice(0, 4)) {
    c.text(l, ex + 6, y, { size: 8, width: 250 });
    y -= 9.5;
  }

  // Employee details as a two-row grid of small captions and values.
  const gridTop = boxTop - boxH - 6;
  const cellW = 539.28 / 4;
  const category = result.director ? "Administrateur salarié" : result.category === "cadre" ? "Cadre" : "Non cadre";
  const qualification = [employee.qualification, employee.coefficient ? `coef. ${employee.coefficient}` : undefined].filter(Boolean).join(" — ");
  const cells: [string, string][] = [
    ["Matricule", employee.id],
    ["N° CCSS", employee.ccssNumber ?? ""],
    [
      employee.exitDate ? "Entrée / sortie" : "Date d'entrée",
      employee.exitDate ? `${formatDate(employee.hireDate)} – ${formatDate(employee.exitDate)}` : formatDate(employee.hireDate),
    ],
    ["Heures payées", formatHundredths(result.hoursPaid)],
    ["Emploi", employee.job ?? ""],
    ["Qualification / coefficient", qualification],
    ["Statut", category],
    ["Convention collective", company.collectiveAgreement ?? ""],
  ];
  cells.forEach(([caption, value], i) => {
    const col = i % 4;
    const row = Math.floor(i / 4);
    const x = MARGIN + col * cellW;
    const yTop = gridTop - row * 22;
    c.box(x, yTop - 22, cellW, 22);
    c.text(caption, x + 4, yTop - 8, { size: 6.5, color: GREY, width: cellW - 8 });
    c.text(value, x + 4, yTop - 18, { size: 8, width: cellW - 8 });
  });
  return gridTop - 44 - 8;
}

function drawContinuationHeader(c: Canvas, input: PayslipDocumentInput, top: number): number {
  const { result, employee } = input;
  c.text("BULLETIN DE PAIE (suite)", MARGIN, top - 14, { size: 12, bold: true });
  c.text(`${fullName(employee)} — matricule ${employee.id}`, MARGIN, top - 27, { size: 8, width: 300 });
  c.text(`Période du ${formatDate(result.periodStart)} au ${formatDate(result.periodEnd)}`, MARGIN + 260, top - 14, {
    size: 9,
    bold: true,
    align: "right",
    width: 279.28,
  });
  return top - 38;
}

function drawTableHeader(c: Canvas, top: number): number {
  const h = 22;
  c.box(MARGIN, top - h, 539.28, h, { fill: LIGHT });
  const mid = top - 14;
  c.text("Rubriques", COL.code.x + 3, mid, { size: 7.5, bold: true });
  c.text("Quantité", COL.quantity.x, top - 9, { size: 7, bold: true, align: "right", width: COL.quantity.w - 3 });
  c.text("ou base", COL.quantity.x, top - 18, { size: 7, bold: true, align: "right", width: COL.quantity.w - 3 });
  c.text("Taux", COL.rate.x, mid, { size: 7.5, bold: true, align: "right", width: COL.rate.w - 3 });
  c.text("À déduire", COL.deduct.x, mid, { size: 7.5, bold: true, align: "right", width: COL.deduct.w - 3 });
  c.text("À payer", COL.pay.x, mid, { size: 7.5, bold: true, align: "right", width: COL.pay.w - 3 });
  c.text("Charges patronales", COL.employerRate.x, top - 8, { size: 7, bold: true, align: "center", width: TABLE_RIGHT - COL.employerRate.x });
  c.text("Taux", COL.employerRate.x, top - 18, { size: 7, bold: true, align: "right", width: COL.employerRate.w - 3 });
  c.text("Montant", COL.employerAmount.x, top - 18, { size: 7, bold: true, align: "right", width: COL.employerAmount.w - 3 });
  return top - h;
}

function drawRow(c: Canvas, row: SlipRow, top: number): void {
  const baseline = top - row.height + (row.total ? 4.5 : 3);
  if (row.total) c.box(MARGIN, top - row.height, 539.28, row.height, { fill: LIGHT });
  const size = row.detail ? 6.5 : 7.5;
  const bold = row.bold === true;
  if (row.code) c.text(row.code, COL.code.x + 3, baseline, { size, width: COL.code.w - 4 });
  // A detail line may run over the quantity and rate columns, which are empty on that row.
  const labelWidth = row.detail ? COL.deduct.x - COL.label.x - 10 : COL.label.w - 4;
  c.text(row.label, COL.label.x + (row.detail ? 6 : 0), baseline, { size, bold, width: labelWidth, ...(row.detail ? { color: GREY } : {}) });
  const num = (text: string | undefined, col: { x: number; w: number }) => {
    if (text !== undefined) c.text(text, col.x, baseline, { size, bold, align: "right", width: col.w - 3 });
  };
  num(row.quantity, COL.quantity);
  num(row.rate, COL.rate);
  num(row.deduct, COL.deduct);
  num(row.pay, COL.pay);
  num(row.employerRate, COL.employerRate);
  num(row.employerAmount, COL.employerAmount);
}

function drawTableFrame(c: Canvas, top: number, bottom: number): void {
  c.line(MARGIN, bottom, TABLE_RIGHT, bottom);
  for (const x of [MARGIN, COL.quantity.x, COL.rate.x, COL.deduct.x, COL.pay.x, COL.employerRate.x, COL.employerAmount.x, TABLE_RIGHT]) {
    c.line(x, top, x, bottom);
  }
}

function drawSummary(c: Canvas, result: PayslipResult, top: number): void {
  let y = top - 8;
  // Net to pay, boxed and large, with the taxable net beside it.
  c.text(`${TOTAL_LABELS.taxableNet} du mois : ${formatCents(taxableNet(result))} €`, MARGIN, y - 16, { size: 8 });
  const boxW = 230;
  const bx = TABLE_RIGHT - boxW;
  c.box(bx, y - 26, boxW, 26, { border: GREY, thickness: 1.2 });
  c.text(TOTAL_LABELS.netPaid.toUpperCase(), bx + 8, y - 17, { size: 11, bold: true });
  c.text(`${formatCents(netPaid(result))} €`, bx, y - 17, { size: 12, bold: true, align: "right", width: boxW - 8 });
  y -= 38;

  // Year-to-date cumuls.
  const ytd = result.ytd;
  const heads = ["Brut", "Base S.S.", "Net imposable", "Plafond S.S.", "Heures", "Charges salariales", "Charges patronales"];
  const values = [
    formatCents(ytd.gross),
    formatCents(ytd.baseSS),
    formatCents(ytd.taxableNet),
    formatCents(ytd.ceilingSS),
    formatHundredths(ytd.hours),
    formatCents(ytd.employeeContributions),
    formatCents(ytd.employerContributions),
  ];
  const labelW = 44;
  const cw = (539.28 - labelW) / heads.length;
  c.box(MARGIN, y - 30, 539.28, 30);
  c.box(MARGIN, y - 12, 539.28, 12, { fill: LIGHT });
  c.text(`Cumuls ${ytd.year}`, MARGIN + 4, y - 21, { size: 7.5, bold: true });
  heads.forEach((h, i) => {
    const x = MARGIN + labelW + i * cw;
    c.text(h, x, y - 9, { size: 6, bold: true, align: "right", width: cw - 4 });
    c.text(values[i] ?? "", x, y - 24, { size: 7.5, align: "right", width: cw - 4 });
  });
  y -= 40;

  // Paid-leave counters for both leave years, and the employer's total cost.
  const leaveW = 300;
  const lc = [90, 70, 70, 70];
  c.box(MARGIN, y - 46, leaveW, 46);
  c.box(MARGIN, y - 12, leaveW, 12, { fill: LIGHT });
  const leaveHeads = ["Congés payés (jours)", "Acquis", "Pris", "Restants"];
  let x = MARGIN;
  leaveHeads.forEach((h, i) => {
    const w = lc[i] ?? 70;
    c.text(h, x + 4, y - 9, { size: 6.5, bold: true, align: i === 0 ? "left" : "right", width: w - 8 });
    x += w;
  });
  [result.leave.previous, result.leave.current].forEach((counter, r) => {
    const ry = y - 24 - r * 12;
    const cells = [counter.label, formatDays4(counter.acquired), formatDays4(counter.taken), formatDays4(counter.remaining)];
    let cx = MARGIN;
    cells.forEach((text, i) => {
      const w = lc[i] ?? 70;
      c.text(text, cx + 4, ry, { size: 7.5, align: i === 0 ? "left" : "right", width: w - 8 });
      cx += w;
    });
  });
  const costX = MARGIN + leaveW + 15;
  const costW = TABLE_RIGHT - costX;
  c.box(costX, y - 46, costW, 46);
  c.text(TOTAL_LABELS.employerCost, costX + 8, y - 14, { size: 8, bold: true });
  c.text(TOTAL_LABELS.employerCostDefinition, costX + 8, y - 24, { size: 6.5, color: GREY });
  c.text(`${formatCents(employerCost(result))} €`, costX, y - 38, { size: 11, bold: true, align: "right", width: costW - 8 });
  y -= 60;

  c.text(KEEP_PAYSLIP_SENTENCE, MARGIN, y - 6, { size: 7, align: "center", width: 539.28, color: GREY });
}

async function drawPayslip(ctx: PdfContext, input: PayslipDocumentInput): Promise<void> {
  const rows = payslipRows(input.result);
  let c = addPage(ctx, A4);
  let tableTop = drawTableHeader(c, drawHeaderBand(c, input, A4[1] - MARGIN));
  let y = tableTop;
  for (const row of rows) {
    if (y - row.height < PAGE_BOTTOM) {
      drawTableFrame(c, tableTop, y);
      c.text("Suite page suivante", MARGIN, y - 10, { size: 7, color: GREY });
      c = addPage(ctx, A4);
      tableTop = drawTableHeader(c, drawContinuationHeader(c, input, A4[1] - MARGIN));
      y = tableTop;
    }
    drawRow(c, row, y);
    y -= row.height;
  }
  drawTableFrame(c, tableTop, y);
  // The summary (net to pay, cumuls, leave, cost) is never split: it moves whole to a new page if needed.
  if (y - SUMMARY_H < PAGE_BOTTOM) {
    c = addPage(ctx, A4);
    y = drawContinuationHeader(c, input, A4[1] - MARGIN);
  }
  drawSummary(c, input.result, y);
}

/** One payslip as a PDF (A4, French). Deterministic: same input and fonts → same bytes. */
export async function renderPayslipPdf(input: PayslipDocumentInput, fonts: Fonts): Promise<Uint8Array> {
  const { result, employee } = input;
  if (employee.id !== result.employeeId) {
    throw new Error(`Le bulletin du matricule ${result.employeeId} ne correspond pas au salarié ${employee.id}`);
  }
  const ctx = await createPdf(fonts, {
    title: `Bulletin de paie ${input.replaces ? "rectificatif " : ""}${result.period} — ${fullName(employee)}`,
    subject: "Bulletin de paie",
    date: result.periodEnd,
  });
  await drawPayslip(ctx, input);
  numberPages(ctx, MARGIN);
  return savePdf(ctx);
}
