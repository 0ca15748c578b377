/**
 * Paginated table PDF used by the company-level reports (journal, statement, provision): a title block,
 * optional grouped column headers, rows with bold/shaded totals, header repeated on every page.
 */
import { A4, A4_LANDSCAPE, addPage, type Canvas, createPdf, GREY, LIGHT, numberPages, savePdf } from "./pdf.ts";
import type { Fonts } from "./types.ts";

export interface TableColumn {
  header: string;
  /** Relative width; columns are scaled to the printable width. */
  width: number;
  align?: "left" | "right" | "center";
}

export interface TableRow {
  cells: (string | undefined)[];
  bold?: boolean;
  shade?: boolean;
  /** Draw a rule above the row (start of a group). */
  ruleAbove?: boolean;
}

export interface TableDocument {
  title: string;
  /** Lines under the title: company, period, dates. */
  subtitle: string[];
  columns: TableColumn[];
  /** Headers spanning several columns, drawn above the column headers. */
  groups?: { label: string; span: number }[];
  rows: TableRow[];
  /** Printed after the last row. */
  notes?: string[];
  landscape?: boolean;
  /** ISO date stored as the PDF creation date. */
  date: string;
  fontSize?: number;
}

const MARGIN = 28;
const ROW_H = 12;

export async function renderTablePdf(table: TableDocument, fonts: Fonts): Promise<Uint8Array> {
  const ctx = await createPdf(fonts, { title: table.title, date: table.date });
  const size = table.landscape ? A4_LANDSCAPE : A4;
  const printable = size[0] - 2 * MARGIN;
  const totalWeight = table.columns.reduce((s, c) => s + c.width, 0);
  const widths = table.columns.map((c) => (c.width / totalWeight) * printable);
  const xs: number[] = [];
  widths.reduce((x, w) => {
    xs.push(x);
    return x + w;
  }, MARGIN);
  const fontSize = table.fontSize ?? 7.5;

  const startPage = (first: boolean): { c: Canvas; y: number } => {
    const c = addPage(ctx, size);
    let y = size[1] - MARGIN;
    c.text(table.title, MARGIN, y - 14, { size: first ? 14 : 11, bold: true, width: printable });
    y -= first ? 22 : 18;
    for (const line of first ? table.subtitle : table.subtitle.slice(0, 1)) {
      c.text(line, MARGIN, y - 9, { size: 8.5, width: printable });
      y -= 11;
    }
    y -= 6;
    if (table.groups) {
      let col = 0;
      for (const g of table.groups) {
        const x = xs[col] ?? MARGIN;
        const w = widths.slice(col, col + g.span).reduce((s, v) => s + v, 0);
        if (g.label) {
          c.box(x, y - 12, w, 12, { fill: LIGHT });
          c.box(x, y - 12, w, 12);
          c.text(g.label, x, y - 9, { size: 7, bold: true, align: "center", width: w });
        }
        col += g.span;
      }
      y -= 12;
    }
    c.box(MARGIN, y - 16, printable, 16, { fill: LIGHT });
    table.columns.forEach((col, i) => {
      const x = xs[i] ?? MARGIN;
      const w = widths[i] ?? 0;
      c.text(col.header, x + 2, y - 11, { size: 7, bold: true, align: col.align ?? "left", width: w - 4 });
    });
    y -= 16;
    return { c, y };
  };

  let { c, y } = startPage(true);
  const bottom = MARGIN + 12;
  for (const row of table.rows) {
    if (y - ROW_H < bottom) {
      c.line(MARGIN, y, MARGIN + printable, y);
      ({ c, y } = startPage(false));
    }
    if (row.shade) c.box(MARGIN, y - ROW_H, printable, ROW_H, { fill: LIGHT });
    if (row.ruleAbove) c.line(MARGIN, y, MARGIN + printable, y);
    row.cells.forEach((text, i) => {
      if (text === undefined || text === "") return;
      const col = table.columns[i];
      if (!col) return;
      c.text(text, (xs[i] ?? MARGIN) + 2, y - ROW_H + 3.5, {
        size: fontSize,
        bold: row.bold === true,
        align: col.align ?? "left",
        width: (widths[i] ?? 0) - 4,
      });
    });
    y -= ROW_H;
  }
  c.line(MARGIN, y, MARGIN + printable, y);
  for (const note of table.notes ?? []) {
    if (y - 12 < bottom) ({ c, y } = startPage(false));
    c.text(note, MARGIN, y - 11, { size: 7, color: GREY, width: printable });
    y -= 11;
  }
  numberPages(ctx, MARGIN);
  return savePdf(ctx);
}
