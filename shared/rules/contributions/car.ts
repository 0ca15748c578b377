/** CAR (Caisse Autonome des Retraites): employee and employer on the Monaco base up to the CAR ceiling. */
import type { TrancheResult } from "../ceilings.ts";
import type { ContributionEnv } from "./context.ts";
import { familyLines } from "./family.ts";

export function carContributions(env: ContributionEnv): TrancheResult {
  const r = env.params.rates("car.employee_rate", "car.employer_rate");
  return familyLines(env, {
    family: "CAR",
    base: env.monacoBase,
    ceilingId: "car.ceiling",
    codes: ["1901"],
    rates: [r, undefined],
    baseText: "Salaire soumis",
  });
}
