/**
 * Contribution lines, composed from the formulas of rules/contributions/: CAR, CCSS (employer only; directors on a
 * flat base equal to the CCSS ceiling), unemployment insurance TA/TB (none for directors), CMRC TA/TB from 2024 or
 * AGIRC-ARRCO before, and the company's contracts. Each line is base × rate rounded half-up to the cent, per side.
 * A progressive ceiling that changes a base produces an explicit regularisation line.
 */
import type { FamilyId } from "../rates/parameters.ts";
import type { CeilingCarryCents } from "./ceilings.ts";
import { carContributions } from "./contributions/car.ts";
import { ccssContributions } from "./contributions/ccss.ts";
import { type ContributionBases, type ContributionContext, type ContributionOutcome, contributionEnv } from "./contributions/context.ts";
import { contractContributions } from "./contributions/contracts.ts";
import { byCodeThenRegularisation } from "./contributions/line.ts";
import { agircArrcoContributions, cmrcContributions } from "./contributions/pension.ts";
import { unemploymentContributions } from "./contributions/unemployment.ts";
import { sortSmall } from "./lines.ts";

export type { ContributionContext, ContributionOutcome } from "./contributions/context.ts";

export function buildContributions(ctx: ContributionContext): ContributionOutcome {
  const env = contributionEnv(ctx);
  const e = ctx.input.employee;
  const director = e.director === true;
  const aff = { ac: e.affiliations?.ac ?? !director, car: e.affiliations?.car ?? true, rc: e.affiliations?.rc ?? true };
  const carry: Partial<Record<FamilyId, CeilingCarryCents>> = {};
  const bases: ContributionBases = { ccss: 0, car: 0, cmrcTA: 0, cmrcTB: 0, acTA: 0, acTB: 0 };

  if (aff.car) {
    const s = carContributions(env);
    carry.CAR = s.carry;
    bases.car = s.ta;
  }
  const ccss = ccssContributions(env, director);
  if (ccss.split) carry.CCSS = ccss.split.carry;
  bases.ccss = ccss.base;
  if (aff.ac && !director) {
    const s = unemploymentContributions(env);
    carry.AC = s.carry;
    bases.acTA = s.ta;
    bases.acTB = s.tb;
  }
  const regime = ctx.params.getText("pension.regime");
  if (aff.rc && regime === "cmrc") {
    const s = cmrcContributions(env);
    carry.CMRC = s.carry;
    bases.cmrcTA = s.ta;
    bases.cmrcTB = s.tb;
  } else if (aff.rc && regime === "agirc-arrco") {
    carry.RC = agircArrcoContributions(env).carry;
  }
  contractContributions(env);

  const lines = env.lines;
  sortSmall(lines, byCodeThenRegularisation);
  return { lines, carry, bases };
}
