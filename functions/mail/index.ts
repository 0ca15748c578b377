/** Public surface of payslip mailing; configuration is described in transport.ts and timer.ts. */

export { type DispatchOptions, type DispatchResult, dispatchDue } from "./dispatcher.ts";
export { buildEml, EmlTransport } from "./eml-transport.ts";
export { GraphTransport, type GraphTransportOptions } from "./graph-transport.ts";
export { buildPayslipMail, frenchPeriod, type PayslipMailInput, payslipFileName, payslipMessageId } from "./message.ts";
export { readNonDelivery } from "./ndr.ts";
export { type MailPacer, PACING_TABLE, TableMailPacer } from "./pacing.ts";
export { parseRetryAfter, retryAfterDelay } from "./retry-after.ts";
export { mailJobId, type NewMailJob, TableMailQueue } from "./table-mail-queue.ts";
export { MAIL_TIMER_SCHEDULE, mailBudgetMs } from "./timer.ts";
export { createMailTransport, mailRatePerMinute } from "./transport.ts";
export {
  type MailJob,
  type MailMessage,
  type MailQueue,
  MailSendError,
  type MailTransport,
  type NonDelivery,
  type SendOptions,
  type SendResult,
} from "./types.ts";
