/** Unemployment insurance (AC): TA up to the PMSS, TB up to 4 PMSS; directors are not affiliated. */
import type { TrancheResult } from "../ceilings.ts";
import type { ContributionEnv } from "./context.ts";
import { familyLines } from "./family.ts";

export function unemploymentContributions(env: ContributionEnv): TrancheResult {
  const r = env.params.rates("ac.employee_rate", "ac.employer_rate");
  return familyLines(env, { family: "AC", base: env.monacoBase, ceilingId: "pmss", codes: ["7001", "7121"], rates: [r, r], baseText: "Salaire soumis" });
}
