/** Public surface of payslip mailing; configuration is described in transport.ts and timer.ts. */
export { buildPayslipMail, frenchPeriod, payslipFileName, payslipMessageId, type PayslipMailInput } from "./message.ts";
export { GraphTransport, type GraphTransportOptions } from "./graph-transport.ts";
export { EmlTransport, buildEml } from "./eml-transport.ts";
export { createMailTransport, mailRatePerMinute } from "./transport.ts";
export { dispatchDue, type DispatchOptions, type DispatchResult } from "./dispatcher.ts";
export { TableMailQueue, mailJobId, type NewMailJob } from "./table-mail-queue.ts";
export { MAIL_TIMER_SCHEDULE, mailBudgetMs } from "./timer.ts";
export { TableMailPacer, PACING_TABLE, type MailPacer } from "./pacing.ts";
export { readNonDelivery } from "./ndr.ts";
export { parseRetryAfter, retryAfterDelay } from "./retry-after.ts";
export { MailSendError, type MailJob, type MailMessage, type MailQueue, type MailTransport, type NonDelivery, type SendOptions, type SendResult } from "./types.ts";
