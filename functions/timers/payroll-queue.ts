/**
 * The payroll-run queue: one message per company, month and version, sent by the scheduler and by "run now", read
 * by the `payroll-run` queue function (functions/definitions.ts) — on as many instances as the Functions host scales
 * to, or by the local runner's workers (functions/host/queue-workers.ts).
 *
 * The queue lives in the app's own storage account (the one of the tables and blobs). In Azure that account is also
 * AzureWebJobsStorage (infra/main.bicep: same account, Storage Queue Data Contributor granted), which is the
 * connection the trigger names; locally both settings hold Azurite's connection string.
 *
 * Messages are base64 of the JSON: the host's default `messageEncoding` (host.json) decodes base64 before the
 * handler sees the message, and refuses plain text.
 */
import { DefaultAzureCredential } from "@azure/identity";
import { type QueueClient, QueueServiceClient } from "@azure/storage-queue";
import { type Static, Type } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { PERIOD_PATTERN } from "../../shared/core/period.ts";
import type { StorageSettings } from "../storage/index.ts";
import { COMPANY_ID_PATTERN } from "../storage/keys.ts";

export const PAYROLL_QUEUE = "payroll-runs";
/** The Functions host moves a message here after `maxDequeueCount` failed attempts (host.json). */
export const POISON_SUFFIX = "-poison";
/** The setting the trigger reads its connection from (see the header). */
export const QUEUE_CONNECTION = "AzureWebJobsStorage";

export const PayrollRunMessageSchema = Type.Object(
  {
    companyId: Type.String({ pattern: COMPANY_ID_PATTERN }),
    period: Type.String({ pattern: PERIOD_PATTERN }),
    version: Type.Integer({ minimum: 1 }),
    /** Who asked: "timer:payroll" or the admin's object id (run now). */
    requestedBy: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type PayrollRunMessage = Static<typeof PayrollRunMessageSchema>;
const check = TypeCompiler.Compile(PayrollRunMessageSchema);

/** The message as the host hands it over (JSON already parsed, or the decoded text), validated. */
export function parsePayrollRunMessage(raw: unknown): PayrollRunMessage {
  let value = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new Error("message de la file « payroll-runs » illisible : JSON invalide");
    }
  }
  if (!check.Check(value)) {
    const first = check.Errors(value).First();
    throw new Error(`message de la file « payroll-runs » invalide : ${first?.path || "/"} ${first?.message ?? ""}`.trim());
  }
  return value;
}

export const encodeQueueMessage = (value: unknown) => Buffer.from(JSON.stringify(value), "utf8").toString("base64");

export interface PayrollQueue {
  send(message: PayrollRunMessage): Promise<{ messageId: string }>;
}

/** A QueueServiceClient on the app's storage account (connection string, or the managed identity in Azure). */
export function queueServiceFor(settings: StorageSettings): QueueServiceClient {
  if (settings.account) return new QueueServiceClient(`https://${settings.account}.queue.core.windows.net`, new DefaultAzureCredential());
  return QueueServiceClient.fromConnectionString(settings.connectionString);
}

export function payrollQueue(client: QueueClient): PayrollQueue {
  let created: Promise<unknown> | undefined;
  return {
    async send(message) {
      created ??= client.createIfNotExists().catch((e: unknown) => {
        created = undefined;
        throw e;
      });
      await created;
      // Never expires (-1): a month left in the queue while the host is down must still run when it comes back.
      const sent = await client.sendMessage(encodeQueueMessage(message), { messageTimeToLive: -1 });
      return { messageId: sent.messageId };
    },
  };
}

export function payrollQueueFor(settings: StorageSettings): PayrollQueue {
  return payrollQueue(queueServiceFor(settings).getQueueClient(PAYROLL_QUEUE));
}
