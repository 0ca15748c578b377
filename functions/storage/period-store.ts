/**
 * Submitting a period, atomically from a reader's point of view.
 *
 * Order of writes: (1) every payslip row of the new version under a fresh payslip set (transactions of
 * ≤ 100), each carrying the employee's master data for that version, then (2) the period row — status, version, inputHash, payslipSet — guarded by its ETag.
 * Readers go through the period row and only read the set it names, so until (2) succeeds they keep
 * seeing the previous version in full; if anything fails in between, the new rows are unreachable
 * garbage (removable with pruneSupersededPayslips), never a half-written period.
 * Resubmitting the same input (same canonical-JSON sha256) is a no-op returning the stored version.
 * Optimistic concurrency: a submission names the version it replaces (the one its figures were computed against,
 * 0 for the first); any other stored version refuses it with StaleSubmissionError, and of two submissions that
 * replace the same version at the same moment the period row's ETag lets exactly one through.
 */

import type { ParameterNotice } from "../../shared/rates/parameter-notices.ts";
import type { BatchReport } from "./batch.ts";
import type { Stored } from "./codec.ts";
import type { Storage } from "./config.ts";
import type { Employee } from "./employees.ts";
import { ConcurrencyError, NotFoundError, StorageError } from "./errors.ts";
import { inputHash as hashInput } from "./hash.ts";
import { assertCompanyId, assertPeriod, companyPeriodKey } from "./keys.ts";
import { newPayslipSet, type PayslipRecord, type PayslipSetInfo, payslipsRepository } from "./payslips.ts";
import { assertTransition, type PeriodRecord, periodsRepository } from "./periods.ts";

export interface SubmittedPayslip {
  employeeId: string;
  result: unknown;
  carry: unknown;
  /** The employee's master data for this version, written in the same rows (so with the same atomicity). */
  employee?: Employee;
  grossCents?: number;
  netCents?: number;
  employerCostCents?: number;
}

export interface PeriodSubmission {
  companyId: string;
  period: string;
  /** The validated input the payslips were computed from; its canonical hash identifies the submission. */
  input: unknown;
  payslips: readonly SubmittedPayslip[];
  submittedBy: string;
  now: Date;
  /** The version the submitter's figures were computed against: the stored one, or 0 when nothing was stored. */
  replacesVersion: number;
  /** Extra counters stored on the period (cases to check, entries, exits…). */
  counts?: Record<string, number>;
  /** The month's one notice about its parameters, when some were stale or unconfirmed. */
  parameterNotice?: ParameterNotice;
}

export interface SubmitOutcome {
  period: Stored<PeriodRecord>;
  /** False when the same input was already stored: nothing was written. */
  written: boolean;
  batch: BatchReport;
}

/** The submission replaces a version that is no longer the stored one (someone resubmitted in between). */
export class StaleSubmissionError extends ConcurrencyError {
  constructor(
    readonly companyId: string,
    readonly period: string,
    readonly storedVersion: number,
    readonly replacesVersion: number,
    cause?: unknown,
  ) {
    super("periods", companyId, period, cause);
    this.name = "StaleSubmissionError";
    this.message =
      replacesVersion > storedVersion
        ? `La période ${period} n'a pas de version ${replacesVersion} (version enregistrée : ${storedVersion}) : rechargez l'état de la période puis recalculez avant de soumettre.`
        : replacesVersion === 0
          ? `La période ${period} a été soumise (version ${storedVersion}) depuis votre calcul, fait quand rien n'était soumis : rechargez l'état de la période puis recalculez avant de soumettre.`
          : `La période ${period} a été soumise à nouveau (version ${storedVersion}) depuis votre calcul (version ${replacesVersion}) : rechargez l'état de la période puis recalculez avant de soumettre.`;
  }
}

function sumCents(payslips: readonly SubmittedPayslip[], field: "grossCents" | "netCents" | "employerCostCents"): number | undefined {
  if (payslips.length === 0 || payslips.some((p) => p[field] === undefined)) return undefined;
  return payslips.reduce((total, p) => total + p[field]!, 0);
}

