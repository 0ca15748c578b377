/** Node-only: reads the DejaVu TTFs the shared PDF code needs (shared/ cannot do file I/O). */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Fonts } from "../../shared/documents/types.ts";

let cached: Fonts | undefined;

export function loadFonts(): Fonts {
  if (cached) return cached;
  const dir = join(dirname(createRequire(import.meta.url).resolve("dejavu-fonts-ttf/package.json")), "ttf");
  cached = { regular: readFileSync(join(dir, "DejaVuSans.ttf")), bold: readFileSync(join(dir, "DejaVuSans-Bold.ttf")) };
  return cached;
}
