/**
 * Absences, valued at the hourly rate with the seniority bonus included, and the employer's salary complements
 * (outside the CCSS, CAR and unemployment bases, as the catalogue says).
 */
import { eur, qty, rate4 } from "../../core/explain.ts";
import { applyUnitPrice, type Cents, toCents, toHundredths, unitPrice } from "../../core/fixed.ts";
import type { PayLine } from "../../core/result.ts";
import type { AbsenceInput } from "../../schema/payslip-input.ts";
import { type CodeMap, kindLine } from "../lines.ts";
import { type Contract, span } from "./context.ts";

const ABSENCE_KIND: Record<string, { absence: string; complement: string; label: string }> = {
  sick: { absence: "absence-sick", complement: "complement-sick", label: "maladie" },
  unpaid: { absence: "absence-unpaid", complement: "complement", label: "absence non rémunérée" },
  "unpaid-leave": { absence: "absence-unpaid-leave", complement: "complement", label: "congé sans solde" },
  maternity: { absence: "absence-maternity", complement: "complement-maternity", label: "maternité" },
  "work-accident": { absence: "absence-work-accident", complement: "complement-work-accident", label: "accident du travail" },
  // Loi n° 1.309 du 29 mai 2006 (21 or 28 calendar days since Loi n° 1.552 du 7 décembre 2023): the contract is
  // suspended and the CCSS pays the allowances, so the hours are deducted like maternity's.
  paternity: { absence: "absence-paternity", complement: "complement-paternity", label: "paternité" },
};

export interface Absences {
  lines: PayLine[];
  /** Hours absent (hundredths), deducted from the hours paid. */
  absentHours: number;
}

export function absenceLines(codes: CodeMap, contract: Contract, seniority: Cents, absences: readonly AbsenceInput[]): Absences {
  const { salary, hours } = contract;
  const lines: PayLine[] = [];
  if (absences.length === 0) return { lines, absentHours: 0 };
  const absenceRate = unitPrice(salary + seniority, hours);
  let absentHours = 0;
  for (const a of absences) {
    const kinds = ABSENCE_KIND[a.kind]!;
    const q = toHundredths(a.hours);
    absentHours += q;
    const detail = span(a.from, a.to);
    lines.push(
      kindLine(
        kinds.absence,
        codes,
        -applyUnitPrice(q, absenceRate),
        `${qty(q)} h × ${rate4(absenceRate)} € = (${eur(salary)} + ancienneté ${eur(seniority)}) ÷ ${qty(hours)} h`,
        { quantity: q, rate: absenceRate, rateKind: "unit", ...(detail ? { detail } : {}) },
      ),
    );
    if (a.complement) {
      lines.push(
        kindLine(
          kinds.complement,
          codes,
          toCents(a.complement),
          `Complément de salaire versé par l'employeur (${kinds.label}) ; hors assiettes CCSS, CAR et chômage`,
          detail ? { detail } : {},
        ),
      );
    }
  }
  return { lines, absentHours };
}
