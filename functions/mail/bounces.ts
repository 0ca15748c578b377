/**
 * Non-delivery reports read back from the sending mailbox: Graph answers 202 to a message for an address that does
 * not exist, and Exchange's report arrives minutes later in the mailbox's inbox. Each report names our stable
 * Message-ID, so the mail row moves from "sent" to "bounced" (« retourné ») with the reason, for the admin summary.
 */

import type { TableMailQueue } from "./table-mail-queue.ts";
import type { MailTransport } from "./types.ts";

/** Reports are looked for over this window: Exchange retries a deferred delivery for up to two days. */
export const BOUNCE_WINDOW_MS = 3 * 24 * 3600_000;

export async function readNonDeliveries(
  transport: MailTransport,
  queue: Pick<TableMailQueue, "markBounced">,
  now: Date,
): Promise<{ reports: number; bounced: number }> {
  if (!transport.nonDeliveries) return { reports: 0, bounced: 0 };
  const reports = await transport.nonDeliveries(new Date(now.getTime() - BOUNCE_WINDOW_MS));
  let bounced = 0;
  for (const r of reports) {
    const reason = r.recipient ? `${r.recipient} : ${r.reason}` : r.reason;
    if (await queue.markBounced(r.internetMessageId, { reason, at: new Date(r.receivedAt) })) bounced++;
  }
  return { reports: reports.length, bounced };
}
