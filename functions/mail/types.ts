/**
 * The contracts of the mail module: what a message is, what a transport does, what the dispatcher
 * needs from storage. Kept free of Azure and Graph imports so every side can depend on it (the status type is the
 * `mails` table's own, imported as a type only).
 */
import type { MailStatus } from "../storage/mails.ts";

export type { MailStatus };

/** Identifies one payslip mail; also the idempotency key (one mail per company, period, employee). */
export interface MailKey {
  companyId: string;
  /** "YYYY-MM". */
  period: string;
  employeeId: string;
}

export interface MailAttachment {
  name: string;
  contentType: "application/pdf";
  content: Uint8Array;
}

export interface MailMessage {
  key: MailKey;
  to: { address: string; name?: string };
  subject: string;
  html: string;
  text: string;
  attachments: MailAttachment[];
  /** RFC 5322 Message-ID, stable for one mail of one document version, e.g.
   *  "<paie.{companyId}.{period}.{employeeId}.v{version}@paie-monaco.invalid>" — the idempotency key checked before a resend. */
  internetMessageId: string;
}

export interface NonDelivery {
  /** internetMessageId of the original message the report is about. */
  internetMessageId: string;
  /** The recipient that bounced and the reason as the report gives it (French summary built by the caller). */
  recipient?: string;
  reason: string;
  receivedAt: string; // ISO
}

export interface SendResult {
  /** Graph's `request-id` (or the .eml Message-ID locally): what support asks for when a mail goes missing. */
  requestId: string;
  /** How many HTTP attempts it took (1 when nothing was retried). */
  attempts: number;
}

export interface SendOptions {
  /**
   * Time this send may take, retries and waits included; the transport gives up (retryable) rather
   * than start an attempt or a wait that could overrun it. Lets the dispatcher stay inside its budget.
   */
  maxDurationMs?: number;
}

export interface MailTransport {
  readonly kind: "graph" | "eml";
  send(message: MailMessage, options?: SendOptions): Promise<SendResult>;
  /** Was a message with this internetMessageId already accepted (e.g. found in Sent Items)? undefined when not found. */
  findSent?(internetMessageId: string): Promise<SendResult | undefined>;
  /** Non-delivery reports that arrived in the sending mailbox since `since`. */
  nonDeliveries?(since: Date): Promise<NonDelivery[]>;
}

/**
 * Why a send failed. `retryable` says whether trying again later may succeed (throttling, outage,
 * timeout); false means the request itself is wrong or not allowed and retrying only repeats the error.
 */
export class MailSendError extends Error {
  override readonly name = "MailSendError";
  constructor(
    message: string,
    readonly details: {
      reason: "too-large" | "invalid" | "throttled" | "unavailable" | "server-error" | "timeout" | "network" | "rejected" | "io";
      retryable: boolean;
      status?: number;
      code?: string;
      requestId?: string;
      attempts: number;
      /** When the service said how long to wait (Retry-After) and we did not wait it out here. */
      retryAfterMs?: number;
    },
  ) {
    super(message);
  }

  get retryable(): boolean {
    return this.details.retryable;
  }

  /** One line for the `lastError` column: status, Graph code, message, request id; never the body of the mail. */
  summary(): string {
    const d = this.details;
    const parts: string[] = [d.reason];
    if (d.status !== undefined) parts.push(`HTTP ${d.status}`);
    if (d.code) parts.push(d.code);
    parts.push(this.message);
    if (d.requestId) parts.push(`request-id ${d.requestId}`);
    return parts.join(" · ").slice(0, 1000);
  }
}

/**
 * One queued payslip mail, as the dispatcher sees it: a projection of a `mails` row (functions/storage/mails.ts,
 * partition `${companyId}|${period}`, row = matricule) with the queue's string id.
 */
export interface MailJob extends MailKey {
  /** Stable id given by the queue, derived from the key: `${companyId}|${period}|${employeeId}`. */
  id: string;
  status: MailStatus;
  /** ISO instant before which the mail must not be sent (the `email_delay_hours`, then retry back-off). */
  dueAt: string;
  recipient: string;
  /** Names for the greeting; optional because the dispatcher can also look them up (`loadNames`). */
  firstName?: string;
  lastName?: string;
  companyName?: string;
  /** Where the payslip PDF is (a blob name); resolved by the dispatcher's `loadAttachment`. */
  documentPath?: string;
  /** Period version whose payslip this mail carries. */
  version?: number;
  /** Dispatch attempts so far (each claim that reached the transport counts one). */
  attempts: number;
  claimedAt?: string;
  lastError?: string;
  graphRequestId?: string;
  sentAt?: string;
}

/**
 * What the dispatcher needs from storage. `claim` is the exactly-once guard: it must move the job
 * from pending to sending atomically (ETag), so only one of several concurrent dispatchers wins.
 * "sending" is a lease: a job whose claim expired (process killed mid-send) is listed and claimable again, and
 * the dispatcher first asks the transport (findSent, by the message's stable Message-ID) whether it went out.
 */
export interface MailQueue {
  /** Pending jobs whose `dueAt` is at or before `now`, oldest first, at most `limit`. */
  listDue(now: Date, limit: number): Promise<MailJob[]>;
  /** pending → sending; false when the job is no longer pending (someone else won, or it was cancelled). */
  claim(id: string, now?: Date): Promise<boolean>;
  /** sending → sent. */
  markSent(id: string, outcome: { requestId: string; sentAt: Date; attempts: number }): Promise<void>;
  /** sending → failed when `final`; otherwise back to pending, due again at `retryAt`. */
  markFailed(id: string, outcome: { error: string; attempts: number; final: boolean; retryAt?: Date; requestId?: string }): Promise<void>;
  /** sending → pending without counting an attempt (claimed but not sent, e.g. the PDF is not there yet). */
  reschedule(id: string, dueAt: Date): Promise<void>;
}
