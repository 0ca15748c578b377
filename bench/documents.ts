/**
 * Documents benchmark: a 300-employee company's month — 300 payslip PDFs (font embedded and subset), the pay
 * journal (PDF, CSV, XLSX), the contributions statement (PDF, XLSX), the paid-leave provision (PDF, XLSX)
 * and the DSM XML — generated sequentially on one core. Targets: under 3 s in total, a payslip under 80 KB.
 */
import { performance } from "node:perf_hooks";
import { loadDocumentFonts } from "../functions/documents/fonts.ts";
import { writeXlsx } from "../functions/documents/xlsx.ts";
import type { PayslipResult } from "../shared/core/result.ts";
import { buildDsmXml } from "../shared/documents/dsm/dsm.ts";
import { buildJournal, journalCsv, journalSheets, renderJournalPdf } from "../shared/documents/journal.ts";
import { renderPayslipPdf } from "../shared/documents/payslip.ts";
import { computeProvision, provisionEmployeesFromResults, provisionSheets, renderProvisionPdf } from "../shared/documents/provision.ts";
import { buildStatement, renderStatementPdf, statementSheets } from "../shared/documents/statement.ts";
import type { EmployeeInfo } from "../shared/documents/types.ts";
import { company } from "../tests/documents/fixtures/identities.ts";
import { bs202508a, bs202508c } from "../tests/documents/fixtures/payslips.ts";

const EMPLOYEES = 300;

function staff(): { results: PayslipResult[]; employees: EmployeeInfo[] } {
  const results: PayslipResult[] = [];
  const employees: EmployeeInfo[] = [];
  for (let i = 0; i < EMPLOYEES; i++) {
    const base = i % 10 === 0 ? bs202508c : bs202508a;
    const id = `M${String(i + 1).padStart(5, "0")}`;
    results.push({ ...structuredClone(base), employeeId: id });
    employees.push({
      id,
      lastName: `Salarié-${i + 1}`,
      firstName: i % 2 ? "Élodie" : "François",
      sex: i % 2 ? "F" : "M",
      birthDate: "1980-01-01",
      hireDate: "2015-09-01",
      addressLines: [`${i + 1}, boulevard des Moulins`, "98000 MONACO"],
      job: "EMPLOYÉ(E) ADMINISTRATIF(VE)",
      qualification: "Employé",
      ccssNumber: String(100000 + i),
    });
  }
  return { results, employees };
}

export async function run(): Promise<Record<string, unknown>> {
  const fonts = loadDocumentFonts();
  const { results, employees } = staff();
  const byId = new Map(employees.map((e) => [e.id, e]));
  // Warm-up outside the measure: module JIT and the one-time font parse, which a long-running host pays once.
  await renderPayslipPdf({ result: results[0]!, employee: employees[0]!, company }, fonts);

  // CPU time is what "one core" means and is what we compare with the target: wall time on a shared CI
  // machine mostly measures the neighbours. Both are reported.
  const timings: Record<string, number> = {};
  const wall: Record<string, number> = {};
  const time = async <T>(name: string, f: () => Promise<T> | T): Promise<T> => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const out = await f();
    const c = process.cpuUsage(c0);
    timings[name] = Math.round((c.user + c.system) / 1000);
    wall[name] = Math.round(performance.now() - t0);
    return out;
  };

  const sizes = await time("payslips", async () => {
    const out: number[] = [];
    for (const r of results) out.push((await renderPayslipPdf({ result: r, employee: byId.get(r.employeeId)!, company }, fonts)).length);
    return out;
  });
  await time("journal", async () => {
    const j = buildJournal(results, { company, period: "2025-08", employees });
    journalCsv(j);
    await writeXlsx(journalSheets(j));
    await renderJournalPdf(j, fonts);
  });
  await time("statement", async () => {
    const s = buildStatement(results, { company, period: "2025-08", employees });
    await writeXlsx(statementSheets(s));
    await renderStatementPdf(s, fonts);
  });
  await time("provision", async () => {
    const p = computeProvision({
      company,
      closingDate: "2025-08-31",
      carryOverAsOf: "2024-05-01",
      previousPeriod: { start: "2024-05-01", end: "2025-04-30" },
      currentPeriod: { start: "2025-05-01", end: "2025-08-31" },
      employees: provisionEmployeesFromResults(results, employees),
    });
    await writeXlsx(provisionSheets(p));
    await renderProvisionPdf(p, fonts);
  });
  await time("dsm", () => buildDsmXml({ company, period: "2025-08", results, employees }));

  const totalMs = Object.values(timings).reduce((s, v) => s + v, 0);
  const maxPayslipBytes = Math.max(...sizes);
  return {
    employees: EMPLOYEES,
    cpuMs: timings,
    wallMs: wall,
    totalCpuMs: totalMs,
    totalWallMs: Object.values(wall).reduce((s, v) => s + v, 0),
    payslipMsEach: Math.round(((timings.payslips ?? 0) / EMPLOYEES) * 10) / 10,
    payslipBytesAvg: Math.round(sizes.reduce((s, v) => s + v, 0) / sizes.length),
    payslipBytesMax: maxPayslipBytes,
    targets: { totalUnder3s: totalMs < 3000, payslipUnder80KB: maxPayslipBytes < 80 * 1024 },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run().then((r) => console.log(JSON.stringify(r, null, 2)));
}
