/** Closing a mailed period (POST …/periods/{period}/close): no resubmission after it. */
import type { Services } from "../app/services.ts";
import type { Principal } from "../auth/index.ts";
import { auditRepository, periodsRepository } from "../storage/index.ts";
import { ApiError } from "./errors.ts";
import { closeMailing } from "./mails.ts";

export async function closePeriod(s: Services, p: Principal, id: string, period: string): Promise<{ status: string; version: number; closedAt: string }> {
  const periods = periodsRepository(s.storage);
  const current = await periods.get(id, period);
  if (!current) throw new ApiError(404, "not_found", `Période ${period} introuvable pour la société ${id}.`);
  if (current.status === "generated") {
    // Not yet "mailed": say exactly which mails hold it, or move it on now that they are all out.
    const outcome = await closeMailing(s, id, period);
    if (!outcome.closed) {
      throw new ApiError(
        409,
        "MAILS_PENDING",
        `Période ${period} non clôturable : ${outcome.reason}${outcome.blocking.length ? ` — ${outcome.blocking.join(", ")}` : ""}.`,
        outcome.blocking,
      );
    }
  }
  const fresh = (await periods.get(id, period)) ?? current;
  const now = s.now().toISOString();
  // Only a mailed period closes (storage/periods.ts); a closed one can no longer be resubmitted.
  const closed = await periods.transition(fresh, "closed", { updatedAt: now, closedAt: now });
  await auditRepository(s.storage).append({
    companyId: id,
    at: now,
    actor: p.oid,
    action: "period.closed",
    target: `${id}/${period}`,
    before: { status: current.status },
    after: { status: closed.status, version: closed.version },
  });
  return { status: closed.status, version: closed.version, closedAt: now };
}
