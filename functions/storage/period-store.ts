/**
 * Submitting a period, atomically from a reader's point of view.
 *
 * Order of writes: (1) every payslip row of the new version under a fresh payslip set (transactions of
 * ≤ 100), then (2) the period row — status, version, inputHash, payslipSet — guarded by its ETag.
 * Readers go through the period row and only read the set it names, so until (2) succeeds they keep
 * seeing the previous version in full; if anything fails in between, the new rows are unreachable
 * garbage (removable with pruneSupersededPayslips), never a half-written period.
 * Resubmitting the same input (same canonical-JSON sha256) is a no-op returning the stored version.
 */
import type { Storage } from "./config.ts";
import type { Stored } from "./codec.ts";
import type { BatchReport } from "./batch.ts";
import { periodsRepository, assertTransition, type PeriodRecord } from "./periods.ts";
import { newPayslipSet, payslipsRepository, type PayslipRecord } from "./payslips.ts";
import { inputHash as hashInput } from "./hash.ts";
import { assertCompanyId, assertPeriod } from "./keys.ts";
import { NotFoundError, StorageError } from "./errors.ts";

export interface SubmittedPayslip {
  employeeId: string;
  result: unknown;
  ytd: unknown;
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
  /** Extra counters stored on the period (cases to check, entries, exits…). */
  counts?: Record<string, number>;
}

export interface SubmitOutcome {
  period: Stored<PeriodRecord>;
  /** False when the same input was already stored: nothing was written. */
  written: boolean;
  batch: BatchReport;
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

  const version = (current?.version ?? 0) + 1;
  const payslipSet = newPayslipSet(version);
  const at = now.toISOString();
  const rows: PayslipRecord[] = submission.payslips.map((p) => ({
    companyId,
    period,
    employeeId: p.employeeId,
    version,
    payslipSet,
    result: p.result,
    ytd: p.ytd,
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
    ...(gross !== undefined ? { grossCents: gross } : {}),
    ...(net !== undefined ? { netCents: net } : {}),
    ...(cost !== undefined ? { employerCostCents: cost } : {}),
    updatedAt: at,
  };
  const stored = current ? await periods.replace(current, next) : await periods.create(next);
  return { period: stored, written: true, batch };
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

/**
 * Deletes payslip rows of superseded sets: older versions, and other attempts at the current version
 * (they lost the ETag race or were interrupted, and can no longer become current). Sets of a higher
 * version may be a submission in progress and are left alone. Call it when no reader can still be
 * using an older version, e.g. after the documents of the current version were generated.
 */
export async function pruneSupersededPayslips(storage: Storage, companyId: string, period: string): Promise<number> {
  const record = await periodsRepository(storage).get(companyId, period);
  if (!record) return 0;
  const repo = payslipsRepository(storage);
  const versionOf = (set: string) => Number(set.slice(1, 5));
  const sets = [...(await repo.listSets(companyId, period)).keys()].filter(
    (set) => set !== record.payslipSet && versionOf(set) <= record.version,
  );
  return repo.deleteSets(companyId, period, sets);
}
