/**
 * A dispatcher process for tests/reliability/mail-crash.test.ts: the production queue (Azurite, given table) and the
 * production .eml transport, dispatching until nothing is due. Each accepted send is appended to a log right after
 * the transport returns, so the test can count sends (a duplicate is a Message-ID logged twice) while it kills
 * this process with SIGKILL at arbitrary moments.
 */
import { appendFileSync } from "node:fs";
import { dispatchDue } from "../../../functions/mail/dispatcher.ts";
import { EmlTransport } from "../../../functions/mail/eml-transport.ts";
import { TableMailQueue } from "../../../functions/mail/table-mail-queue.ts";
import type { MailMessage, MailTransport } from "../../../functions/mail/types.ts";

const [connection, table, outbox, log, leaseMs] = process.argv.slice(2) as [string, string, string, string, string];
const queue = TableMailQueue.fromConnectionString(connection, table, { leaseMs: Number(leaseMs) });
const eml = new EmlTransport({ outboxDir: outbox, from: "paie@demo.example" });
const transport: MailTransport = {
  kind: "eml",
  async send(message: MailMessage) {
    const r = await eml.send(message);
    appendFileSync(log, `${message.internetMessageId}\n`);
    return r;
  },
  findSent: (id) => eml.findSent(id),
};
const pdf = new TextEncoder().encode("%PDF-1.7\n%crash test\n");
for (;;) {
  const r = await dispatchDue({ queue, transport, ratePerMinute: 600_000, budgetMs: 600_000, sleep: async () => undefined, loadAttachment: async () => pdf });
  if (r.sent + r.recovered + r.failed + r.retried === 0) break;
}
process.stdout.write("done\n");
