/**
 * The seniority bonus: a fixed amount, or a rate of the SMIC's monthly value, of the salary or of a reference base.
 * Its full monthly value also enters the absence and leave rates (BS2021-05: 20,3929 €/h).
 */
import { eur, pct, rate4 } from "../../core/explain.ts";
import { applyPercent, applyUnitPrice, type Cents, toCents, toHundredths, toRate4 } from "../../core/fixed.ts";
import { formatNumber } from "../../core/format.ts";
import type { PayLine } from "../../core/result.ts";
import type { ParameterReader } from "../../rates/reader.ts";
import { kindLine } from "../lines.ts";
import type { GrossContext } from "./context.ts";
import { partOfMonth } from "./fraction.ts";

export interface Seniority {
  /** The bonus of a whole month (cents), 0 without one. */
  monthly: Cents;
  line?: PayLine;
}

/** The SMIC's monthly value: smic.hourly × work.legal_monthly_hours, in force on the period's last day. */
function smicMonthly(params: ParameterReader): { base: Cents; text: string } | undefined {
  const smic = params.get("smic.hourly");
  const legalHours = smic !== undefined ? params.constant("work.legal_monthly_hours") : undefined;
  if (smic === undefined || legalHours === undefined) return undefined;
  const monthly = applyUnitPrice(toHundredths(legalHours), toRate4(smic));
  const text =
    params.periodText("seniority.smic") ??
    params.keepPeriodText(
      "seniority.smic",
      `SMIC mensuel ${eur(monthly)} = ${rate4(toRate4(smic))} € × ${formatNumber(legalHours)} h (smic.hourly : ${params.source("smic.hourly")})`,
    );
  return { base: monthly, text };
}

/** The base a seniority rate applies to, with its words; undefined (error recorded) when a parameter is missing. */
function seniorityBase(ctx: GrossContext, base: "smic" | "salary" | number, salary: Cents): { base: Cents; text: string } | undefined {
  if (base === "smic") return smicMonthly(ctx.params);
  if (base === "salary") return { base: salary, text: `salaire mensuel ${eur(salary)}` };
  const reference = toCents(base);
  return { base: reference, text: `base de référence ${eur(reference)}` };
}

export function seniority(ctx: GrossContext, salary: Cents): Seniority {
  const { codes, fraction } = ctx;
  const s = ctx.input.employee.seniority;
  if (!s) return { monthly: 0 };
  const partial = fraction.num < fraction.den;
  const prorata = partial ? `, au prorata ${fraction.num}/${fraction.den}` : "";
  if ("amount" in s) {
    const monthly = toCents(s.amount);
    const line = kindLine("seniority", codes, partOfMonth(monthly, fraction), `Montant fixe de ${eur(monthly)}${prorata}`);
    return { monthly, line };
  }
  const base = seniorityBase(ctx, s.base, salary);
  if (base === undefined) return { monthly: 0 };
  const rate = toRate4(s.rate);
  const monthly = applyPercent(base.base, rate);
  const line = kindLine("seniority", codes, partOfMonth(monthly, fraction), `${pct(rate)} × ${base.text}${prorata}`, {
    quantity: base.base,
    rate: rate,
    rateKind: "percent",
  });
  return { monthly, line };
}
