/**
 * The pay journal's files: the semicolon CSV for accounting imports, the XLSX and the PDF, all from the Journal
 * that journal.ts builds (and balances); nothing here computes an amount.
 */

import { formatCents, formatCentsPlain, formatDate, formatLongDate } from "../core/format.ts";
import { csvField } from "./formula-cells.ts";
import type { Journal } from "./journal.ts";
import { renderTablePdf } from "./table.ts";
import type { Fonts } from "./types.ts";
import { money, type Row, writeXlsx } from "./xlsx.ts";

/** Semicolon CSV in French format (dates dd/mm/yyyy, decimal comma, no grouping), CRLF, for accounting imports. */
export function journalCsv(journal: Journal, options: { bom?: boolean } = {}): string {
  const rows = [["Journal", "Date", "Compte", "Auxiliaire", "Libellé", "Folio", "Ligne", "Débit", "Crédit"].join(";")];
  for (const l of journal.lines) {
    rows.push(
      // Every text field through csvField: a formula-like code, account, auxiliary or label is neutralised.
      [
        csvField(journal.journalCode),
        formatDate(l.date),
        csvField(l.account),
        csvField(l.auxiliary ?? ""),
        csvField(l.label),
        String(l.folio),
        String(l.line),
        formatCentsPlain(l.debit),
        formatCentsPlain(l.credit),
      ].join(";"),
    );
  }
  // Excel opens a BOM-less UTF-8 CSV as Windows-1252 and garbles the accents.
  return `${(options.bom === false ? "" : "\uFEFF") + rows.join("\r\n")}\r\n`;
}

export function journalXlsx(journal: Journal): Uint8Array {
  const rows: Row[] = [
    { cells: [`Journal de paie — ${journal.company.name}`], bold: true },
    { cells: [`Date comptable : ${formatDate(journal.date)}`] },
    { cells: [] },
    { cells: ["Compte", "Date", "Folio", "Ligne", "Auxiliaire", "Libellé", "Débit", "Crédit"], bold: true },
  ];
  for (const f of journal.folios) {
    for (const l of journal.lines.filter((x) => x.folio === f.folio)) {
      rows.push({ cells: [l.account, formatDate(l.date), String(l.folio), String(l.line), l.auxiliary ?? "", l.label, money(l.debit), money(l.credit)] });
    }
    rows.push({ cells: ["", "", "", "", "", `Total folio ${f.folio}`, money(f.debit), money(f.credit)], bold: true });
  }
  rows.push({ cells: ["", "", "", "", "", "Total établissement", money(journal.debit), money(journal.credit)], bold: true });
  rows.push({ cells: ["", "", "", "", "", "Total général", money(journal.debit), money(journal.credit)], bold: true });
  return writeXlsx([{ name: "Journal de paie", columnWidths: [14, 11, 6, 6, 12, 44, 14, 14], rows }]);
}

export async function renderJournalPdf(journal: Journal, fonts: Fonts): Promise<Uint8Array> {
  const rows = [];
  for (const f of journal.folios) {
    for (const l of journal.lines.filter((x) => x.folio === f.folio)) {
      rows.push({
        cells: [
          l.account,
          formatDate(l.date),
          String(l.folio),
          String(l.line),
          l.auxiliary ?? "",
          l.label,
          l.debit ? formatCents(l.debit) : "",
          l.credit ? formatCents(l.credit) : "",
        ],
      });
    }
    rows.push({ cells: ["", "", "", "", "", `Total folio ${f.folio}`, formatCents(f.debit), formatCents(f.credit)], bold: true, shade: true });
  }
  rows.push({
    cells: ["", "", "", "", "", "Total établissement", formatCents(journal.debit), formatCents(journal.credit)],
    bold: true,
    shade: true,
    ruleAbove: true,
  });
  rows.push({ cells: ["", "", "", "", "", "Total général", formatCents(journal.debit), formatCents(journal.credit)], bold: true, shade: true });
  return renderTablePdf(
    {
      title: `Journal de paie — OD de paie ${journal.journalCode}`,
      subtitle: [journal.company.name, `en date du ${formatLongDate(journal.date)}`],
      columns: [
        { header: "Compte", width: 11 },
        { header: "Date", width: 9 },
        { header: "Folio", width: 5, align: "right" },
        { header: "Ligne", width: 5, align: "right" },
        { header: "Auxiliaire", width: 11 },
        { header: "Libellé", width: 35 },
        { header: "Débit", width: 12, align: "right" },
        { header: "Crédit", width: 12, align: "right" },
      ],
      rows,
      landscape: true,
      date: journal.date,
    },
    fonts,
  );
}
