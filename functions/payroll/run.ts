/**
 * The unattended payroll run of one company and period: the submitted payslips are recomputed from their stored
 * inputs, names, addresses and mail recipients come from the master data stored with the version (never the
 * employees table, which may have moved on since) (the run refuses to go on if the engine now disagrees), every document is generated into Blob Storage, the
 * period moves to "generated", each employee's mail is queued for `emailDelayHours` later, and the admins get a summary.
 *
 * Exactly one run works on a version: a run first CLAIMS the submitted period (an ETag-guarded write of its run id and
 * an expiry on the period row, functions/storage/periods.ts) and does no document work before it holds it. Runs that
 * lose — ten "run now" at once, two timers — end their run row "superseded", naming the run that holds the period.
 * The claim is renewed (ETag again) before the mails are queued and the final move to "generated" is guarded by the
 * same ETag, so a run whose version was replaced meanwhile, or whose claim expired and was taken over, stops there
 * and says so. A run that fails gives the claim back; one that dies leaves it to expire (RUN_CLAIM_MS).
 * A period already generated (a retry, a late timer) is skipped without a run row.
 */
import { createHash } from "node:crypto";
import type { PayslipResult } from "../../shared/core/result.ts";
import type { EmployeeInfo } from "../../shared/documents/types.ts";
import { computePayslip } from "../../shared/engine/compute.ts";
import { compareSummaries, summarise } from "../../shared/engine/summary.ts";
import { casesToCheck as employeeCases, parameterNotice } from "../../shared/rates/parameter-notices.ts";
import type { ParameterFile } from "../../shared/rates/parameters.ts";
import type { PayslipInput } from "../../shared/schema/payslip-input.ts";
import type { Services } from "../app/services.ts";
import { payslipSealer } from "../documents/payslip-protection.ts";
import { frenchPeriod } from "../mail/message.ts";
import { observePayrollRun } from "../ops/app-metrics.ts";
import {
  auditRepository,
  ConcurrencyError,
  claimHolder,
  companiesRepository,
  documentPath,
  type Employee,
  employeesRepository,
  mailsRepository,
  type PeriodRecord,
  type PeriodsRepository,
  payslipsRepository,
  periodsRepository,
  RUN_STATUS_LABELS,
  runsRepository,
  StorageError,
  type Stored,
} from "../storage/index.ts";
import { storedCarryStale } from "./carry-check.ts";
import { correctionAudit, correctionLines, correctionPlan } from "./correction.ts";
import { type DocumentFailure, generatePeriodDocuments, type PeriodDocumentsInput } from "./documents.ts";
import { companyInfo, employeeInfo } from "./identity.ts";
import { notifyAdmins } from "./notify.ts";
import { storedParameters } from "./parameters.ts";

export type RunOutcome =
  | { status: "skipped"; reason: string }
  /** Another run holds (or generated) the period, or a newer version replaced the one this run held. */
  | { status: "superseded"; runId: string; supersededBy?: string; reason: string }
  | {
      status: "generated";
      runId: string;
      version: number;
      documents: number;
      mailsQueued: number;
      withoutEmail: string[];
      casesToCheck: number;
      /** Documents left out, each with its employee and reason; the month is generated without them. */
      failures: DocumentFailure[];
    }
  | { status: "failed"; error: string };

export interface RunDependencies {
  /** Extra documents the caller adds (the DSM XML). */
  extraDocuments?: (results: PayslipResult[], base: Omit<PeriodDocumentsInput, "extra" | "fonts" | "sealPayslip">) => PeriodDocumentsInput["extra"];
}

