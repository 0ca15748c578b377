/**
 * Contributions statement (état des charges sociales) for one company and period: per organism and
 * contribution code, head count, summed base, rates and the sums of the employees' rounded amounts
 * (never a rate applied to the summed base: FINDINGS.md §I2).
 */

import { formatCents, formatDate, formatPeriod, formatRate4 } from "../core/format.ts";
import { periodEnd } from "../core/period.ts";
import type { PayslipResult } from "../core/result.ts";
import { fundOf } from "./journal.ts";
import { ORGANISMS } from "./organisms.ts";
import { int, money, type Row, rate4, type Sheet } from "./spreadsheet.ts";
import { renderTablePdf, type TableRow } from "./table.ts";
import { type CompanyInfo, type EmployeeInfo, employeeIndex, type Fonts } from "./types.ts";

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
      const org = ORGANISMS[fundOf(c)];
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

const opt = (v: number | undefined, f: (n: number) => string) => (v === undefined ? "" : f(v));

function sexCounts(o: StatementOrganism): string {
  return `Hommes : ${o.men}   Femmes : ${o.women}${o.unknownSex ? `   Non renseigné : ${o.unknownSex}` : ""}`;
}

export async function renderStatementPdf(statement: Statement, fonts: Fonts): Promise<Uint8Array> {
  const end = periodEnd(statement.period);
  const rows: TableRow[] = [];
  for (const o of statement.organisms) {
    rows.push({ cells: [o.code, o.label], bold: true, ruleAbove: true });
    for (const l of o.lines) {
      rows.push({
        cells: [
          l.code,
          l.recall ? `${l.label} *R` : l.label,
          String(l.headCount),
          formatCents(l.base),
          opt(l.employeeRate, formatRate4),
          opt(l.employerRate, formatRate4),
          formatRate4(l.globalRate),
          opt(l.employeeAmount, formatCents),
          opt(l.employerAmount, formatCents),
          formatCents(l.globalAmount),
        ],
      });
    }
    rows.push({
      cells: [
        "",
        `TOTAL ${o.label}`,
        "",
        "",
        "",
        "",
        "",
        o.hasEmployeeShare ? formatCents(o.employeeAmount) : "",
        formatCents(o.employerAmount),
        formatCents(o.globalAmount),
      ],
      bold: true,
      shade: true,
    });
    rows.push({ cells: ["", sexCounts(o)] });
  }
  rows.push({
    cells: [
      "",
      "TOTAL GLOBAL",
      "",
      "",
      "",
      "",
      "",
      formatCents(statement.employeeAmount),
      formatCents(statement.employerAmount),
      formatCents(statement.globalAmount),
    ],
    bold: true,
    shade: true,
    ruleAbove: true,
  });
  return renderTablePdf(
    {
      title: "État des charges sociales",
      subtitle: [
        `${statement.company.name} — N° employeur CCSS ${statement.company.ccssEmployerNumber}`,
        `Période du ${formatDate(`${statement.period}-01`)} au ${formatDate(end)} (${formatPeriod(statement.period)})`,
      ],
      columns: [
        { header: "Code", width: 6 },
        { header: "Libellé", width: 26 },
        { header: "Nbre sal.", width: 6, align: "right" },
        { header: "Base", width: 13, align: "right" },
        { header: "Taux sal.", width: 7, align: "right" },
        { header: "Taux pat.", width: 7, align: "right" },
        { header: "Taux glo.", width: 7, align: "right" },
        { header: "Montant salarial", width: 11, align: "right" },
        { header: "Montant patronal", width: 11, align: "right" },
        { header: "Montant global", width: 11, align: "right" },
      ],
      rows,
      notes: ["*R : rappel (régularisation de périodes antérieures). Montants : somme des montants arrondis de chaque salarié."],
      landscape: true,
      date: end,
    },
    fonts,
  );
}

/** The sheet of the `.xlsx` export (written by functions/documents/xlsx.ts). */
export function statementSheets(statement: Statement): Sheet[] {
  const rows: Row[] = [
    { cells: [`État des charges sociales — ${statement.company.name}`], bold: true },
    { cells: [`Période : ${formatPeriod(statement.period)}`] },
    { cells: [] },
    {
      cells: [
        "Organisme",
        "Code",
        "Libellé",
        "Rappel",
        "Nbre salariés",
        "Base",
        "Taux sal.",
        "Taux pat.",
        "Taux glo.",
        "Montant salarial",
        "Montant patronal",
        "Montant global",
      ],
      bold: true,
    },
  ];
  for (const o of statement.organisms) {
    for (const l of o.lines) {
      rows.push({
        cells: [
          `${o.code} ${o.label}`,
          l.code,
          l.label,
          l.recall ? "*R" : "",
          int(l.headCount),
          money(l.base),
          l.employeeRate !== undefined ? rate4(l.employeeRate) : null,
          l.employerRate !== undefined ? rate4(l.employerRate) : null,
          rate4(l.globalRate),
          l.employeeAmount !== undefined ? money(l.employeeAmount) : null,
          l.employerAmount !== undefined ? money(l.employerAmount) : null,
          money(l.globalAmount),
        ],
      });
    }
    rows.push({
      cells: [
        `${o.code} ${o.label}`,
        "",
        `TOTAL ${o.label}`,
        "",
        sexCounts(o),
        null,
        null,
        null,
        null,
        o.hasEmployeeShare ? money(o.employeeAmount) : null,
        money(o.employerAmount),
        money(o.globalAmount),
      ],
      bold: true,
    });
  }
  rows.push({
    cells: [
      "",
      "",
      "TOTAL GLOBAL",
      "",
      "",
      null,
      null,
      null,
      null,
      money(statement.employeeAmount),
      money(statement.employerAmount),
      money(statement.globalAmount),
    ],
    bold: true,
  });
  return [{ name: "Charges sociales", columnWidths: [20, 7, 34, 7, 26, 14, 9, 9, 9, 15, 15, 15], rows }];
}
