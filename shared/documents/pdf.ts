/**
 * Small drawing layer over pdf-lib shared by every PDF document: deterministic document setup,
 * text that never overflows its cell, right-aligned figures, rules and boxes. What makes it fast (fontkit patches,
 * cached subsets and deflate) is in pdf-speed.ts.
 */

import { strToU8, zlibSync } from "fflate";
import { PDFDocument, type PDFFont, type PDFPage, type RGB, rgb } from "pdf-lib";
import { cachingFontkit, deflateCached, PRIMED_CHARACTERS } from "./pdf-speed.ts";
import type { Fonts } from "./types.ts";

export const A4: [number, number] = [595.28, 841.89];
export const A4_LANDSCAPE: [number, number] = [841.89, 595.28];

export const PRODUCER = "Paie Monaco (pdf-lib)";
export const CREATOR = "Paie Monaco — documents";

export interface DocMeta {
  title: string;
  subject?: string;
  /** ISO date the document is about (last day of the period): used as creation date so output is reproducible. */
  date: string;
}

export interface PdfContext {
  doc: PDFDocument;
  regular: PDFFont;
  bold: PDFFont;
  /** One per page, in page order. */
  canvases: Canvas[];
}

export async function createPdf(fonts: Fonts, meta: DocMeta): Promise<PdfContext> {
  // updateMetadata:false, otherwise pdf-lib stamps the current time and its own producer on every save.
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(cachingFontkit);
  // Subset: the full DejaVu face is ~700 KB per file; a payslip uses under a hundred glyphs.
  // A fixed "TAG+Name" subset name (PDF 32000 §9.6.4) instead of pdf-lib's "Name-1234" suffix, so viewers
  // and pdffonts recognise the subset and the bytes stay stable.
  const regular = await doc.embedFont(fonts.regular, { subset: true, customName: "PMREGU+DejaVuSans" });
  const bold = await doc.embedFont(fonts.bold, { subset: true, customName: "PMBOLD+DejaVuSans-Bold" });
  // Route pdf-lib's own stream compression (font file, ToUnicode map) through the cached fflate deflate.
  const context = doc.context;
  context.flateStream = (contents, dict = {}) =>
    context.stream(deflateCached(typeof contents === "string" ? strToU8(contents) : contents instanceof Uint8Array ? contents : new Uint8Array(contents)), {
      ...dict,
      Filter: "FlateDecode",
    });
  regular.encodeText(PRIMED_CHARACTERS);
  bold.encodeText(PRIMED_CHARACTERS);
  const date = new Date(`${meta.date}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) throw new RangeError(`createPdf: bad date "${meta.date}"`);
  doc.setTitle(meta.title);
  if (meta.subject) doc.setSubject(meta.subject);
  doc.setProducer(PRODUCER);
  doc.setCreator(CREATOR);
  doc.setLanguage("fr-FR");
  doc.setCreationDate(date);
  doc.setModificationDate(date);
  return { doc, regular, bold, canvases: [] };
}

export async function savePdf(ctx: PdfContext): Promise<Uint8Array> {
  for (const c of ctx.canvases) c.flush();
  return ctx.doc.save({ useObjectStreams: true, objectsPerTick: Number.POSITIVE_INFINITY });
}

export type Align = "left" | "right" | "center";

export interface TextOptions {
  size?: number;
  bold?: boolean;
  align?: Align;
  /** Width available; text is shortened with "…" to fit. Required for right/center alignment. */
  width?: number;
  color?: RGB;
}

export const BLACK = rgb(0, 0, 0);
export const GREY = rgb(0.45, 0.45, 0.45);
export const LIGHT = rgb(0.92, 0.92, 0.92);
export const RULE = rgb(0.6, 0.6, 0.6);

/** Strip what a PDF text run cannot show (line breaks, controls) so a stray character never breaks a line layout. */
export function cleanText(text: string): string {
  return text.replace(/[\u0000-\u001F\u007F]+/g, " ");
}

const advanceCache = new WeakMap<PDFFont, Map<string, number>>();

/** Width in points, from per-character advances cached per font (same result as pdf-lib without ligatures). */
export function textWidth(font: PDFFont, text: string, size: number): number {
  let cache = advanceCache.get(font);
  if (!cache) {
    cache = new Map();
    advanceCache.set(font, cache);
  }
  let total = 0;
  for (const ch of text) {
    let w = cache.get(ch);
    if (w === undefined) {
      w = font.widthOfTextAtSize(ch, 1000);
      cache.set(ch, w);
    }
    total += w;
  }
  return (total * size) / 1000;
}

function num(n: number): string {
  // Two decimals are far below a printer dot; trimming keeps content streams short.
  const t = n.toFixed(2);
  return t.includes(".") ? t.replace(/\.?0+$/, "") : t;
}

function colorOps(c: RGB, stroke: boolean): string {
  return `${num(c.red)} ${num(c.green)} ${num(c.blue)} ${stroke ? "RG" : "rg"}`;
}

/**
 * Drawing surface for one page. It writes PDF operators as text and adds them as a single flate stream when the
 * document is saved: pdf-lib's drawText builds several objects per call and was most of a payslip's run time.
 */
export class Canvas {
  private readonly ops: string[] = [];
  private fontKeys = new Map<PDFFont, string>();

  constructor(
    readonly ctx: PdfContext,
    readonly page: PDFPage,
  ) {
    ctx.canvases.push(this);
  }

  get width(): number {
    return this.page.getWidth();
  }
  get height(): number {
    return this.page.getHeight();
  }

  private fontKey(font: PDFFont): string {
    let key = this.fontKeys.get(font);
    if (!key) {
      key = this.page.node.newFontDictionary(font.name, font.ref).asString();
      this.fontKeys.set(font, key);
    }
    return key;
  }

  fit(text: string, font: PDFFont, size: number, width: number | undefined): string {
    const clean = cleanText(text);
    if (width === undefined || textWidth(font, clean, size) <= width) return clean;
    let lo = 0;
    let hi = clean.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (textWidth(font, `${clean.slice(0, mid)}…`, size) <= width) lo = mid;
      else hi = mid - 1;
    }
    return `${clean.slice(0, lo)}…`;
  }

  text(text: string, x: number, y: number, options: TextOptions = {}): void {
    const size = options.size ?? 8;
    const font = options.bold ? this.ctx.bold : this.ctx.regular;
    const shown = this.fit(text, font, size, options.width);
    if (shown === "") return;
    const w = textWidth(font, shown, size);
    let left = x;
    if (options.align === "right") left = x + (options.width ?? 0) - w;
    else if (options.align === "center") left = x + ((options.width ?? 0) - w) / 2;
    const hex = font.encodeText(shown).toString();
    this.ops.push(`BT ${colorOps(options.color ?? BLACK, false)} ${this.fontKey(font)} ${num(size)} Tf ${num(left)} ${num(y)} Td ${hex} Tj ET`);
  }

  line(x1: number, y1: number, x2: number, y2: number, thickness = 0.5, color: RGB = RULE): void {
    this.ops.push(`${colorOps(color, true)} ${num(thickness)} w ${num(x1)} ${num(y1)} m ${num(x2)} ${num(y2)} l S`);
  }

  box(x: number, y: number, width: number, height: number, options: { fill?: RGB; border?: RGB; thickness?: number } = {}): void {
    const rect = `${num(x)} ${num(y)} ${num(width)} ${num(height)} re`;
    if (options.fill) this.ops.push(`${colorOps(options.fill, false)} ${rect} f`);
    if (options.border !== undefined || !options.fill) {
      this.ops.push(`${colorOps(options.border ?? RULE, true)} ${num(options.thickness ?? 0.5)} w ${rect} S`);
    }
  }

  /** Called once by savePdf. */
  flush(): void {
    if (this.ops.length === 0) return;
    const data = zlibSync(strToU8(this.ops.join("\n")), { level: 6 });
    const stream = this.ctx.doc.context.stream(data, { Filter: "FlateDecode" });
    this.page.node.addContentStream(this.ctx.doc.context.register(stream));
    this.ops.length = 0;
  }
}

export function addPage(ctx: PdfContext, size: [number, number] = A4): Canvas {
  return new Canvas(ctx, ctx.doc.addPage(size));
}

/** "Page 1/3" in the bottom right corner of every page, once the page count is known. */
export function numberPages(ctx: PdfContext, margin: number, size = 7): void {
  const pages = ctx.canvases;
  ctx.canvases.forEach((c, i) => {
    c.text(`Page ${i + 1}/${pages.length}`, margin, 14, { size, align: "right", width: c.width - 2 * margin, color: GREY });
  });
}