export async function submitPeriod(storage: Storage, submission: PeriodSubmission): Promise<SubmitOutcome> {
  const { companyId, period, now } = submission;
  assertCompanyId(companyId);
  assertPeriod(period);
  const seen = new Set<string>();
  for (const p of submission.payslips) {
    if (seen.has(p.employeeId)) {
      throw new StorageError("codec", `Période ${companyId} ${period} : le matricule « ${p.employeeId} » apparaît deux fois dans les bulletins soumis.`);
    }
    seen.add(p.employeeId);
  }
  const periods = periodsRepository(storage);
  const payslips = payslipsRepository(storage);
  const hash = hashInput(submission.input);
  const current = await periods.get(companyId, period);

  if (current && current.status !== "draft" && current.inputHash === hash && current.payslipSet) {
    return { period: current, written: false, batch: { operations: 0, transactions: 0 } };
  }
  if (current) assertTransition(current.status, "submitted", `${companyId} ${period}`);
  const storedVersion = current?.version ?? 0;
  if (!Number.isInteger(submission.replacesVersion) || submission.replacesVersion !== storedVersion) {
    throw new StaleSubmissionError(companyId, period, storedVersion, submission.replacesVersion);
  }

  const version = storedVersion + 1;
  const payslipSet = newPayslipSet(version);
  const at = now.toISOString();
  const rows: PayslipRecord[] = submission.payslips.map((p) => ({
    companyId,
    period,
    employeeId: p.employeeId,
    version,
    payslipSet,
    result: p.result,
    carry: p.carry,
    ...(p.employee ? { employee: p.employee } : {}),
    computedAt: at,
    ...(p.grossCents !== undefined ? { grossCents: p.grossCents } : {}),
    ...(p.netCents !== undefined ? { netCents: p.netCents } : {}),
    ...(p.employerCostCents !== undefined ? { employerCostCents: p.employerCostCents } : {}),
  }));
  const batch = await payslips.writeMany(rows);

  const gross = sumCents(submission.payslips, "grossCents");
  const net = sumCents(submission.payslips, "netCents");
  const cost = sumCents(submission.payslips, "employerCostCents");
  const next: PeriodRecord = {
    companyId,
    period,
    status: "submitted",
    version,
    payslipSet,
    submittedBy: submission.submittedBy,
    submittedAt: at,
    inputHash: hash,
    // A new version invalidates the documents of the previous one: generation runs again.
    documents: [],
    counts: { ...(submission.counts ?? {}), payslips: rows.length },
    // A reopened month's correction goes on with its versions: their run compares with the version it reopened.
    ...(current?.correction ? { correction: current.correction } : {}),
    ...(submission.parameterNotice ? { parameterNotice: submission.parameterNotice } : {}),
    ...(gross !== undefined ? { grossCents: gross } : {}),
    ...(net !== undefined ? { netCents: net } : {}),
    ...(cost !== undefined ? { employerCostCents: cost } : {}),
    updatedAt: at,
  };
  try {
    const stored = current ? await periods.replace(current, next) : await periods.create(next);
    return { period: stored, written: true, batch };
  } catch (error) {
    if (!(error instanceof ConcurrencyError)) throw error;
    // Another submission replaced the same version first: ours is unreachable, remove it now rather than at pruning.
    await payslips.deleteSets(companyId, period, [payslipSet]).catch(() => undefined);
    const winner = await periods.get(companyId, period);
    // The same input submitted twice at once (a double click): one stored it, both get that version.
    if (winner && winner.inputHash === hash && winner.payslipSet && winner.status !== "draft") {
      return { period: winner, written: false, batch: { operations: 0, transactions: 0 } };
    }
    throw new StaleSubmissionError(companyId, period, winner?.version ?? storedVersion, submission.replacesVersion, error);
  }
}

export interface CurrentPayslips {
  period: Stored<PeriodRecord>;
  payslips: Array<Stored<PayslipRecord>>;
}

