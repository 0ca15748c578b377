/**
 * Speed patches for pdf-lib and fontkit, kept apart from the drawing so that the unsafe parts (five `as unknown as`
 * casts into fontkit's untyped internals) live in one module: one glyph per code point instead of OpenType shaping,
 * glyph outlines decoded once, font subsets encoded once, parsed fonts shared, and zlib deflate (fflate) of identical
 * streams done once per run. Nothing here draws; pdf.ts installs these in createPdf. What each buys is measured
 * by `npm run bench -- documents`.
 */

import fontkit from "@pdf-lib/fontkit";
import { zlibSync } from "fflate";
import type { PDFDocument } from "pdf-lib";

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
export const cachingFontkit: Fontkit = {
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
