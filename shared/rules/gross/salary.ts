/** The contract's monthly salary, less the days before an entry or after an exit. */
import { date, eur, qty, rate4 } from "../../core/explain.ts";
import { prorate } from "../../core/fixed.ts";
import type { PayLine } from "../../core/result.ts";
import { kindLine } from "../lines.ts";
import type { Contract, GrossContext } from "./context.ts";

export function salaryLines(ctx: GrossContext, contract: Contract): PayLine[] {
  const { input, codes, fraction } = ctx;
  const e = input.employee;
  const { salary, hours, hourly } = contract;
  const unit = input.company.prorata === "working-days" ? "jours ouvrés" : "jours calendaires";
  const lines = [
    kindLine("salary", codes, salary, `Salaire mensuel du contrat pour ${qty(hours)} h ; taux horaire ${rate4(hourly)} € = ${eur(salary)} ÷ ${qty(hours)} h`, {
      quantity: hours,
    }),
  ];
  if (fraction.beforeHire > 0) {
    const amount = -prorate(salary, fraction.beforeHire, fraction.den);
    lines.push(
      kindLine(
        "entry-deduction",
        codes,
        amount,
        `Entrée le ${date(e.hireDate)} : ${fraction.beforeHire} ${unit} non travaillés sur ${fraction.den} × ${eur(salary)}`,
        { quantity: fraction.beforeHire * 100 },
      ),
    );
  }
  if (fraction.afterExit > 0 && e.exitDate) {
    const amount = -prorate(salary, fraction.afterExit, fraction.den);
    lines.push(
      kindLine(
        "exit-deduction",
        codes,
        amount,
        `Sortie le ${date(e.exitDate)} : ${fraction.afterExit} ${unit} non travaillés sur ${fraction.den} × ${eur(salary)}`,
        { quantity: fraction.afterExit * 100 },
      ),
    );
  }
  return lines;
}
