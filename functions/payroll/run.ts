/**
 * The unattended payroll run of one company and period: the submitted payslips are recomputed from their stored
 * inputs (the run refuses to go on if the engine now disagrees), every document is generated into Blob Storage, the
 * period moves to "generated", each employee's mail is queued for `emailDelayHours` later, and the admins get a summary.
 * Idempotent: a second run of the same version (two timers, a retry) finds the period generated and does nothing;
 * if two race, the ETag on the period lets only one move it, and documents and mail rows are the same either way.
 */
import { computePayslip } from "../../shared/engine/compute.ts";
import type { PayslipResult } from "../../shared/core/result.ts";
import { compareSummaries, summarise } from "../../shared/engine/summary.ts";
import type { PayslipInput } from "../../shared/schema/payslip-input.ts";
import { frenchPeriod } from "../mail/message.ts";
import {
  auditRepository, companiesRepository, ConcurrencyError, documentPath, employeesRepository, mailsRepository, periodsRepository,
  readCurrentPayslips, runsRepository,
} from "../storage/index.ts";
import type { Services } from "../app/services.ts";
import { generatePeriodDocuments, type PeriodDocumentsInput } from "./documents.ts";
import { companyInfo, employeeInfo } from "./identity.ts";
import { notifyAdmins } from "./notify.ts";
import { observePayrollRun } from "../ops/app-metrics.ts";

export type RunOutcome =
  | { status: "skipped"; reason: string }
  | { status: "generated"; version: number; documents: number; mailsQueued: number; withoutEmail: string[]; casesToCheck: number }
  | { status: "failed"; error: string };

export interface RunDependencies {
  /** Extra documents the caller adds (the DSM XML). */
  extraDocuments?: (results: PayslipResult[], base: Omit<PeriodDocumentsInput, "extra" | "fonts">) => PeriodDocumentsInput["extra"];
}

