/// <reference types="office-js" />
/**
 * Marks each cell that has an issue (fill colour + a comment carrying the messages) and removes the marks left by
 * the previous validation, in the same batch. Our comments start with MARK_PREFIX so the accountant's own comments
 * are never touched; a cell that already holds someone's comment gets the colour only (Excel allows one thread per cell).
 */
import type { SheetIssue } from "../workbook/table.ts";
import { type CommentInfo, MARK_PREFIX } from "./io.ts";

export const FILL = { error: "#FFC7CE", warning: "#FFEB9C", confirm: "#DDEBF7" } as const;
const RANK = { error: 0, warning: 1, confirm: 2 } as const;

export interface MarkPlan {
  clear: CommentInfo[];
  add: { sheet: string; address: string; color: string; text: string; comment: boolean }[];
}

/** Pure planning step, tested on its own. */
export function planMarks(issues: readonly SheetIssue[], comments: readonly CommentInfo[], existingSheets: ReadonlySet<string>): MarkPlan {
  const byCell = new Map<string, SheetIssue[]>();
  for (const i of issues) {
    if (!i.address || !existingSheets.has(i.sheet)) continue;
    const key = `${i.sheet}!${i.address}`;
    byCell.set(key, [...(byCell.get(key) ?? []), i]);
  }
  const foreign = new Set(comments.filter((c) => !c.ours).map((c) => `${c.sheet}!${c.address}`));
  const add: MarkPlan["add"] = [];
  for (const [key, list] of byCell) {
    list.sort((a, b) => RANK[a.severity] - RANK[b.severity]);
    const [first] = list;
    if (!first) continue;
    const text = MARK_PREFIX + list.map((i) => i.message).join("\n");
    add.push({ sheet: first.sheet, address: first.address, color: FILL[first.severity], text: text.slice(0, 2000), comment: !foreign.has(key) });
  }
  return { clear: comments.filter((c) => c.ours), add };
}

/** Queues the plan; the caller syncs. */
export function queueMarks(context: Excel.RequestContext, plan: MarkPlan): void {
  const sheets = new Map<string, Excel.Worksheet>();
  const sheet = (name: string) => {
    let ws = sheets.get(name);
    if (!ws) sheets.set(name, (ws = context.workbook.worksheets.getItem(name)));
    return ws;
  };
  for (const c of plan.clear) {
    if (c.sheet) sheet(c.sheet).getRange(c.address).format.fill.clear();
    c.comment.delete();
  }
  for (const m of plan.add) {
    const range = sheet(m.sheet).getRange(m.address);
    range.format.fill.color = m.color;
    if (m.comment) context.workbook.comments.add(range, m.text);
  }
}