/** The payslips of the period's current version (never rows of an unfinished or superseded submission). */
export async function readCurrentPayslips(storage: Storage, companyId: string, period: string): Promise<CurrentPayslips> {
  const record = await periodsRepository(storage).get(companyId, period);
  if (!record) throw new NotFoundError(`la période ${period} de la société ${companyId}`);
  if (!record.payslipSet) return { period: record, payslips: [] };
  return { period: record, payslips: await payslipsRepository(storage).listSet(companyId, period, record.payslipSet) };
}

const DAY_MS = 86_400_000;

export interface PruneOptions {
  now: Date;
  /** How long a set stays stored once unreachable (0: at once). */
  retentionDays: number;
}

export interface PruneReport {
  /** Payslip rows deleted. */
  rows: number;
  sets: string[];
}

/**
 * A set other than the period's current one is unreachable: an older version, another attempt at the current version
 * (it lost the ETag race or was interrupted), a higher version whose submission died before its period row, or
 * rows whose period row was never written. It has been unreachable at least since the later of its own writing and
 * the current version's submission; it is pruned once that is `retentionDays` old. The current set is never pruned,
 * and a submission in progress wrote its set just now, so it is far younger than any retention.
 */
function prunable(set: PayslipSetInfo, record: PeriodRecord | undefined, options: PruneOptions): boolean {
  if (record && set.payslipSet === record.payslipSet) return false;
  // The version a correction reopened: its run compares each employee's result with it.
  if (record?.correction?.fromPayslipSet === set.payslipSet) return false;
  const since = Math.max(Date.parse(set.writtenAt) || 0, record?.submittedAt ? Date.parse(record.submittedAt) : 0);
  return options.now.getTime() - since >= options.retentionDays * DAY_MS;
}

async function pruneSets(
  storage: Storage,
  sets: PayslipSetInfo[],
  periodOf: (s: PayslipSetInfo) => PeriodRecord | undefined,
  options: PruneOptions,
): Promise<PruneReport> {
  if (!Number.isInteger(options.retentionDays) || options.retentionDays < 0) {
    throw new StorageError("config", `Durée de conservation des bulletins remplacés invalide : ${options.retentionDays} (nombre entier de jours ≥ 0).`);
  }
  const repo = payslipsRepository(storage);
  const report: PruneReport = { rows: 0, sets: [] };
  const doomed = sets.filter((s) => prunable(s, periodOf(s), options));
  const byPeriod = new Map<string, PayslipSetInfo[]>();
  for (const s of doomed) byPeriod.set(companyPeriodKey(s.companyId, s.period), [...(byPeriod.get(companyPeriodKey(s.companyId, s.period)) ?? []), s]);
  for (const group of byPeriod.values()) {
    report.rows += await repo.deleteSets(
      group[0]!.companyId,
      group[0]!.period,
      group.map((s) => s.payslipSet),
    );
    report.sets.push(...group.map((s) => `${s.companyId}|${s.period}|${s.payslipSet}`));
  }
  return report;
}

/** Prunes the unreachable payslip sets of one period that have been unreachable for the retention period. */
export async function pruneSupersededPayslips(storage: Storage, companyId: string, period: string, options: PruneOptions): Promise<PruneReport> {
  const record = await periodsRepository(storage).get(companyId, period);
  const sets = await payslipsRepository(storage).listSetInfo({ companyId, period });
  return pruneSets(storage, sets, () => record, options);
}

/**
 * The same for every period of every company: one read of the periods, one of the payslips' keys. The daily backup
 * timer runs it right after the day's backup, so every pruned row is in the backups taken before (kept as long as
 * PAIE_BACKUP_RETENTION_DAYS).
 */
export async function pruneAllSupersededPayslips(storage: Storage, options: PruneOptions): Promise<PruneReport> {
  const periods = new Map((await periodsRepository(storage).listAll()).map((r) => [companyPeriodKey(r.companyId, r.period), r]));
  const sets = await payslipsRepository(storage).listSetInfo();
  return pruneSets(storage, sets, (s) => periods.get(companyPeriodKey(s.companyId, s.period)), options);
}
