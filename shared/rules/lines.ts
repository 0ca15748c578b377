/** Building payslip lines from catalogue rubrics: the printed code follows the company's numbering. */
import { findRubric, rubricOfKind, type Rubric } from "../catalogue/catalogue.ts";
import type { PayLine } from "../engine/result.ts";

export type CodeMap = Readonly<Record<string, string>> | undefined;

export function makeLine(
  rubric: Rubric,
  codes: CodeMap,
  amount: number,
  explanation: string,
  extra: Partial<Pick<PayLine, "quantity" | "rate" | "rateKind" | "detail" | "label">> & { enteredCode?: string } = {},
): PayLine {
  const { enteredCode, ...rest } = extra;
  const code = codes?.[rubric.code] ?? (enteredCode && enteredCode !== rubric.code ? enteredCode : rubric.code);
  return { code, rubric: rubric.code, label: rubric.label, section: rubric.section, amount, explanation, ...rest };
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
