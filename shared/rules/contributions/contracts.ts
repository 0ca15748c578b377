/** The company's own contracts (prévoyance, mutuelle), per category, on the base each contract names. */
import { eur, pct } from "../../core/explain.ts";
import { applyPercent, toCents, toRate4 } from "../../core/fixed.ts";
import type { ContractLineInput } from "../../schema/payslip-input.ts";
import { type ContributionEnv, capped } from "./context.ts";
import { contributionLine } from "./line.ts";

/** A contract's base with its words, or undefined (error recorded) when the parameter it needs is missing. */
function contractBase(env: ContributionEnv, base: ContractLineInput["base"]): { base: number; text: string } | undefined {
  const { params, otherBase, prorataText } = env;
  switch (base.kind) {
    case "gross":
      return { base: otherBase, text: `salaire brut ${eur(otherBase)}` };
    case "ta": {
      const pmss = params.get("pmss");
      if (pmss === undefined) return undefined;
      const b = capped(env, otherBase, pmss);
      return { base: b, text: `salaire limité au PMSS${prorataText} ${eur(b)}` };
    }
    case "ccss-capped": {
      const ceiling = params.get("ccss.ceiling");
      if (ceiling === undefined) return undefined;
      const b = capped(env, otherBase, ceiling);
      return { base: b, text: `salaire limité au plafond CCSS${prorataText} ${eur(b)}` };
    }
    case "pmss-percent": {
      const pmss = params.get("pmss");
      if (pmss === undefined) return undefined;
      const percent = toRate4(base.percent);
      return { base: applyPercent(toCents(pmss), percent), text: `forfait ${pct(percent)} du PMSS ${eur(toCents(pmss))}` };
    }
    case "flat": {
      const b = toCents(base.amount);
      return { base: b, text: `base forfaitaire ${eur(b)}` };
    }
  }
}

export function contractContributions(env: ContributionEnv): void {
  const e = env.input.employee;
  for (const c of env.input.company.contracts ?? []) {
    if (c.appliesTo !== "all" && c.appliesTo !== e.category) continue;
    const base = contractBase(env, c.base);
    if (base === undefined) continue;
    const rates: { employee?: number; employer?: number } = {};
    if (c.employeeRate !== undefined) rates.employee = toRate4(c.employeeRate);
    if (c.employerRate !== undefined) rates.employer = toRate4(c.employerRate);
    const parts = [
      rates.employee !== undefined ? `salarié ${pct(rates.employee)}` : "",
      rates.employer !== undefined ? `employeur ${pct(rates.employer)}` : "",
    ].filter(Boolean);
    env.lines.push(
      contributionLine(c.code, base.base, rates, `Contrat de l'entreprise : ${base.text} ; ${parts.join(" ; ")}`, {
        label: c.label,
        organism: c.organism ?? "PREVOYANCE",
        family: "CONTRACT",
      }),
    );
  }
}
