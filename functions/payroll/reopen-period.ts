/**
 * Reopening a mailed or closed month for correction (POST …/periods/{period}/reopen, admin): the period moves to
 * « rouverte pour correction » and records who, when, why, the version reopened and the payslip in force for each
 * employee (path and date), so the corrected run knows what each corrected payslip cancels and replaces
 * (functions/payroll/correction.ts). Nothing stored is changed otherwise: the reopened version stays the one readers
 * and the carry endpoint see until the corrected inputs are submitted as the next version.
 */
import type { ReopenResponse } from "../../shared/api/periods.ts";
import type { Services } from "../app/services.ts";
import type { Principal } from "../auth/index.ts";
import { auditRepository, ConcurrencyError, type PayslipInForce, type PeriodRecord, periodsRepository } from "../storage/index.ts";
import { ApiError } from "./errors.ts";

const PAYSLIP_PATH = /\/payslips\/([^/]+)\.pdf$/;
const MONACO_DAY = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Monaco", year: "numeric", month: "2-digit", day: "2-digit" });

/** The day (in Monaco) a document of `record` was issued: its own date when a correction kept it, else the run's. */
export function issuedOn(record: Pick<PeriodRecord, "generatedAt" | "updatedAt">, own?: string): string {
  return own ?? MONACO_DAY.format(new Date(record.generatedAt ?? record.updatedAt));
}

/** Each employee's payslip listed by the period (what was mailed), with the day it was issued. */
export function payslipsInForce(record: PeriodRecord): PayslipInForce[] {
  return record.documents.flatMap((d) => {
    const match = d.kind === "payslip" ? PAYSLIP_PATH.exec(d.path) : null;
    if (!match) return [];
    return [{ employeeId: match[1]!, path: d.path, ...(d.sha256 ? { sha256: d.sha256 } : {}), issuedOn: issuedOn(record, d.issuedOn) }];
  });
}

export async function reopenPeriod(s: Services, p: Principal, companyId: string, period: string, reason: string): Promise<ReopenResponse> {
  const why = reason.trim();
  if (!why) throw new ApiError(400, "REASON_REQUIRED", "Le motif de la réouverture est obligatoire (il est enregistré dans le journal d'audit).");
  const periods = periodsRepository(s.storage);
  const current = await periods.get(companyId, period);
  if (!current) throw new ApiError(404, "not_found", `Période ${period} introuvable pour la société ${companyId}.`);
  if ((current.status !== "mailed" && current.status !== "closed") || !current.payslipSet) {
    throw new ApiError(
      409,
      "NOT_REOPENABLE",
      current.status === "reopened"
        ? `La période ${period} est déjà rouverte pour correction : soumettez la version corrigée.`
        : `La période ${period} ne peut pas être rouverte : seule une période dont les bulletins sont envoyés ou clôturée se rouvre pour correction (état actuel : « ${current.status} »). Avant l'envoi, soumettez simplement une nouvelle version.`,
    );
  }
  const now = s.now().toISOString();
  const by = p.name || p.oid;
  const correction = {
    fromVersion: current.version,
    fromPayslipSet: current.payslipSet,
    previousStatus: current.status,
    reason: why.slice(0, 500),
    reopenedBy: by,
    reopenedAt: now,
    inForce: payslipsInForce(current),
  };
  try {
    await periods.transition(current, "reopened", { updatedAt: now, correction });
  } catch (e) {
    if (e instanceof ConcurrencyError)
      throw new ApiError(409, "CONFLICT", `La période ${period} a changé pendant la réouverture : rechargez-la puis recommencez.`);
    throw e;
  }
  await auditRepository(s.storage).append({
    companyId,
    at: now,
    actor: p.oid,
    action: "period.reopened",
    target: `${companyId}/${period}`,
    before: { status: current.status, version: current.version },
    after: { status: "reopened", version: current.version, reason: correction.reason, by },
  });
  s.log("period.reopened", { companyId, period, version: current.version });
  return {
    status: "reopened",
    version: current.version,
    previousStatus: correction.previousStatus,
    reason: correction.reason,
    reopenedBy: by,
    reopenedAt: now,
  };
}
