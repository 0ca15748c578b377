/**
 * Next month after a correction. Month M+1 is computed from M's carry (year-to-date totals, running ceilings, leave
 * counters), which the pane reads from GET …/periods/M/carry and puts in each input. Once M is corrected, an M+1
 * computed from M's reopened version is wrong: the rule is the simplest honest one — M+1 is « à recalculer ». Its
 * submission is refused (409 CARRY_STALE) while a carry in it differs from M's corrected one, a version of M+1
 * already stored is flagged by GET …/periods/{M+1} and its run is refused with the same French message naming M.
 * Only a corrected M (one with a correction record) is checked: before any correction, M+1 is submitted as today.
 * A mailed or closed M+1 is reopened and corrected in turn (its carry check then applies to the new version).
 */
import type { Recompute } from "../../shared/api/periods.ts";
import type { Services } from "../app/services.ts";
import { canonicalJson, periodsRepository, readCurrentPayslips } from "../storage/index.ts";

/** "2025-09" → "2025-08", "2026-01" → "2025-12". */
export function monthBefore(period: string): string {
  const [y, m] = period.split("-").map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

/**
 * The employees of `period` whose carry (matricule → the carry its input holds) no longer matches the corrected
 * previous month, with the message that says so; undefined when the previous month was never corrected or all match.
 */
export async function staleCarry(services: Services, companyId: string, period: string, carries: ReadonlyMap<string, unknown>): Promise<Recompute | undefined> {
  const previous = monthBefore(period);
  const record = await periodsRepository(services.storage).get(companyId, previous);
  if (!record?.correction || record.version <= record.correction.fromVersion) return undefined;
  const { payslips } = await readCurrentPayslips(services.storage, companyId, previous);
  const corrected = new Map(payslips.map((p) => [p.employeeId, p.carry]));
  const employees = [...carries]
    .filter(([id, carry]) => corrected.has(id) && corrected.get(id) != null && canonicalJson(carry ?? null) !== canonicalJson(corrected.get(id)))
    .map(([id]) => id)
    .sort();
  if (employees.length === 0) return undefined;
  const shown = employees.slice(0, 10).join(", ") + (employees.length > 10 ? "…" : "");
  return {
    correctedPeriod: previous,
    correctedVersion: record.version,
    employees,
    message: `Période ${period} à recalculer : le mois ${previous} a été corrigé (version ${record.version}) et le report (cumuls, plafonds, congés) de ${employees.length} salarié(s) ne correspond plus — ${shown}. Rechargez le report de ${previous}, recalculez ${period} puis soumettez à nouveau.`,
  };
}

/** The same for the version of `period` already stored (its inputs' carries). */
export async function storedCarryStale(services: Services, companyId: string, period: string): Promise<Recompute | undefined> {
  const previous = await periodsRepository(services.storage).get(companyId, monthBefore(period));
  if (!previous?.correction) return undefined;
  const { payslips } = await readCurrentPayslips(services.storage, companyId, period);
  return staleCarry(services, companyId, period, new Map(payslips.map((p) => [p.employeeId, (p.result as { input?: { carry?: unknown } }).input?.carry])));
}
