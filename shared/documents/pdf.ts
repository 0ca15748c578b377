/**
 * Small drawing layer over pdf-lib shared by every PDF document: deterministic document setup,
 * text that never overflows its cell, right-aligned figures, rules and boxes.
 */

import fontkit from "@pdf-lib/fontkit";
import { strToU8, zlibSync } from "fflate";
import { PDFDocument, type PDFFont, type PDFPage, type RGB, rgb } from "pdf-lib";
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

type Fontkit = Parameters<PDFDocument["registerFontkit"]>[0];
type FontkitFont = ReturnType<Fontkit["create"]>;

/**
 * One glyph per code point instead of full OpenType shaping. pdf-lib only reads glyph ids and advance widths
 * from the layout (it ignores GPOS kerning), so for French text the only thing shaping adds is ligatures,
 * and it cost ~60 ms per payslip (most of the run time). Without ligatures, copied text is also exact.
 */
function withSimpleLayout(font: FontkitFont): FontkitFont {
  const wrapper = Object.create(font) as FontkitFont;
  const cache = new Map<number, ReturnType<FontkitFont["glyphForCodePoint"]>>();
  wrapper.layout = ((text: string) => {
    const glyphs = [];
    for (const ch of text) {
      const cp = ch.codePointAt(0) ?? 0;
      let glyph = cache.get(cp);
      if (!glyph) {
        glyph = font.glyphForCodePoint(cp);
        cache.set(cp, glyph);
      }
      glyphs.push(glyph);
    }
    return { glyphs, positions: [] };
  }) as unknown as FontkitFont["layout"];
  // The subsetter decodes every glyph's outline again for each document only to find composite glyphs;
  // outlines never change, so each glyph decodes once per run.
  const decoded = new Set<number>();
  wrapper.getGlyph = ((id: number, codePoints?: number[]) => {
    const glyph = font.getGlyph(id, codePoints) as unknown as { _decode: () => unknown };
    if (!decoded.has(id)) {
      const original = glyph._decode.bind(glyph);
      let memo: unknown;
      let done = false;
      glyph._decode = () => {
        if (!done) {
          memo = original();
          done = true;
        }
        return memo;
      };
      decoded.add(id);
    }
    return glyph;
  }) as unknown as FontkitFont["getGlyph"];
  // Encoding a subset costs several milliseconds, and with the primed glyph order (see PRIMED_CHARACTERS)
  // most documents of a run ask for exactly the same subset: keep the last few encodings by glyph list.
  const encoded = new BoundedCache<string, Uint8Array>(32);
  const createSubset = font.createSubset;
  wrapper.createSubset = (() => {
    const subset = createSubset.call(wrapper) as unknown as { glyphs: number[]; encodeStream: () => unknown };
    const encodeStream = subset.encodeStream.bind(subset);
    subset.encodeStream = () => {
      const key = subset.glyphs.join(",");
      const hit = encoded.get(key);
      if (!hit) return teeStream(encodeStream() as Emitter, (bytes) => encoded.set(key, bytes));
      // pdf-lib only listens for data, end and error, in that order.
      const fake: Emitter = {
        on(event: string, listener: (arg?: unknown) => void) {
          if (event === "data") listener(hit);
          else if (event === "end") listener();
          return fake;
        },
      };
      return fake;
    };
    return subset;
  }) as unknown as FontkitFont["createSubset"];
  return wrapper;
}

interface Emitter {
  on(event: string, listener: (arg?: unknown) => void): Emitter;
}

/** Passes a fontkit encode stream through while collecting its bytes for the cache. */
function teeStream(stream: Emitter, done: (bytes: Uint8Array) => void): Emitter {
  const parts: Uint8Array[] = [];
  stream.on("data", (chunk) => parts.push(chunk as Uint8Array));
  stream.on("end", () => {
    const total = parts.reduce((n, p) => n + p.length, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    done(out);
  });
  return stream;
}

class BoundedCache<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly limit: number) {}
  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.limit) {
      const oldest = this.map.keys().next();
      if (!oldest.done) this.map.delete(oldest.value);
    }
  }
}

/**
 * Characters whose glyphs every document includes first, in this order. Subset glyph ids follow first use,
 * so without this two payslips differing by one name would embed differently-ordered subsets; with it, most
 * documents share one subset (cached above) for ~20 KB more per file.
 */
export const PRIMED_CHARACTERS =
  " !\"%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]_abcdefghijklmnopqrstuvwxyz«»°ÀÂÄÇÈÉÊËÎÏÔÖÙÛÜàâäçèéêëîïôöùûüÿŒœ€—–…’ᵉ×÷Σ";

const deflated = new BoundedCache<string, { source: Uint8Array; out: Uint8Array }>(64);

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * A cache slot for a stream: its length and an FNV-1a hash of about 512 bytes spread over it. Hashing every byte of
 * every stream cost a quarter of a payslip's rendering, mostly on page contents that are never seen twice; a
 * sampled key is enough to pick the slot because a hit is then confirmed byte for byte.
 */
function sampleKey(bytes: Uint8Array): string {
  const n = bytes.length;
  const step = n > 512 ? Math.floor(n / 512) : 1;
  let h = 0x811c9dc5;
  for (let i = 0; i < n; i += step) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193);
  }
  // The last bytes too: a subset that only gained a glyph at its end must not look unchanged.
  for (let i = Math.max(0, n - 64); i < n; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return `${n}:${(h >>> 0).toString(16)}`;
}

/** zlib deflate (fflate, faster than pdf-lib's pako) with identical inputs compressed once per run. */
export function deflateCached(data: Uint8Array): Uint8Array {
  // Cached subset encodings come back as the very same array: no need to hash 40 KB again.
  const same = deflatedByIdentity.get(data);
  if (same) return same;
  const key = sampleKey(data);
  const hit = deflated.get(key);
  // The key only picks the slot; bytes are compared so a collision can never put the wrong font in a PDF.
  if (hit && sameBytes(hit.source, data)) return hit.out;
  const out = zlibSync(data, { level: 6 });
  deflated.set(key, { source: data.slice(), out });
  deflatedByIdentity.set(data, out);
  return out;
}
// Safe because nothing writes into a font subset once encoded (pdf-lib copies it into the PDF).
const deflatedByIdentity = new WeakMap<Uint8Array, Uint8Array>();
const parsedFonts = new WeakMap<Uint8Array, ReturnType<Fontkit["create"]>>();

// pdf-lib re-parses the whole TrueType file for every document; a run prints hundreds of payslips with the same
// two fonts, so the parsed faces are shared (fontkit fonts are read-only once parsed; each subset is separate).
const cachingFontkit: Fontkit = {
  create(buffer: Uint8Array, postscriptName?: string) {
    if (postscriptName !== undefined) return fontkit.create(buffer, postscriptName);
    let font = parsedFonts.get(buffer);
    if (!font) {
      font = withSimpleLayout(fontkit.create(buffer));
      parsedFonts.set(buffer, font);
    }
    return font;
  },
};

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
