/**
 * `paie month FILE.xlsx [--out DIR] [--company FILE.json] [--period AAAA-MM]`: a month outside Excel, on a real
 * workbook. The `.xlsx` is read into the same sheets the pane reads (bin/read-workbook.ts), validated and calculated
 * by the add-in's own code and the engine, then submitted, run, documented and mailed on the embedded local stack
 * (bin/demo.ts processMonth). The result tables (`Bulletins`, `Détail`, `Charges`, `Journal` and the hidden
 * `Cumuls` of the month) are written back into a COPY of the workbook under DIR; the original is never touched.
 * A workbook with errors stops before anything starts, each error named by sheet and cell as in the add-in.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import { carrySheet, resultSheet } from "../addin/workbook/period.ts";
import { chargesRows, detailRows, type Grid, journalRows, type NamedResult, payslipRows } from "../addin/workbook/results.ts";
import { CompanyBody, companyInfo, engineCompany } from "../shared/api/company.ts";
import { isPeriod } from "../shared/core/period.ts";
import { compileChecker } from "../shared/schema/checker.ts";
import { schemaIssues } from "../shared/schema/validate.ts";
import { type DemoSummary, processMonth } from "./demo.ts";
import { buildMonthFromXlsx, describeIssue, MAX_XLSX_BYTES } from "./read-workbook.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const checkCompany = compileChecker(CompanyBody);

export class MonthCommandError extends Error {}

function readCompany(file: string): CompanyBody {
  if (!existsSync(file)) throw new MonthCommandError(`Fichier société introuvable : ${file}`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    throw new MonthCommandError(`${file} : ce n'est pas du JSON lisible.`);
  }
  // The samples' layout ({ company: … }) or the company itself.
  const company = (json as { company?: unknown })?.company ?? json;
  if (!checkCompany.Check(company)) {
    const first = schemaIssues(company, checkCompany)[0];
    throw new MonthCommandError(`${file} : société invalide — ${first?.message ?? "format non reconnu"}`);
  }
  return company as CompanyBody;
}

/** The workbook with this month's result sheets replaced (what Calculate writes in Excel), as bytes. */
export async function withResultSheets(original: Uint8Array, period: string, results: readonly NamedResult[], company: CompanyBody): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(original as unknown as ArrayBuffer);
  const journal = journalRows(results, { period, company: companyInfo(company), ...(company.chartOfAccounts ? { chart: company.chartOfAccounts } : {}) });
  const grids: [string, Grid, boolean][] = [
    [resultSheet("Bulletins", period), payslipRows(results), false],
    [resultSheet("Détail", period), detailRows(results), false],
    [resultSheet("Charges", period), chargesRows(results), false],
    [resultSheet("Journal", period), journal.grid, false],
    [carrySheet(period), [["Matricule", "Cumuls"], ...results.map((r) => [r.result.employeeId, JSON.stringify(r.result.carry)])], true],
  ];
  for (const [name, grid, hidden] of grids) {
    const existing = book.getWorksheet(name);
    if (existing) book.removeWorksheet(existing.id);
    const ws = book.addWorksheet(name, { state: hidden ? "hidden" : "visible", views: [{ state: "frozen", ySplit: 1 }] });
    for (const row of grid) ws.addRow(row.map((v) => (v === undefined ? null : v)));
    ws.getRow(1).font = { bold: true };
  }
  return new Uint8Array(await book.xlsx.writeBuffer());
}

export async function runMonthFile(
  file: string,
  options: { out?: string; company?: string; period?: string; log?: (line: string) => void } = {},
): Promise<DemoSummary & { workbook: string }> {
  const say = options.log ?? ((l: string) => console.log(l));
  if (options.period !== undefined && !isPeriod(options.period))
    throw new MonthCommandError(`--period « ${options.period} » : un mois AAAA-MM est attendu (par exemple 2025-08).`);
  if (!existsSync(file)) throw new MonthCommandError(`Classeur introuvable : ${file}`);
  if (statSync(file).size > MAX_XLSX_BYTES) throw new MonthCommandError(`${file} : plus de ${MAX_XLSX_BYTES / 1024 / 1024} Mo, refusé.`);
  const companyFile = options.company ?? path.join(ROOT, "samples/demo-company.json");
  if (!options.company) say(`Société : ${path.relative(process.cwd(), companyFile)} (société de démonstration ; --company FICHIER pour une autre)`);
  const company = readCompany(companyFile);
  const bytes = new Uint8Array(readFileSync(file));
  const month = await buildMonthFromXlsx(bytes, {
    company: engineCompany({ ...company, updatedAt: "", updatedBy: "" }),
    employerNumber: company.ccssEmployerNumber,
    ...(options.period ? { period: options.period } : {}),
  });
  const errors = month.issues.filter((i) => i.severity === "error");
  if (!month.build || errors.length) {
    for (const i of month.issues) say(`    ${i.severity === "error" ? "✗" : "•"} ${describeIssue(i)}`);
    throw new MonthCommandError(`${errors.length || month.issues.length} erreur(s) dans ${path.basename(file)} : rien n'a été soumis.`);
  }
  const out = path.resolve(options.out ?? "paie-out");
  const copy = path.join(out, `${path.basename(file, path.extname(file))} — résultats ${month.period}.xlsx`);
  const summary = await processMonth(
    {
      company,
      build: month.build,
      onResults: async (results) => {
        mkdirSync(out, { recursive: true });
        writeFileSync(copy, await withResultSheets(bytes, month.build!.period, results, company));
      },
    },
    { out, log: say },
  );
  say(`    Classeur avec les résultats (copie) : ${copy}`);
  return { ...summary, workbook: copy };
}

export async function monthCommand(args: string[], out: (line: string) => void): Promise<number> {
  const file = args.find((a, i) => !a.startsWith("--") && !["--out", "--company", "--period"].includes(args[i - 1] ?? ""));
  // The last occurrence wins: `npm run demo -- --out DIR` overrides the script's own --out.
  const value = (flag: string) => {
    const i = args.lastIndexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  if (!file) {
    out("Usage : paie month CLASSEUR.xlsx [--out DOSSIER] [--company SOCIETE.json] [--period AAAA-MM]");
    return 2;
  }
  for (const flag of ["--out", "--company", "--period"]) {
    if (args.includes(flag) && !value(flag)) {
      out(`${flag} demande une valeur`);
      return 2;
    }
  }
  try {
    const o = value("--out");
    const c = value("--company");
    const p = value("--period");
    await runMonthFile(file, { ...(o ? { out: o } : {}), ...(c ? { company: c } : {}), ...(p ? { period: p } : {}), log: out });
    return 0;
  } catch (e) {
    out(e instanceof MonthCommandError ? e.message : `Échec : ${(e as Error).message}`);
    return 1;
  }
}