export async function runPayroll(services: Services, companyId: string, period: string, actor: string, deps: RunDependencies = {}): Promise<RunOutcome> {
  await services.storage.ensure();
  const periods = periodsRepository(services.storage);
  const current = await periods.get(companyId, period);
  if (!current) return { status: "skipped", reason: `aucune période ${period} soumise pour ${companyId}` };
  if (current.status !== "submitted") return { status: "skipped", reason: `période ${period} à l'état « ${current.status} »` };
  // Computed from a carry its previous month's correction replaced: « à recalculer », never run (carry-check.ts).
  const stale = await storedCarryStale(services, companyId, period);
  if (stale) return { status: "skipped", reason: stale.message };

  const now = services.now();
  const runs = runsRepository(services.storage);
  const run = await runs.start(companyId, period, "payroll", now);
  const startedMs = performance.now();
  /** The period row as this run holds it (claimed), until it is generated or given back. */
  let held: Stored<PeriodRecord> | undefined;
  const superseded = async (lost: Displaced): Promise<RunOutcome> => {
    await runs.finish(run, { status: "superseded", now: services.now(), reason: lost.reason, ...(lost.by ? { supersededBy: lost.by } : {}) });
    services.log("payroll.run.superseded", { companyId, period, runId: run.runId, ...(lost.by ? { supersededBy: lost.by } : {}) });
    observePayrollRun("superseded", performance.now() - startedMs);
    return { status: "superseded", runId: run.runId, ...(lost.by ? { supersededBy: lost.by } : {}), reason: lost.reason };
  };
  try {
    const claim = await claimPeriod(periods, current, run.runId, now);
    if ("lost" in claim) return await superseded(claim.lost);
    held = claim.held;
    const version = held.version;
    services.log("payroll.run.start", { companyId, period, version });
    // A run a dead worker left "running" is closed now, naming this one, so the history never shows two in progress.
    await runs.closeAbandoned(companyId, period, "payroll", now, run.runId);
    const company = await companiesRepository(services.storage).get(companyId);
    if (!company) throw new Error(`société ${companyId} introuvable`);
    // The set the claimed row names: exactly the version this run holds, whatever is submitted meanwhile.
    const payslips = held.payslipSet ? await payslipsRepository(services.storage).listSet(companyId, period, held.payslipSet) : [];

    // Recompute: the stored results must be what the engine gives today for the stored inputs.
    const results: PayslipResult[] = [];
    let files: Map<string, ParameterFile> | undefined;
    for (const p of payslips) {
      const stored = p.result as { input: PayslipInput; result: PayslipResult; parameterSet?: string };
      // With the parameter set the submission was computed with (the documents show what the pane showed).
      const set = await storedParameters(services, stored.parameterSet);
      files ??= set.files;
      const outcome = computePayslip(stored.input, set);
      if (!outcome.ok) throw new Error(`matricule ${p.employeeId} : le moteur refuse l'entrée enregistrée (${outcome.errors[0]?.message})`);
      const diff = compareSummaries(summarise(stored.result), summarise(outcome.result));
      if (diff.length) throw new Error(`matricule ${p.employeeId} : le recalcul diffère du résultat soumis (${diff[0]!.field})`);
      results.push(outcome.result);
    }
    results.sort((a, b) => (a.employeeId < b.employeeId ? -1 : 1));

    // The master data this version was submitted with; the employees table only for rows stored before it travelled.
    const byId = new Map<string, Employee>();
    for (const p of payslips) if (p.employee) byId.set(p.employeeId, p.employee);
    if (byId.size < payslips.length) {
      for (const e of await employeesRepository(services.storage).list(companyId)) if (!byId.has(e.employeeId)) byId.set(e.employeeId, e);
    }
    // An employee with no master data at all (a row stored before it travelled, since deleted) costs its own
    // payslip and mail, reported; the others go on (see documents.ts).
    // The company's documents still cover every result (their totals are the month's), under the matricule alone.
    const unknown: DocumentFailure[] = [];
    const hired = new Map(payslips.map((p) => [p.employeeId, (p.result as { input: PayslipInput }).input.employee.hireDate]));
    const employees: EmployeeInfo[] = results.map((r) => {
      const e = byId.get(r.employeeId);
      if (e) return employeeInfo(e);
      unknown.push({
        kind: "payslip",
        employeeId: r.employeeId,
        reason: `matricule ${r.employeeId} : aucune fiche salarié, ni dans la version soumise ni dans la table des salariés`,
      });
      return { id: r.employeeId, lastName: `(fiche ${r.employeeId} absente)`, firstName: "", hireDate: hired.get(r.employeeId)! };
    });
    // A corrected version: only the employees whose payslip changed get one, and a mail (correction.ts).
    const plan = held.correction ? await correctionPlan(services, { ...held, correction: held.correction }, results, employees) : undefined;
    const info = companyInfo(company);
    const base = { companyId, period, version, company: info, employees, results };
    const extra = deps.extraDocuments?.(results, base);
    const { documents: docs, failures } = await generatePeriodDocuments(services.documents, {
      ...base,
      fonts: services.fonts(),
      sealPayslip: payslipSealer(services, info.name, now),
      ...(extra ? { extra } : {}),
      failures: unknown,
      ...(plan ? { payslipsFor: plan.changed, replaces: plan.replaces } : {}),
    });
    if (failures.length) services.log("payroll.run.document_failures", { companyId, period, failures: failures.length });
    const noPayslip = new Set(failures.filter((f) => f.kind === "payslip" && f.employeeId).map((f) => f.employeeId!));

    // Still the holder? A run whose version was replaced, or whose claim expired and was taken, queues nothing.
    try {
      held = await periods.claim(held, run.runId, services.now());
    } catch (e) {
      if (!(e instanceof ConcurrencyError) && !(e instanceof StorageError && e.code === "transition")) throw e;
      held = undefined;
      return await superseded(await displacedBy(periods, companyId, period, version, run.runId));
    }
    // Queue each employee's mail before marking the period, so a crash in between is repaired by the next run.
    const dueAt = new Date(now.getTime() + company.emailDelayHours * 3_600_000);
    const withoutEmail = results.filter((r) => byId.has(r.employeeId) && !byId.get(r.employeeId)!.email).map((r) => r.employeeId);
    // Rows of this version (a rerun) are left as they are; older versions' rows are bound to this one.
    const enqueued = await mailsRepository(services.storage).enqueue(
      companyId,
      period,
      results
        // No payslip, no mail: the failure is reported instead.
        .filter((r) => byId.get(r.employeeId)?.email && !noPayslip.has(r.employeeId) && (!plan || plan.changed.has(r.employeeId)))
        .map((r) => {
          const e = byId.get(r.employeeId)!;
          return {
            companyId,
            period,
            employeeId: r.employeeId,
            recipient: e.email!,
            version,
            dueAt: dueAt.toISOString(),
            firstName: e.firstName,
            lastName: e.lastName,
            companyName: company.name,
            documentPath: documentPath(companyId, period, version, { kind: "payslip", employeeId: r.employeeId }),
            contentHash: createHash("sha256").update(JSON.stringify(r)).digest("hex"),
          };
        }),
    );
    const queued = enqueued.created + enqueued.replaced.length + enqueued.corrected.length + enqueued.parked.length;
    if (enqueued.replaced.length || enqueued.corrected.length || enqueued.parked.length) {
      // Said in the audit: which mails now carry this version instead of an older one, and which get a corrected payslip.
      await auditRepository(services.storage).append({
        companyId,
        at: now.toISOString(),
        actor,
        action: "mails.superseded",
        target: `${companyId}/${period}`,
        after: { version, replaced: enqueued.replaced, corrected: enqueued.corrected, followsCurrentSend: enqueued.parked },
      });
    }
    // The month's parameters are said once; the cases to check are the employees' own, each named.
    const notice = parameterNotice(period, results, files);
    const cases = employeeCases(
      results,
      // An employee without master data (left out of the documents, reported) is named by matricule only.
      new Map(
        results.flatMap((r) =>
          byId.has(r.employeeId) ? [[r.employeeId, `${byId.get(r.employeeId)!.lastName} ${byId.get(r.employeeId)!.firstName}`] as const] : [],
        ),
      ),
    );
    const casesToCheck = cases.length;
    try {
      // claimedBy stays: it names the run that generated this version; the expiry means nothing once generated.
      const { etag: _etag, claimExpiresAt: _until, ...kept } = held;
      await periods.replace(held, {
        ...kept,
        status: "generated",
        updatedAt: now.toISOString(),
        generatedAt: now.toISOString(),
        documents: [...docs.map((d) => ({ kind: d.kind, path: d.path, sha256: d.sha256 })), ...(plan?.kept ?? [])],
        ...(failures.length ? { documentFailures: failures.map((f) => ({ ...f, reason: f.reason.slice(0, 500) })) } : {}),
      });
      held = undefined;
    } catch (e) {
      if (!(e instanceof ConcurrencyError)) throw e;
      held = undefined;
      return await superseded(await displacedBy(periods, companyId, period, version, run.runId));
    }
    await runs.finish(run, {
      status: "succeeded",
      now,
      counts: { payslips: results.length, documents: docs.length, mailsQueued: queued, withoutEmail: withoutEmail.length, documentFailures: failures.length },
    });
    await auditRepository(services.storage).append({
      companyId,
      at: now.toISOString(),
      actor,
      action: "period.generated",
      target: `${companyId}/${period}`,
      after: { version, documents: docs.length, mailsQueued: queued, runId: run.runId, ...(failures.length ? { failures } : {}), ...correctionAudit(plan) },
    });
    services.log("payroll.run.done", { companyId, period, documents: docs.length, mailsQueued: queued });
    await notifyAdmins(services, company, {
      kind: "success",
      period,
      subject: `Paie ${company.name} — ${frenchPeriod(period)} : ${results.length - noPayslip.size} bulletins générés${failures.length ? `, ${failures.length} document(s) à reprendre` : ""}`,
      lines: [
        `${results.length - noPayslip.size} bulletins et ${docs.length} documents générés (version ${version}).`,
        ...correctionLines(plan),
        ...(failures.length
          ? [
              `${failures.length} document(s) non généré(s) — à corriger puis soumettre à nouveau :`,
              ...failures.map((f) => {
                const label = DOCUMENT_LABELS[f.kind] ?? f.kind;
                // The DSM builder's reasons already start with "DSM : ".
                const reason = f.reason.startsWith(`${label} : `) ? f.reason.slice(label.length + 3) : f.reason;
                return `• ${label}${f.employeeId ? ` de ${f.employeeId}` : ""} : ${reason}`;
              }),
            ]
          : []),
        `${queued} envois programmés le ${dueAt.toISOString().slice(0, 16).replace("T", " ")} (UTC).`,
        ...(withoutEmail.length ? [`${withoutEmail.length} salarié(s) sans adresse e-mail : ${withoutEmail.join(", ")}.`] : []),
        ...(notice ? [notice.message] : []),
        ...(casesToCheck ? [`${casesToCheck} point(s) à vérifier :`, ...cases.slice(0, 50).map((c) => `— ${c.message}`)] : []),
      ],
      casesToCheck: casesToCheck + (notice ? 1 : 0),
    });
    observePayrollRun("generated", performance.now() - startedMs, results.length);
    return { status: "generated", runId: run.runId, version, documents: docs.length, mailsQueued: queued, withoutEmail, casesToCheck, failures };
  } catch (error) {
    const message = (error as Error).message;
    // Give the claim back so the next run (a retry after the fix) need not wait for it to expire.
    if (held) await periods.release(held, services.now()).catch(() => undefined);
    await runs.finish(run, { status: "failed", now: services.now(), error: message }).catch(() => undefined);
    services.log("payroll.run.failed", { companyId, period });
    const company = await companiesRepository(services.storage)
      .get(companyId)
      .catch(() => undefined);
    if (company) {
      await notifyAdmins(services, company, {
        kind: "failure",
        period,
        subject: `Paie ${company.name} — ${frenchPeriod(period)} : échec du traitement`,
        lines: [message],
        casesToCheck: 0,
      }).catch(() => undefined);
    }
    observePayrollRun("failed", performance.now() - startedMs);
    return { status: "failed", error: message };
  }
}

