/**
 * Node-only loader for the fonts the shared PDF documents need (shared/ cannot read files).
 * TTF only: fontkit crashes the process on WOFF2 (reference/ecosystem.md §2.8).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Fonts } from "../../shared/documents/types.ts";

let cached: Fonts | undefined;

/** Reads DejaVuSans and DejaVuSans-Bold once per process; the same bytes object lets the PDF code reuse parsed fonts. */
export function loadDocumentFonts(): Fonts {
  if (cached) return cached;
  const dir = join(dirname(createRequire(import.meta.url).resolve("dejavu-fonts-ttf/package.json")), "ttf");
  cached = { regular: readFileSync(join(dir, "DejaVuSans.ttf")), bold: readFileSync(join(dir, "DejaVuSans-Bold.ttf")) };
  return cached;
}
