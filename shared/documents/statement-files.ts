/**
 * The contributions statement's files: the PDF and the XLSX of the Statement that statement.ts builds; nothing
 * here computes an amount.
 */

import { formatCents, formatDate, formatPeriod, formatRate4 } from "../core/format.ts";
import { periodEnd } from "../core/period.ts";
import type { Statement, StatementOrganism } from "./statement.ts";
import { renderTablePdf, type TableRow } from "./table.ts";
import type { Fonts } from "./types.ts";
import { int, money, type Row, rate4, writeXlsx } from "./xlsx.ts";

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

export function statementXlsx(statement: Statement): Uint8Array {
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
  return writeXlsx([{ name: "Charges sociales", columnWidths: [20, 7, 34, 7, 26, 14, 9, 9, 9, 15, 15, 15], rows }]);
}
