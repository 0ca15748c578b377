/**
 * What the user enters beyond the contract: rubrics by catalogue code or alias (bonuses, commissions,
 * indemnities…), notice and dismissal indemnities, and the amounts taken back after net (meal tickets, advances).
 */
import { findRubric } from "../../catalogue/catalogue.ts";
import { qty, rate4 } from "../../core/explain.ts";
import { applyUnitPrice, toCents, toHundredths, toRate4 } from "../../core/fixed.ts";
import type { PayLine } from "../../core/result.ts";
import type { CompanyInput, VariablesInput } from "../../schema/payslip-input.ts";
import { type CodeMap, kindLine, makeLine } from "../lines.ts";
import type { TwoSided } from "./benefits.ts";

type Entered = NonNullable<VariablesInput["lines"]>[number];

function enteredLine(codes: CodeMap, entered: Entered): PayLine {
  const rubric = findRubric(entered.code)!;
  const extra: Partial<PayLine> & { enteredCode: string } = { enteredCode: entered.code };
  let amount: number;
  let explanation: string;
  if (entered.amount !== undefined) {
    amount = toCents(entered.amount);
    explanation = `Montant saisi (rubrique ${rubric.code} ${rubric.label})`;
  } else {
    const q = toHundredths(entered.quantity!);
    const r = toRate4(entered.rate!);
    amount = applyUnitPrice(q, r);
    explanation = `${qty(q)} × ${rate4(r)} € saisis`;
    extra.quantity = q;
    extra.rate = r;
    extra.rateKind = "unit";
  }
  if (entered.label) extra.label = entered.label;
  return makeLine(rubric, codes, amount, explanation, extra);
}

/** Entered rubrics (in gross or after net, as their rubric's section says), then the notice and dismissal indemnities. */
export function enteredLines(codes: CodeMap, v: VariablesInput): TwoSided {
  const out: TwoSided = { lines: [], afterNet: [] };
  for (const entered of v.lines ?? []) {
    const line = enteredLine(codes, entered);
    (line.section === "after-net" ? out.afterNet : out.lines).push(line);
  }
  if (v.notice) out.lines.push(kindLine("notice", codes, toCents(v.notice), "Indemnité compensatrice de préavis saisie"));
  if (v.dismissal) out.lines.push(kindLine("dismissal", codes, toCents(v.dismissal), "Indemnité de licenciement saisie"));
  return out;
}

/** The employee's share of meal tickets (the employer's enters no base), advances and deposits already paid. */
export function deductionsAfterNet(codes: CodeMap, company: CompanyInput, v: VariablesInput): PayLine[] {
  const out: PayLine[] = [];
  if (v.mealTickets) {
    const q = toHundredths(v.mealTickets);
    const share = toRate4(v.mealTicketEmployeeShare ?? company.mealTicketEmployeeShare ?? 0);
    out.push(
      kindLine(
        "meal-tickets",
        codes,
        -applyUnitPrice(q, share),
        `${qty(q)} tickets × part salariale ${rate4(share)} € ; la part patronale n'entre dans aucune assiette`,
        { quantity: q, rate: share, rateKind: "unit" },
      ),
    );
  }
  if (v.advance) out.push(kindLine("advance", codes, -toCents(v.advance), "Avance sur salaire déjà versée"));
  if (v.deposit) out.push(kindLine("deposit", codes, -toCents(v.deposit), "Acompte déjà versé"));
  return out;
}
