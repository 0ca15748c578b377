/** The admins' summary of a run (success, failure, cases to check), per the company's notification switches. */
import { randomUUID } from "node:crypto";
import type { Services } from "../app/services.ts";
import { escapeHtml, isValidMailAddress, MESSAGE_ID_DOMAIN } from "../mail/message.ts";
import type { Company } from "../storage/index.ts";

export interface Notification {
  kind: "success" | "failure";
  period: string;
  subject: string;
  lines: string[];
  casesToCheck: number;
}

export async function notifyAdmins(services: Services, company: Company, n: Notification): Promise<number> {
  const wanted =
    (n.kind === "success" && company.notifyOnSuccess) ||
    (n.kind === "failure" && company.notifyOnFailure) ||
    (n.casesToCheck > 0 && company.notifyOnCasesToCheck);
  if (!wanted) return 0;
  let sent = 0;
  for (const address of company.notificationRecipients) {
    if (!isValidMailAddress(address)) continue;
    await services.transport.send({
      key: { companyId: company.id, period: n.period, employeeId: `notification-${n.kind}` },
      to: { address },
      subject: n.subject,
      text: n.lines.join("\n"),
      html: `<p>${n.lines.map(escapeHtml).join("</p><p>")}</p>`,
      attachments: [],
      // Notifications are not deduplicated (each run says what it did): a fresh id per message.
      internetMessageId: `<notification.${randomUUID()}@${MESSAGE_ID_DOMAIN}>`,
    });
    sent++;
  }
  return sent;
}
