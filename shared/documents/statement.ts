/**
 * Contributions statement (état des charges sociales) for one company and period: per organism and
 * contribution code, head count, summed base, rates and the sums of the employees' rounded amounts
 * (never a rate applied to the summed base: FINDINGS.md §I2).
 * The files (PDF, XLSX) are written by statement-files.ts.
 */

import type { PayslipResult } from "../core/result.ts";
import { type Fund, fundOf } from "./journal.ts";
import { type CompanyInfo, type EmployeeInfo, employeeIndex } from "./types.ts";

/** Cegid's organism numbering; AGIRC-ARRCO's code is not on the references (it ended in 2023), 004 is ours. */
export const STATEMENT_ORGANISMS: Record<Fund, { code: string; label: string }> = {
  AC: { code: "002", label: "FRANCE TRAVAIL" },
  RC: { code: "004", label: "AGIRC-ARRCO" },
  PREVOYANCE: { code: "005", label: "PREVOYANCE" },
  CCSS: { code: "101", label: "CCSS" },
  CAR: { code: "103", label: "CAR" },
  CMRC: { code: "105", label: "CMRC" },
};

export interface StatementLine {
  code: string;
  label: string;
  /** Regularisation of earlier months (printed "*R"). */
  recall: boolean;
  headCount: number;
  base: number;
  employeeRate?: number;
  employerRate?: number;
  globalRate: number;
  employeeAmount?: number;
  employerAmount?: number;
  globalAmount: number;
}

export interface StatementOrganism {
  code: string;
  label: string;
  lines: StatementLine[];
  men: number;
  women: number;
  /** Employees whose sex is not known: counted apart rather than guessed. */
  unknownSex: number;
  /** False when no line has an employee share (CCSS, contracts): the total is then printed blank, as on Cegid. */
  hasEmployeeShare: boolean;
  employeeAmount: number;
  employerAmount: number;
  globalAmount: number;
}

export interface Statement {
  company: CompanyInfo;
  period: string;
  organisms: StatementOrganism[];
  employeeAmount: number;
  employerAmount: number;
  globalAmount: number;
}

export function buildStatement(results: readonly PayslipResult[], options: { company: CompanyInfo; period: string; employees: EmployeeInfo[] }): Statement {
  const people = employeeIndex(options.employees);
  interface Acc extends StatementLine {
    who: Set<string>;
  }
  const byOrganism = new Map<string, { label: string; lines: Map<string, Acc>; who: Set<string> }>();
  for (const r of results) {
    if (r.period !== options.period) throw new Error(`Bulletin ${r.employeeId} de la période ${r.period}, état de ${options.period}`);
    for (const c of r.contributions) {
      const org = STATEMENT_ORGANISMS[fundOf(c)];
      let o = byOrganism.get(org.code);
      if (!o) {
        o = { label: org.label, lines: new Map(), who: new Set() };
        byOrganism.set(org.code, o);
      }
      o.who.add(r.employeeId);
      const recall = c.regularisation === true;
      // Same code at another rate (or a recall) is a separate line, as Cegid prints it.
      const key = [c.code, recall ? "R" : "", c.employeeRate ?? "", c.employerRate ?? "", c.label].join("\u0000");
      let line = o.lines.get(key);
      if (!line) {
        line = {
          code: c.code,
          label: c.label,
          recall,
          headCount: 0,
          base: 0,
          ...(c.employeeRate !== undefined ? { employeeRate: c.employeeRate } : {}),
          ...(c.employerRate !== undefined ? { employerRate: c.employerRate } : {}),
          globalRate: (c.employeeRate ?? 0) + (c.employerRate ?? 0),
          globalAmount: 0,
          who: new Set(),
        };
        o.lines.set(key, line);
      }
      line.who.add(r.employeeId);
      line.base += c.base;
      if (c.employeeAmount !== undefined) line.employeeAmount = (line.employeeAmount ?? 0) + c.employeeAmount;
      if (c.employerAmount !== undefined) line.employerAmount = (line.employerAmount ?? 0) + c.employerAmount;
      line.globalAmount += (c.employeeAmount ?? 0) + (c.employerAmount ?? 0);
    }
  }
  const organisms: StatementOrganism[] = [...byOrganism.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([code, o]) => {
      const lines = [...o.lines.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, { who, ...line }]) => ({ ...line, headCount: who.size }));
      let men = 0;
      let women = 0;
      let unknownSex = 0;
      for (const id of o.who) {
        const sex = people.get(id)?.sex;
        if (sex === "M") men++;
        else if (sex === "F") women++;
        else unknownSex++;
      }
      const employeeAmount = lines.reduce((s, l) => s + (l.employeeAmount ?? 0), 0);
      const employerAmount = lines.reduce((s, l) => s + (l.employerAmount ?? 0), 0);
      const hasEmployeeShare = lines.some((l) => l.employeeAmount !== undefined);
      return {
        code,
        label: o.label,
        lines,
        men,
        women,
        unknownSex,
        hasEmployeeShare,
        employeeAmount,
        employerAmount,
        globalAmount: employeeAmount + employerAmount,
      };
    });
  const employeeAmount = organisms.reduce((s, o) => s + o.employeeAmount, 0);
  const employerAmount = organisms.reduce((s, o) => s + o.employerAmount, 0);
  return { company: options.company, period: options.period, organisms, employeeAmount, employerAmount, globalAmount: employeeAmount + employerAmount };
}
