/**
 * `npm run demo [-- --out DIR]`: one sample month end to end, headless, on the embedded local stack —
 * validate and calculate the demo workbook with the add-in's own code and the engine, submit it to the API,
 * run the payroll (documents into Blob Storage, payslips sealed with a test certificate made for the run), print the
 * letters that give each employee their document code (test secrets, made for the run), dispatch the mails (.eml files
 * in the outbox, each payslip AES-256-encrypted with its employee's code, then sealed), then print a summary and, with
 * --out, write every document, the code letters and the mails under DIR.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildMonth, type MonthBuild } from "../addin/workbook/build.ts";
import { EMPLOYEE_COLUMNS } from "../addin/workbook/columns.ts";
import { REPRISE_SHEET } from "../addin/workbook/reprise.ts";
import type { NamedResult } from "../addin/workbook/results.ts";
import { parseTable } from "../addin/workbook/table.ts";
import { startLocalStack } from "../functions/host/local-stack.ts";
import { documentCodeLetters } from "../functions/payroll/document-codes.ts";
import { type CompanyBody, engineCompany } from "../shared/api/company.ts";
import { type PeriodTotals, periodTotals } from "../shared/documents/totals.ts";
import { computePayslip } from "../shared/engine/compute.ts";
import { summarise } from "../shared/engine/summary.ts";
import { totalsLines } from "./summary-totals.ts";

const ROOT = path.resolve(import.meta.dirname, "..");

/** The master data the API stores, from the demo workbook's `Salariés` table (parsed by the add-in's own code). */
export function demoStaff(employees: unknown[][]): Record<string, unknown>[] {
  const rows = parseTable({ name: "Salariés", values: employees as never, rowIndex: 0, columnIndex: 0 }, EMPLOYEE_COLUMNS).rows;
  const staff = rows.map((r) => {
    const f = r.fields as Record<string, unknown>;
    return {
      employeeId: String(f.id),
      lastName: String(f.lastName),
      firstName: String(f.firstName ?? ""),
      ...(f.email ? { email: String(f.email) } : {}),
      active: true,
      hireDate: String(f.hireDate),
      ...(f.exitDate ? { exitDate: String(f.exitDate) } : {}),
      data: {
        job: f.job,
        qualification: f.qualification,
        ccssNumber: f.ccss,
        birthDate: f.birthDate,
        sex: f.sex,
        ...(f.teleworkCountry ? { teleworkCountry: f.teleworkCountry } : {}),
        affiliations: { ac: f.ac !== false, rc: f.rc !== false, car: f.car !== false },
      },
    };
  });
  // Drops undefined fields, as JSON would.
  return JSON.parse(JSON.stringify(staff));
}

export interface DemoSummary {
  period: string;
  companyId: string;
  employees: number;
  issues: number;
  status: string;
  documents: string[];
  mails: Record<string, number>;
  outbox: string;
  out?: string;
  /** The printable letters with each employee's document code (the secret that opens their mailed payslip). */
  codeLetters: string;
  totals: PeriodTotals;
}

/** What is processed: a company, its month as the add-in built it, and (demo) master data the API stores first. */
export interface MonthToProcess {
  company: CompanyBody;
  build: MonthBuild;
  /** Rows for the admin PUT of master data; without it the Salariés rows travel with the submission only. */
  staff?: Record<string, unknown>[];
  /** Called with the results once computed, before anything is stored (e.g. to write them back into a workbook). */
  onResults?: (results: NamedResult[]) => Promise<void>;
}

export async function runDemo(options: { out?: string; log?: (line: string) => void } = {}): Promise<DemoSummary> {
  const companyFile = JSON.parse(readFileSync(path.join(ROOT, "samples/demo-company.json"), "utf8"));
  const workbook = JSON.parse(readFileSync(path.join(ROOT, "samples/demo-workbook-2025-08.json"), "utf8"));
  const company = companyFile.company as CompanyBody;
  const period: string = workbook.period;
  const build = buildMonth({
    period,
    employees: { name: "Salariés", values: workbook.employees, rowIndex: 0, columnIndex: 0 },
    variables: { name: `Variables ${period}`, values: workbook.variables, rowIndex: 0, columnIndex: 0 },
    // The demo company arrives on the product in August: its opening cumuls come from the Reprise sheet.
    ...(workbook.reprise ? { reprise: { name: REPRISE_SHEET, values: workbook.reprise, rowIndex: 0, columnIndex: 0 } } : {}),
    company: engineCompany({ ...company, updatedAt: "", updatedBy: "" }),
  });
  return processMonth({ company, build, staff: demoStaff(workbook.employees) }, options);
}

/**
 * One month end to end on the embedded local stack: validate (the build's issues), calculate, submit, run the payroll,
 * print the code letters, dispatch the mails, then copy every document, letter and mail under `out`.
 */
