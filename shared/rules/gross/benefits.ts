/** Benefits in kind (meals, housing, car): in gross and in every base, then recovered after net. */
import { qty, rate4 } from "../../core/explain.ts";
import { applyUnitPrice, type Rate4, toCents, toHundredths, toRate4 } from "../../core/fixed.ts";
import type { PayLine } from "../../core/result.ts";
import { kindLine } from "../lines.ts";
import type { GrossContext } from "./context.ts";

export interface TwoSided {
  lines: PayLine[];
  afterNet: PayLine[];
}

const BENEFITS = [
  ["housing", "benefit-housing", "benefit-housing-deduction", "logement"],
  ["car", "benefit-car", "benefit-car-deduction", "voiture"],
] as const;

/** A meal's value: the company's own, else benefit.meal_value in force on the period's last day. */
function mealValue(ctx: GrossContext): { value: Rate4; source: string } {
  const own = ctx.input.company.mealValue;
  if (own !== undefined) return { value: toRate4(own), source: "valeur de l'entreprise" };
  const value = toRate4(ctx.params.get("benefit.meal_value") ?? 0);
  return { value, source: `benefit.meal_value : ${ctx.params.source("benefit.meal_value")}` };
}

function meals(ctx: GrossContext, out: TwoSided): void {
  const { codes } = ctx;
  const v = ctx.input.variables ?? {};
  if (!v.meals) {
    if (v.mealsDeducted) {
      ctx.warn("MEALS_DEDUCTED_WITHOUT_BENEFIT", "variables.mealsDeducted", "repas repris après le net sans avantage en nature repas dans le brut");
    }
    return;
  }
  const q = toHundredths(v.meals);
  const { value, source } = mealValue(ctx);
  out.lines.push(
    kindLine("benefit-meals", codes, applyUnitPrice(q, value), `${qty(q)} repas × ${rate4(value)} € (${source})`, {
      quantity: q,
      rate: value,
      rateKind: "unit",
    }),
  );
  const deducted = v.mealsDeducted !== undefined ? toHundredths(v.mealsDeducted) : q;
  if (deducted) {
    out.afterNet.push(
      kindLine("benefit-meals-deduction", codes, -applyUnitPrice(deducted, value), `${qty(deducted)} repas fournis × ${rate4(value)} € repris après le net`, {
        quantity: deducted,
        rate: value,
        rateKind: "unit",
      }),
    );
  }
}

export function benefitsInKind(ctx: GrossContext): TwoSided {
  const out: TwoSided = { lines: [], afterNet: [] };
  meals(ctx, out);
  const v = ctx.input.variables ?? {};
  for (const [field, kind, back, label] of BENEFITS) {
    const value = v[field];
    if (!value) continue;
    const c = toCents(value);
    out.lines.push(kindLine(kind, ctx.codes, c, `Avantage en nature ${label} ajouté au brut et aux assiettes`));
    out.afterNet.push(kindLine(back, ctx.codes, -c, `Avantage en nature ${label} repris après le net (fourni en nature)`));
  }
  return out;
}
