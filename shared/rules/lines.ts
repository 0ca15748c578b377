/** Building payslip lines from catalogue rubrics: the printed code follows the company's numbering. */
import { findRubric, type Rubric, rubricOfKind } from "../catalogue/catalogue.ts";
import type { PayLine } from "../core/result.ts";

export type CodeMap = Readonly<Record<string, string>> | undefined;

export function makeLine(
  rubric: Rubric,
  codes: CodeMap,
  amount: number,
  explanation: string,
  extra: Partial<Pick<PayLine, "quantity" | "rate" | "rateKind" | "detail" | "label">> & { enteredCode?: string } = {},
): PayLine {
  const entered = extra.enteredCode;
  const code = codes?.[rubric.code] ?? (entered && entered !== rubric.code ? entered : rubric.code);
  // Properties set one by one (no rest/spread): every line is built on the hot path of a monthly run.
  const line: PayLine = { code, rubric: rubric.code, label: extra.label ?? rubric.label, section: rubric.section, amount, explanation };
  if (extra.quantity !== undefined) line.quantity = extra.quantity;
  if (extra.rate !== undefined) line.rate = extra.rate;
  if (extra.rateKind !== undefined) line.rateKind = extra.rateKind;
  if (extra.detail !== undefined) line.detail = extra.detail;
  return line;
}

export function kindLine(
  kind: string,
  codes: CodeMap,
  amount: number,
  explanation: string,
  extra: Partial<Pick<PayLine, "quantity" | "rate" | "rateKind" | "detail" | "label">> = {},
): PayLine {
  return makeLine(rubricOfKind(kind), codes, amount, explanation, extra);
}

export function rubricOf(line: PayLine): Rubric {
  const r = findRubric(line.rubric);
  if (!r) throw new Error(`catalogue: unknown rubric ${line.rubric}`);
  return r;
}

export const byCode = (a: { code: string }, b: { code: string }) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

/**
 * Stable in-place insertion sort: a payslip has a dozen lines, mostly already in order, where it beats
 * Array.prototype.sort and its comparator calls.
 */
export function sortSmall<T>(items: T[], compare: (a: T, b: T) => number): T[] {
  for (let i = 1; i < items.length; i++) {
    const item = items[i]!;
    let j = i - 1;
    while (j >= 0 && compare(items[j]!, item) > 0) {
      items[j + 1] = items[j]!;
      j--;
    }
    items[j + 1] = item;
  }
  return items;
}
