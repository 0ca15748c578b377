/**
 * Custom functions under the PAIE namespace. Metadata (custom-functions.json) is generated from these JSDoc tags at build
 * time by custom-functions-metadata; the build fails if it reports an error. French names for French users.
 */
import { centsToEuros } from "../../shared/core/fixed.ts";
import { computePayslip } from "../../shared/engine/compute.ts";
import type { PayslipInput } from "../../shared/schema/payslip-input.ts";

function quickInput(gross: number, period: string, category: string): PayslipInput {
  const cat = String(category).trim().toLowerCase().replace(/\s+/g, "-");
  if (cat !== "cadre" && cat !== "non-cadre") throw new Error("Catégorie : « cadre » ou « non-cadre » attendu");
  return {
    period: String(period).trim(),
    company: {},
    employee: { id: "PAIE", category: cat, hireDate: `${String(period).trim()}-01`, contractHours: 169, monthlySalary: gross },
  };
}

function run(gross: number, period: string, category: string) {
  const out = computePayslip(quickInput(gross, period, category));
  if (!out.ok) throw new Error(out.errors.map((e) => `${e.path} : ${e.message}`).join(" ; "));
  return out.result;
}

/**
 * Net payé d'un salarié à temps plein (169 h) pour un salaire brut mensuel.
 * @customfunction NET
 * @param brut Salaire brut mensuel en euros
 * @param periode Période AAAA-MM
 * @param categorie « cadre » ou « non-cadre »
 * @returns Net payé en euros
 */
export function net(brut: number, periode: string, categorie: string): number {
  return centsToEuros(run(brut, periode, categorie).netPaid);
}

/**
 * Coût employeur total pour un salaire brut mensuel.
 * @customfunction COUT
 * @param brut Salaire brut mensuel en euros
 * @param periode Période AAAA-MM
 * @param categorie « cadre » ou « non-cadre »
 * @returns Coût employeur en euros
 */
export function cout(brut: number, periode: string, categorie: string): number {
  return centsToEuros(run(brut, periode, categorie).employerCost);
}

/**
 * Montant d'une cotisation (part salariale + part patronale) pour un salaire brut mensuel.
 * @customfunction COTISATION
 * @param code Code de la cotisation (ex. 1901 pour la CAR)
 * @param brut Salaire brut mensuel en euros
 * @param periode Période AAAA-MM
 * @param categorie « cadre » ou « non-cadre »
 * @returns Montant total de la cotisation en euros (0 si elle ne s'applique pas)
 */
export function cotisation(code: string, brut: number, periode: string, categorie: string): number {
  const wanted = String(code).trim();
  const lines = run(brut, periode, categorie).contributions.filter((c) => c.code === wanted);
  return centsToEuros(lines.reduce((s, c) => s + (c.employeeAmount ?? 0) + (c.employerAmount ?? 0), 0));
}

/** Id (as in custom-functions.json) → implementation. */
export const CUSTOM_FUNCTIONS = { NET: net, COUT: cout, COTISATION: cotisation } as const;

declare const CustomFunctions: { associate(id: string, fn: (...args: never[]) => unknown): void } | undefined;
if (typeof CustomFunctions !== "undefined") {
  for (const [id, fn] of Object.entries(CUSTOM_FUNCTIONS)) CustomFunctions.associate(id, fn);
}
