/**
 * Every mail sent or failed leaves an audit entry: the queue the dispatcher uses is wrapped so that the entry is
 * written right after the status change it records (who: the dispatcher; what: the mail and Graph's request id).
 */
import type { MailQueue } from "../mail/types.ts";
import { auditRepository, type Storage } from "../storage/index.ts";

export function auditedQueue(queue: MailQueue, storage: Storage, now: () => Date): MailQueue {
  const audit = auditRepository(storage);
  const entry = (id: string, action: string, after: Record<string, unknown>) => {
    const [companyId, period, employeeId] = id.split("|");
    return audit.append({ companyId, at: now().toISOString(), actor: "timer:mail-dispatcher", action, target: `${companyId}/${period}/${employeeId}`, after });
  };
  return {
    listDue: (at, limit) => queue.listDue(at, limit),
    claim: (id, at) => queue.claim(id, at),
    reschedule: (id, dueAt) => queue.reschedule(id, dueAt),
    async markSent(id, outcome) {
      await queue.markSent(id, outcome);
      await entry(id, "mail.sent", { requestId: outcome.requestId, attempts: outcome.attempts });
    },
    async markFailed(id, outcome) {
      await queue.markFailed(id, outcome);
      await entry(id, outcome.final ? "mail.failed" : "mail.retry", {
        error: outcome.error.slice(0, 500),
        attempts: outcome.attempts,
        ...(outcome.requestId ? { requestId: outcome.requestId } : {}),
      });
    },
  };
}