export async function runPayroll(services: Services, companyId: string, period: string, actor: string, deps: RunDependencies = {}): Promise<RunOutcome> {
  await services.storage.ensure();
  const periods = periodsRepository(services.storage);
  const current = await periods.get(companyId, period);
  if (!current) return { status: "skipped", reason: `aucune période ${period} soumise pour ${companyId}` };
  if (current.status !== "submitted") return { status: "skipped", reason: `période ${period} à l'état « ${current.status} »` };

  const now = services.now();
  const runs = runsRepository(services.storage);
  const run = await runs.start(companyId, period, "payroll", now);
  const startedMs = performance.now();
  services.log("payroll.run.start", { companyId, period, version: current.version });
  try {
    // A run a dead worker left "running" is closed now, naming this one, so the history never shows two in progress.
    await runs.closeAbandoned(companyId, period, "payroll", now, run.runId);
    const company = await companiesRepository(services.storage).get(companyId);
    if (!company) throw new Error(`société ${companyId} introuvable`);
    const { period: record, payslips } = await readCurrentPayslips(services.storage, companyId, period);
    if (record.version !== current.version) {
      observePayrollRun("skipped", performance.now() - startedMs);
      return { status: "skipped", reason: "une nouvelle version a été soumise pendant le traitement" };
    }

    // Recompute: the stored results must be what the engine gives today for the stored inputs.
    const results: PayslipResult[] = [];
    for (const p of payslips) {
      const stored = p.result as { input: PayslipInput; result: PayslipResult };
      const outcome = computePayslip(stored.input);
      if (!outcome.ok) throw new Error(`matricule ${p.employeeId} : le moteur refuse l'entrée enregistrée (${outcome.errors[0]?.message})`);
      const diff = compareSummaries(summarise(stored.result), summarise(outcome.result));
      if (diff.length) throw new Error(`matricule ${p.employeeId} : le recalcul diffère du résultat soumis (${diff[0]!.field})`);
      results.push(outcome.result);
    }
    results.sort((a, b) => (a.employeeId < b.employeeId ? -1 : 1));

    const staff = await employeesRepository(services.storage).list(companyId);
    const byId = new Map(staff.map((e) => [e.employeeId, e]));
    const employees = results.map((r) => {
      const e = byId.get(r.employeeId);
      if (!e) throw new Error(`matricule ${r.employeeId} absent des salariés de ${companyId}`);
      return employeeInfo(e);
    });
    const info = companyInfo(company);
    const base = { companyId, period, version: current.version, company: info, employees, results };
    const extra = deps.extraDocuments?.(results, base);
    const docs = await generatePeriodDocuments(services.documents, { ...base, fonts: services.fonts(), ...(extra ? { extra } : {}) });

    // Queue each employee's mail before marking the period, so a crash in between is repaired by the next run.
    const dueAt = new Date(now.getTime() + company.emailDelayHours * 3_600_000);
    const withoutEmail = results.filter((r) => !byId.get(r.employeeId)!.email).map((r) => r.employeeId);
    // One transaction per 100 employees; rows that already exist (a rerun) are left as they are.
    const queued = await mailsRepository(services.storage).enqueue(
      companyId,
      period,
      results
        .filter((r) => byId.get(r.employeeId)!.email)
        .map((r) => {
          const e = byId.get(r.employeeId)!;
          return {
            companyId,
            period,
            employeeId: r.employeeId,
            recipient: e.email!,
            version: current.version,
            dueAt: dueAt.toISOString(),
            firstName: e.firstName,
            lastName: e.lastName,
            companyName: company.name,
            documentPath: documentPath(companyId, period, current.version, { kind: "payslip", employeeId: r.employeeId }),
          };
        }),
    );
    const casesToCheck = results.filter((r) => r.warnings.length > 0).length;
    try {
      await periods.transition(current, "generated", {
        updatedAt: now.toISOString(),
        generatedAt: now.toISOString(),
        documents: docs.map((d) => ({ kind: d.kind, path: d.path, sha256: d.sha256 })),
      });
    } catch (e) {
      if (e instanceof ConcurrencyError) {
        observePayrollRun("skipped", performance.now() - startedMs);
        return { status: "skipped", reason: "un autre traitement a marqué la période au même moment" };
      }
      throw e;
    }
    await runs.finish(run, { status: "succeeded", now, counts: { payslips: results.length, documents: docs.length, mailsQueued: queued, withoutEmail: withoutEmail.length } });
    await auditRepository(services.storage).append({
      companyId,
      at: now.toISOString(),
      actor,
      action: "period.generated",
      target: `${companyId}/${period}`,
      after: { version: current.version, documents: docs.length, mailsQueued: queued },
    });
    services.log("payroll.run.done", { companyId, period, documents: docs.length, mailsQueued: queued });
    await notifyAdmins(services, company, {
      kind: "success",
      period,
      subject: `Paie ${company.name} — ${frenchPeriod(period)} : ${results.length} bulletins générés`,
      lines: [
        `${results.length} bulletins et ${docs.length} documents générés (version ${current.version}).`,
        `${queued} envois programmés le ${dueAt.toISOString().slice(0, 16).replace("T", " ")} (UTC).`,
        ...(withoutEmail.length ? [`${withoutEmail.length} salarié(s) sans adresse e-mail : ${withoutEmail.join(", ")}.`] : []),
        ...(casesToCheck ? [`${casesToCheck} bulletin(s) avec des points à vérifier.`] : []),
      ],
      casesToCheck,
    });
    observePayrollRun("generated", performance.now() - startedMs, results.length);
    return { status: "generated", version: current.version, documents: docs.length, mailsQueued: queued, withoutEmail, casesToCheck };
  } catch (error) {
    const message = (error as Error).message;
    await runs.finish(run, { status: "failed", now: services.now(), error: message }).catch(() => undefined);
    services.log("payroll.run.failed", { companyId, period });
    const company = await companiesRepository(services.storage).get(companyId).catch(() => undefined);
    if (company) {
      await notifyAdmins(services, company, { kind: "failure", period, subject: `Paie ${company.name} — ${frenchPeriod(period)} : échec du traitement`, lines: [message], casesToCheck: 0 }).catch(() => undefined);
    }
    observePayrollRun("failed", performance.now() - startedMs);
    return { status: "failed", error: message };
  }
}
