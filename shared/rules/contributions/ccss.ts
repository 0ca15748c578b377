/**
 * CCSS (Caisse de Compensation des Services Sociaux): employer only, on the Monaco base up to the CCSS ceiling;
 * household employers may use 33 % of gross; directors pay on a flat base equal to the ceiling itself.
 */
import { eur } from "../../core/explain.ts";
import { divRound } from "../../core/fixed.ts";
import type { Rates } from "../../rates/reader.ts";
import type { TrancheResult } from "../ceilings.ts";
import { type ContributionEnv, prorated } from "./context.ts";
import { familyLines } from "./family.ts";
import { contributionLine } from "./line.ts";

export interface CcssOutcome {
  base: number;
  /** The running ceiling, for a capped base (none for a director's flat base). */
  split?: TrancheResult;
}

/** A director's flat base: the CCSS ceiling, prorated on a partial month (not confirmed by the CSM: said so). */
function directorCcss(env: ContributionEnv, rate: Rates | undefined): CcssOutcome {
  const ceiling = env.params.get("ccss.ceiling");
  if (ceiling === undefined || !rate) return { base: 0 };
  const base = prorated(env, ceiling);
  env.lines.push(
    contributionLine(
      "9311",
      base,
      rate,
      `Administrateur salarié : assiette forfaitaire égale au plafond CCSS ${eur(base)}${env.prorataText}${env.partial ? " (proratisation non confirmée par la CSM)" : ""}, quel que soit le salaire ; ${rate.text}`,
    ),
  );
  return { base };
}

export function ccssContributions(env: ContributionEnv, director: boolean): CcssOutcome {
  const company = env.input.company;
  const household = company.employerKind === "household";
  const rate = env.params.rates(undefined, household ? "ccss.household_rate" : "ccss.employer_rate");
  if (director) return directorCcss(env, rate);
  const reduced = household && company.householdReducedBase === true;
  const base = reduced ? divRound(env.monacoBase * 33, 100) : env.monacoBase;
  const split = familyLines(env, {
    family: "CCSS",
    base,
    ceilingId: "ccss.ceiling",
    codes: ["9301"],
    rates: [rate, undefined],
    baseText: reduced ? "33 % du salaire soumis (gens de maison)" : "Salaire soumis",
  });
  return { base: split.ta, split };
}