const DOCUMENT_LABELS: Record<string, string> = {
  payslip: "bulletin",
  journal: "journal de paie",
  charges: "état des charges",
  provision: "provision congés payés",
  dsm: "DSM",
};

interface Displaced {
  /** The run that holds or generated the period, when there is one. */
  by?: string;
  reason: string;
}

const label = RUN_STATUS_LABELS.superseded;

/**
 * Claims `first` (re-reading after each lost ETag race) or says who holds it. A newer version submitted between the
 * caller's read and the claim is claimed as well: "run the period" means its current version.
 */
async function claimPeriod(
  periods: PeriodsRepository,
  first: Stored<PeriodRecord>,
  runId: string,
  now: Date,
): Promise<{ held: Stored<PeriodRecord> } | { lost: Displaced }> {
  let record = first;
  for (let attempt = 0; attempt < 5; attempt++) {
    const holder = claimHolder(record, now);
    if (holder && holder !== runId) {
      return {
        lost: {
          by: holder,
          reason: `exécution ${label} : la période ${record.period} (version ${record.version}) est traitée par l'exécution ${holder} (réservée jusqu'à ${record.claimExpiresAt})`,
        },
      };
    }
    if (record.status !== "submitted") {
      return {
        lost: {
          ...(record.claimedBy ? { by: record.claimedBy } : {}),
          reason: `exécution ${label} : la période ${record.period} est passée à l'état « ${record.status} »${record.claimedBy ? ` par l'exécution ${record.claimedBy}` : ""}`,
        },
      };
    }
    try {
      return { held: await periods.claim(record, runId, now) };
    } catch (e) {
      if (!(e instanceof ConcurrencyError)) throw e;
    }
    const again = await periods.get(record.companyId, record.period);
    if (!again) return { lost: { reason: `exécution ${label} : la période ${record.period} n'existe plus` } };
    record = again;
  }
  return { lost: { reason: `exécution ${label} : la période ${record.period} a changé à chaque tentative de réservation` } };
}

/** Why the run that held `version` no longer does: a newer version, or another run that took the expired claim. */
async function displacedBy(periods: PeriodsRepository, companyId: string, period: string, version: number, runId: string): Promise<Displaced> {
  const latest = await periods.get(companyId, period);
  if (!latest) return { reason: `exécution ${label} : la période ${period} n'existe plus` };
  if (latest.version !== version)
    return { reason: `exécution ${label} : la version ${latest.version} a été soumise pendant le traitement de la version ${version}` };
  if (latest.claimedBy && latest.claimedBy !== runId) {
    return { by: latest.claimedBy, reason: `exécution ${label} : sa réservation a expiré et la période a été reprise par l'exécution ${latest.claimedBy}` };
  }
  return { reason: `exécution ${label} : la période ${period} a été modifiée pendant le traitement` };
}
