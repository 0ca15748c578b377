/** What every contribution formula reads, and the lines they add to (in the order the families are computed). */
import { prorate, toCents } from "../../core/fixed.ts";
import type { ContributionLine } from "../../core/result.ts";
import type { FamilyId } from "../../rates/parameters.ts";
import type { ParameterReader } from "../../rates/reader.ts";
import type { PayslipInput } from "../../schema/payslip-input.ts";
import type { CeilingCarryCents } from "../ceilings.ts";
import type { EmploymentFraction } from "../gross/fraction.ts";

export interface ContributionContext {
  input: PayslipInput;
  /** The parameters in force on the period's last day. */
  params: ParameterReader;
  fraction: EmploymentFraction;
  monacoBase: number;
  otherBase: number;
  carry: Partial<Record<FamilyId, CeilingCarryCents>>;
  error: (code: string, path: string, message: string) => void;
}

export interface ContributionBases {
  ccss: number;
  car: number;
  cmrcTA: number;
  cmrcTB: number;
  acTA: number;
  acTB: number;
}

export interface ContributionOutcome {
  lines: ContributionLine[];
  carry: Partial<Record<FamilyId, CeilingCarryCents>>;
  bases: ContributionBases;
}

/** The context with what every family derives from it once: the prorata and the lines built so far. */
export interface ContributionEnv extends ContributionContext {
  partial: boolean;
  /** " proratisé 17/31" on a partial month, else "". */
  prorataText: string;
  lines: ContributionLine[];
}

export function contributionEnv(ctx: ContributionContext): ContributionEnv {
  const { fraction } = ctx;
  const partial = fraction.num < fraction.den;
  return { ...ctx, partial, prorataText: partial ? ` proratisé ${fraction.num}/${fraction.den}` : "", lines: [] };
}

/** A monthly amount in euros (a ceiling, the PMSS) in cents, prorated on a partial month. */
export function prorated(env: ContributionEnv, euros: number): number {
  return env.partial ? prorate(toCents(euros), env.fraction.num, env.fraction.den) : toCents(euros);
}

/** A base capped at a monthly ceiling (euros, prorated), never negative. */
export function capped(env: ContributionEnv, base: number, ceilingEuros: number, multiple = 1): number {
  return Math.max(0, Math.min(base, multiple * prorated(env, ceilingEuros)));
}
