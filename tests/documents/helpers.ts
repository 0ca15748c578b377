/** Test helpers: read PDFs back with poppler and keep a PNG of page 1 for a human to look at. */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const ARTIFACTS = join(process.cwd(), ".artifacts", "documents");

export function pdfText(pdf: Uint8Array, options: { first?: number; last?: number } = {}): string {
  const args = ["-layout", "-enc", "UTF-8"];
  if (options.first) args.push("-f", String(options.first));
  if (options.last) args.push("-l", String(options.last));
  return execFileSync("pdftotext", [...args, "-", "-"], { input: pdf, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
}

export function pdfInfo(pdf: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), "pdfinfo-"));
  try {
    const file = join(dir, "doc.pdf");
    writeFileSync(file, pdf);
    return execFileSync("pdfinfo", ["-isodates", file], { encoding: "utf8", env: { ...process.env, TZ: "UTC" } });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function pdfPages(pdf: Uint8Array): number {
  const m = /Pages:\s+(\d+)/.exec(pdfInfo(pdf));
  if (!m) throw new Error("pdfinfo: no page count");
  return Number(m[1]);
}

/** Saves the PDF and renders its first page to `.artifacts/documents/<name>.png`. */
export function keepArtifact(name: string, pdf: Uint8Array, resolution = 110): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  const pdfPath = join(ARTIFACTS, `${name}.pdf`);
  writeFileSync(pdfPath, pdf);
  execFileSync("pdftoppm", ["-png", "-r", String(resolution), "-f", "1", "-l", "1", "-singlefile", pdfPath, join(ARTIFACTS, name)]);
  return join(ARTIFACTS, `${name}.png`);
}

/** Collapses runs of spaces so assertions do not depend on pdftotext's column padding. */
export function squeeze(text: string): string {
  return text.replace(/[ \t]+/g, " ");
}
