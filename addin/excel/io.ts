/// <reference types="office-js" />
/**
 * Low-level Excel access shared by the operations. Rules: every read of the month is queued then fetched in a
 * fixed number of syncs whatever the number of employees; writes are whole 2-D ranges, split only when a block
 * would approach Excel on the web's 5 MB request limit (ecosystem.md §5).
 */

import { isFormulaLike } from "../../shared/documents/formula-cells.ts";
import type { CellValue } from "../workbook/cells.ts";
import type { SheetData } from "../workbook/table.ts";

/** Characters per write batch before a sync: well under the 5 MB request payload limit. */
export const MAX_BATCH_CHARS = 3_000_000;
export const MARK_PREFIX = "[Paie Monaco] ";

/**
 * Strings Excel would take for a formula ("=…", "+…", "-…", "@…", shared/documents/formula-cells.ts) are stored as
 * text, never evaluated; a plain negative number stays a number.
 */
export function safeCell(value: CellValue): string | number | boolean {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") {
    const text = value.length > 32_000 ? value.slice(0, 32_000) : value;
    return isFormulaLike(text) && !/^-\d+([.,]\d+)?$/.test(text) ? `'${text}` : text;
  }
  if (typeof value === "number" && !Number.isFinite(value)) return "";
  return value;
}

export function splitAddress(full: string): { sheet: string; address: string } {
  const i = full.lastIndexOf("!");
  if (i < 0) return { sheet: "", address: full };
  return { sheet: full.slice(0, i).replace(/^'|'$/g, "").replace(/''/g, "'"), address: full.slice(i + 1).replace(/\$/g, "") };
}

export interface CommentInfo {
  comment: Excel.Comment;
  sheet: string;
  address: string;
  ours: boolean;
}

export interface SheetsRead {
  sheets: Map<string, SheetData | null>;
  comments: CommentInfo[];
}

/**
 * Reads the used range of each named sheet and every comment's location in exactly two syncs: the first learns which
 * sheets exist (a method called on a missing sheet's null object fails the whole batch), the second fetches values.
 */
export async function readSheets(context: Excel.RequestContext, names: readonly string[]): Promise<SheetsRead> {
  const sheets = names.map((name) => ({ name, ws: context.workbook.worksheets.getItemOrNullObject(name) }));
  for (const s of sheets) s.ws.load("name");
  const collection = context.workbook.comments;
  collection.load("items");
  await context.sync();

  const ranges = sheets.map((s) => {
    if (s.ws.isNullObject) return { name: s.name, range: null };
    const range = s.ws.getUsedRangeOrNullObject(true);
    range.load("values,rowIndex,columnIndex");
    return { name: s.name, range };
  });
  const locations = collection.items.map((comment) => {
    const loc = comment.getLocation();
    loc.load("address");
    return { comment, loc };
  });
  await context.sync();

  const out = new Map<string, SheetData | null>();
  for (const { name, range } of ranges) {
    if (!range) out.set(name, null);
    else if (range.isNullObject) out.set(name, { name, values: [], rowIndex: 0, columnIndex: 0 });
    else out.set(name, { name, values: range.values as CellValue[][], rowIndex: range.rowIndex, columnIndex: range.columnIndex });
  }
  const comments = locations.map(({ comment, loc }) => {
    const { sheet, address } = splitAddress(loc.address);
    return { comment, sheet, address, ours: typeof comment.content === "string" && comment.content.startsWith(MARK_PREFIX) };
  });
  return { sheets: out, comments };
}

/** Queues a whole-grid write starting at (row, col); returns the characters queued, for batching. */
export function queueGrid(ws: Excel.Worksheet, row: number, col: number, grid: CellValue[][]): number {
  if (grid.length === 0) return 0;
  const width = Math.max(...grid.map((r) => r.length));
  const values = grid.map((r) => Array.from({ length: width }, (_, i) => safeCell(r[i])));
  ws.getRangeByIndexes(row, col, values.length, width).values = values;
  let chars = 0;
  for (const r of values) for (const v of r) chars += typeof v === "string" ? v.length + 3 : 12;
  return chars;
}

/**
 * Writes a grid in row blocks, syncing only when the queued payload would pass MAX_BATCH_CHARS, so a normal month
 * costs no sync here at all (the caller's final sync sends it) and a huge one still fits Excel's limits.
 */
export async function writeGridBatched(context: Excel.RequestContext, ws: Excel.Worksheet, grid: CellValue[][], budget: { chars: number }): Promise<void> {
  let start = 0;
  while (start < grid.length) {
    let end = start;
    let chars = 0;
    while (end < grid.length && (end === start || chars < MAX_BATCH_CHARS - budget.chars)) {
      for (const v of grid[end]!) chars += typeof v === "string" ? v.length + 3 : 12;
      end++;
    }
    if (budget.chars > 0 && budget.chars + chars > MAX_BATCH_CHARS) {
      await context.sync();
      budget.chars = 0;
    }
    budget.chars += queueGrid(ws, start, 0, grid.slice(start, end));
    start = end;
  }
}
