/**
 * Reads a non-delivery report (NDR, "bounce") found in the sending mailbox: which message it is about, which
 * recipient failed and why. Graph v1.0 exposes a report as an ordinary message, so it is recognised by what
 * Exchange puts on it — the X-MS-Exchange-Message-Is-Ndr header, a multipart/report delivery-status content
 * type, or the localized subject ("Undeliverable:", "Non remis :") — and read from its headers and text body.
 *
 * The original Message-ID comes from In-Reply-To/References (Exchange threads the report under the message it
 * reports on), else from the "Message-ID:" line of the original headers quoted in the body. A report naming
 * no message id is not returned: nothing could be matched to it.
 */
import type { NonDelivery } from "./types.ts";

/** What the transport asks Graph for, per message (names as Graph returns them). */
export interface InboxMessage {
  id?: string;
  subject?: string | null;
  receivedDateTime?: string | null;
  from?: { emailAddress?: { address?: string | null } | null } | null;
  body?: { contentType?: string | null; content?: string | null } | null;
  internetMessageHeaders?: { name?: string | null; value?: string | null }[] | null;
}

const REPORT_SUBJECT =
  /^\s*(undeliverable|undelivered mail returned to sender|delivery status notification \(failure\)|mail delivery failed|non remis|non distribuable|échec de la remise)\b/i;
const MSG_ID = /<[^<>\s@]+@[^<>\s]+>/g;
const ADDRESS = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+/;

function header(m: InboxMessage, name: string): string | undefined {
  const h = m.internetMessageHeaders?.find((x) => x?.name?.toLowerCase() === name.toLowerCase());
  return h ? (h.value ?? "") : undefined;
}

/** Body as text whatever Graph returned (the transport asks for text; HTML is stripped if it came anyway). */
function bodyText(m: InboxMessage): string {
  const content = m.body?.content ?? "";
  if ((m.body?.contentType ?? "").toLowerCase() !== "html") return content;
  return content
    .replace(/<(br|\/p|\/div|\/tr|\/pre|\/li)\b[^>]*>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

export function isNonDeliveryReport(m: InboxMessage): boolean {
  if (header(m, "X-MS-Exchange-Message-Is-Ndr") !== undefined) return true;
  const ct = header(m, "Content-Type") ?? "";
  if (/multipart\/report/i.test(ct) && /delivery-status/i.test(ct)) return true;
  return REPORT_SUBJECT.test(m.subject ?? "");
}

const oneLine = (s: string) =>
  s
    .replace(/[\u0000-\u001f\u007f]+/g, " ")
    .replace(/\s{2,}/g, " ")
    .trim();

function originalMessageId(m: InboxMessage, text: string): string | undefined {
  for (const name of ["In-Reply-To", "References"]) {
    const ids = (header(m, name) ?? "").match(MSG_ID);
    // References lists the thread oldest first; the report is about the newest, i.e. the last one.
    if (ids && ids.length > 0) return name === "References" ? ids[ids.length - 1] : ids[0];
  }
  const quoted = /^\s*Message-ID:\s*(<[^<>\s@]+@[^<>\s]+>)/im.exec(text);
  return quoted?.[1];
}

function failedRecipient(text: string, mailbox: string, from: string | undefined): string | undefined {
  const patterns = [
    /Final-Recipient:\s*rfc822;\s*<?([^\s<>;]+@[^\s<>;]+?)>?\s*$/im,
    /Your message to\s+<?([^\s<>]+@[^\s<>]+?)>?\s+couldn't be delivered/i,
    /Votre message (?:à|a|pour)\s+<?([^\s<>]+@[^\s<>]+?)>?\s+n'a pas pu être remis/i,
  ];
  for (const p of patterns) {
    const m = p.exec(text);
    if (m) return m[1];
  }
  // Last resort: the first address in the report that is neither the mailbox nor the reporting postmaster.
  for (const line of text.split("\n")) {
    const m = ADDRESS.exec(line);
    if (m && m[0].toLowerCase() !== mailbox.toLowerCase() && m[0].toLowerCase() !== (from ?? "").toLowerCase()) return m[0];
  }
  return undefined;
}

function failureReason(text: string): string | undefined {
  const patterns = [
    /Remote Server returned '([^']+)'/i,
    /Le serveur distant a retourné '([^']+)'/i,
    /Diagnostic-Code:\s*smtp;\s*(.+)$/im,
    // An enhanced status code (RFC 3463) with its reply text, wherever it is.
    /\b([45]\d\d[ -][245]\.\d{1,3}\.\d{1,3}\b[^\n']*)/,
    /\b([245]\.\d{1,3}\.\d{1,3}\s+[^\n']+)/,
  ];
  for (const p of patterns) {
    const m = p.exec(text);
    if (m) return oneLine(m[1]!).slice(0, 500);
  }
  return undefined;
}

/** The report as a NonDelivery, or undefined when the message is no report or names no original message. */
export function readNonDelivery(m: InboxMessage, mailbox: string, now = new Date()): NonDelivery | undefined {
  if (!isNonDeliveryReport(m)) return undefined;
  const text = bodyText(m);
  const internetMessageId = originalMessageId(m, text);
  if (!internetMessageId) return undefined;
  const from = m.from?.emailAddress?.address ?? undefined;
  const recipient = failedRecipient(text, mailbox, from);
  const reason = failureReason(text) ?? (oneLine(m.subject ?? "") || "rapport de non-remise sans diagnostic");
  const received = m.receivedDateTime ? new Date(m.receivedDateTime) : undefined;
  return {
    internetMessageId,
    ...(recipient ? { recipient } : {}),
    reason,
    // Graph always gives receivedDateTime for a received item; should it be missing, "when we read it" is the honest bound.
    receivedAt: (received && !Number.isNaN(received.getTime()) ? received : now).toISOString(),
  };
}
