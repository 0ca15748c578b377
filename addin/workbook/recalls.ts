/**
 * The month's recalls: the rows of `Rappels AAAA-MM`, one per rappel (matricule, période concernée, rubrique,
 * montant, libellé). A recall pays earnings of a past month with this one, contributed with this month's bases and
 * ceilings (shared/rules/recall.ts); correcting the past month itself is the reopen flow. Each row is checked here
 * with its cell (the engine checks the same rules again on the input it receives).
 */

import { toCents } from "../../shared/core/fixed.ts";
import type { RecallInput } from "../../shared/schema/payslip-input.ts";
import type { IssueAt } from "./absences.ts";
import { formatIsoFr } from "./cells.ts";
import { RECALL_COLUMNS, RECALL_VALUES } from "./columns.ts";
import { EMPLOYEES_SHEET } from "./period.ts";
import type { ParsedRow, ParsedTable } from "./table.ts";

export interface RecallContext {
  period: string;
  table: ParsedTable | undefined;
  /** The first `Salariés` row of each matricule. */
  employees: ReadonlyMap<string, ParsedRow>;
  issue: IssueAt;
}

export interface MonthRecalls {
  /** The engine's recalls per matricule, and the rows they came from (same order). */
  byEmployee: Map<string, RecallInput[]>;
  rows: Map<string, ParsedRow[]>;
  /** Matricules with a refused recall row: not calculated until it is fixed (a recall must not be dropped silently). */
  blocked: Set<string>;
}

export function readRecalls(ctx: RecallContext): MonthRecalls {
  const out: MonthRecalls = { byEmployee: new Map(), rows: new Map(), blocked: new Set() };
  const { table, period, issue } = ctx;
  if (!table) return out;
  const refuse = (row: ParsedRow, key: string, code: string, message: string) => issue(table, RECALL_COLUMNS, row, key, code, "error", message);
  for (const row of table.rows) {
    const id = typeof row.fields.id === "string" ? row.fields.id : undefined;
    if (!id) continue;
    const master = ctx.employees.get(id);
    if (!master) refuse(row, "id", "unknown-employee", `Matricule ${id} absent de la feuille ${EMPLOYEES_SHEET}.`);
    const recalled = row.fields.period as string | undefined;
    const hire = master?.fields.hireDate as string | undefined;
    if (recalled && recalled >= period) {
      refuse(row, "period", "recall-not-past", `« ${recalled} » : un rappel porte sur un mois antérieur à ${period}.`);
    } else if (recalled && hire && recalled < hire.slice(0, 7)) {
      refuse(row, "period", "recall-before-hire", `« ${recalled} » est avant l'entrée du salarié le ${formatIsoFr(hire)}.`);
    }
    const amount = row.fields.amount as number | undefined;
    if (amount !== undefined && toCents(amount) === 0) refuse(row, "amount", "recall-empty", "Rappel de 0,00 € : saisissez le montant à rappeler.");
    // A required column missing from the sheet is reported once by parseTable; its rows are not computed either.
    if (row.invalid || !recalled || row.fields.rubric === undefined || amount === undefined) {
      out.blocked.add(id);
      continue;
    }
    const recall: RecallInput = {
      period: recalled,
      rubric: RECALL_VALUES[row.fields.rubric as keyof typeof RECALL_VALUES],
      amount,
    };
    const label = row.fields.label;
    if (typeof label === "string" && label) recall.label = label;
    out.byEmployee.set(id, [...(out.byEmployee.get(id) ?? []), recall]);
    out.rows.set(id, [...(out.rows.get(id) ?? []), row]);
  }
  return out;
}