export async function processMonth(month: MonthToProcess, options: { out?: string; log?: (line: string) => void } = {}): Promise<DemoSummary> {
  const say = options.log ?? ((l: string) => console.log(l));
  const { company, build } = month;
  const period = build.period;
  // The stack's own outbox is scratch space, removed at the end; what the user reads is copied to `out`
  // (default ./demo-out), so no temporary folder is left behind.
  const out = path.resolve(options.out ?? "demo-out");

  say(`1/6 Validation et calcul du classeur ${period} (code du complément Excel + moteur)`);
  const blocking = build.issues.filter((i) => i.severity === "error");
  for (const i of build.issues) say(`    ${i.severity === "error" ? "✗" : "•"} ${[i.sheet, i.address, i.message].filter(Boolean).join(" ")}`);
  if (blocking.length) throw new Error(`${blocking.length} erreur(s) dans le classeur`);
  const results = build.inputs.map((input) => {
    const o = computePayslip(input);
    if (!o.ok) throw new Error(`${input.employee.id} : ${o.errors[0]?.message}`);
    return o.result;
  });
  const named = results.map((result) => {
    const s = build.staff.find((r) => r.employeeId === result.employeeId);
    return { result, ...(s ? { lastName: s.lastName, ...(s.firstName ? { firstName: s.firstName } : {}) } : {}) };
  });
  await month.onResults?.(named);

  const work = mkdtempSync(path.join(tmpdir(), "paie-demo-"));
  const outbox = path.join(work, "outbox");
  say("2/6 Démarrage de la pile locale (Azurite, fonctions)…");
  const stack = await startLocalStack({ outbox, port: 0 });
  try {
    const api = async (method: string, route: string, body?: unknown) => {
      const res = await fetch(`${stack.host.url}/api/${route}`, {
        method,
        headers: { "Content-Type": "application/json" },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      const json = text ? JSON.parse(text) : undefined;
      if (!res.ok) throw new Error(`${method} ${route} → ${res.status} ${json?.error?.message ?? text}`);
      return json;
    };

    say("3/6 Société enregistrée" + (month.staff ? " avec ses salariés" : ""));
    await api("PUT", `companies/${company.id}`, company);
    if (month.staff) await api("PUT", `companies/${company.id}/employees`, month.staff);

    say("4/6 Soumission de la période à l'API (recalcul et comparaison côté serveur, salariés joints)");
    const submitted = await api("POST", `companies/${company.id}/periods/${period}`, {
      period,
      inputs: build.inputs,
      results: results.map(summarise),
      employees: build.staff,
    });

    say("5/6 Traitement de paie : documents dans le stockage, e-mails programmés");
    await api("POST", `companies/${company.id}/periods/${period}/run`);
    // Queued like the scheduler's runs: the local host's queue workers run it.
    await stack.host.drainQueues();
    // Before any mail: the codes are issued and their letters printed, to be handed over apart from the mails.
    const codes = await documentCodeLetters(stack.services, company.id, "demo", { onlyNew: true });
    const lettersDir = path.join(out, "codes");
    mkdirSync(lettersDir, { recursive: true });
    const codeLetters = path.join(lettersDir, "courriers-codes-bulletins.pdf");
    if (codes.pdf) writeFileSync(codeLetters, codes.pdf);
    await stack.host.fire("mail-dispatcher");
    const state = await api("GET", `companies/${company.id}/periods/${period}`);

    say("6/6 Résumé");
    const summary: DemoSummary = {
      period,
      companyId: company.id,
      employees: results.length,
      issues: build.issues.length,
      status: state.period.status,
      documents: state.documents.map((d: { path: string }) => d.path),
      mails: state.mails.counts,
      outbox: path.join(out, "outbox"),
      codeLetters,
      totals: periodTotals(results),
    };
    for (const d of state.documents as { path: string; url: string }[]) {
      const res = await fetch(d.url);
      if (!res.ok) throw new Error(`téléchargement ${d.path} → ${res.status}`);
      const rel = d.path.split("/").slice(2).join("/");
      mkdirSync(path.dirname(path.join(out, rel)), { recursive: true });
      writeFileSync(path.join(out, rel), Buffer.from(await res.arrayBuffer()));
    }
    mkdirSync(path.join(out, "outbox"), { recursive: true });
    for (const f of readdirSync(outbox)) copyFileSync(path.join(outbox, f), path.join(out, "outbox", f));
    summary.out = out;
    say(`    Société ${company.name} — période ${period}, version ${submitted.version}, état « ${summary.status} »`);
    for (const line of totalsLines(results)) say(`    ${line}`);
    say(
      `    ${summary.documents.length} documents ; e-mails : ${Object.entries(summary.mails)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")}`,
    );
    say(`    Boîte d'envoi (.eml) : ${summary.outbox}`);
    say(`    Bulletins scellés (certificat de test) ; pièces jointes chiffrées AES-256 avec le code de chaque salarié`);
    say(`    Codes d'ouverture (courriers à remettre aux salariés, jamais par e-mail) : ${codeLetters}`);
    say(`    Tout est écrit sous : ${out}`);
    return summary;
  } finally {
    await stack.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

export async function demo(args: string[], out: (line: string) => void): Promise<number> {
  const i = args.indexOf("--out");
  const dir = i >= 0 ? args[i + 1] : undefined;
  if (i >= 0 && !dir) {
    out("--out demande un dossier");
    return 2;
  }
  try {
    await runDemo({ ...(dir ? { out: dir } : {}), log: out });
    return 0;
  } catch (e) {
    out(`Échec de la démonstration : ${(e as Error).message}`);
    return 1;
  }
}
