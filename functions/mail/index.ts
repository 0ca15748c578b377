/** Public surface of payslip mailing; configuration is described in transport.ts and timer.ts. */
export { buildPayslipMail, frenchPeriod, payslipFileName, type PayslipMailInput } from "./message.ts";
export { GraphTransport, type GraphTransportOptions } from "./graph-transport.ts";
export { EmlTransport, buildEml } from "./eml-transport.ts";
export { createMailTransport, mailRatePerMinute } from "./transport.ts";
export { dispatchDue, type DispatchOptions, type DispatchResult } from "./dispatcher.ts";
export { TableMailQueue, mailJobId, type NewMailJob } from "./table-mail-queue.ts";
export { MAIL_TIMER_SCHEDULE, mailBudgetMs } from "./timer.ts";
export { MailSendError, type MailJob, type MailMessage, type MailQueue, type MailTransport, type SendOptions, type SendResult } from "./types.ts";
