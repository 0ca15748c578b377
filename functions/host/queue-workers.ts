/**
 * The queue triggers of the definitions, served from Azurite's queue service with the Functions host's semantics
 * (Azure Storage Queues extension, host.json `extensions.queues`), so the same handlers behave here as in Azure:
 * - a message is received with a lease (invisible for `leaseMs`, renewed halfway while the handler runs);
 * - success deletes it; a failure makes it visible again after `visibilityTimeout`, with the service's dequeueCount
 *   one higher at the next delivery;
 * - a failure at dequeueCount ≥ maxDequeueCount copies the message to `<queue>-poison` and deletes it, and a message
 *   delivered more often than that (its handler's process died each time) is poisoned without running;
 * - messages are base64 (the host's default messageEncoding), handed over JSON-parsed when they are JSON;
 * - trigger metadata carries id, dequeueCount, popReceipt, insertionTime, expirationTime, nextVisibleTime.
 * N workers (PAIE_QUEUE_WORKERS) poll concurrently, standing for the host's per-instance concurrency or instances.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { InvocationContext, TriggerMetadata } from "@azure/functions";
import { QueueServiceClient, type ReceivedMessageItem } from "@azure/storage-queue";
import type { QueueDefinition } from "../definitions.ts";

export interface QueueHostSettings {
  maxDequeueCount: number;
  /** Delay before a failed message is visible again. */
  visibilityTimeoutMs: number;
  /** Longest wait between polls of an empty queue. */
  maxPollingIntervalMs: number;
  /** How long a received message stays invisible while its handler runs (renewed halfway). */
  leaseMs: number;
  workers: number;
}

/** "hh:mm:ss" (host.json TimeSpan) → ms. */
function timeSpanMs(value: unknown, where: string): number | undefined {
  if (value === undefined) return undefined;
  const m = typeof value === "string" ? /^(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/.exec(value) : null;
  if (!m) throw new Error(`host.json ${where} : durée « hh:mm:ss » attendue (reçu ${JSON.stringify(value)})`);
  return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000 + Number((m[4] ?? "0").padEnd(3, "0"));
}

export const HOST_JSON = path.join(import.meta.dirname, "../host.json");

/** The settings of host.json (the extension's defaults where it says nothing), then PAIE_QUEUE_WORKERS. */
export function readQueueHostSettings(env: Record<string, string | undefined> = process.env, hostJson = HOST_JSON): QueueHostSettings {
  const host = JSON.parse(readFileSync(hostJson, "utf8")) as { functionTimeout?: string; extensions?: { queues?: Record<string, unknown> } };
  const q = host.extensions?.queues ?? {};
  const maxDequeueCount = q.maxDequeueCount ?? 5;
  if (!Number.isInteger(maxDequeueCount) || (maxDequeueCount as number) < 1)
    throw new Error("host.json extensions.queues.maxDequeueCount : entier ≥ 1 attendu");
  const rawWorkers = env.PAIE_QUEUE_WORKERS?.trim();
  const workers = rawWorkers ? Number(rawWorkers) : 2;
  if (!Number.isInteger(workers) || workers < 1 || workers > 64)
    throw new Error(`PAIE_QUEUE_WORKERS doit être un entier entre 1 et 64 (reçu « ${rawWorkers} »)`);
  return {
    maxDequeueCount: maxDequeueCount as number,
    visibilityTimeoutMs: timeSpanMs(q.visibilityTimeout, "extensions.queues.visibilityTimeout") ?? 0,
    maxPollingIntervalMs: timeSpanMs(q.maxPollingInterval, "extensions.queues.maxPollingInterval") ?? 60_000,
    // The host holds a message as long as an invocation may live (functionTimeout), default 10 min.
    leaseMs: timeSpanMs(host.functionTimeout, "functionTimeout") ?? 10 * 60_000,
    workers,
  };
}

export interface QueueWorkers {
  /** Resolves once every trigger queue is empty (invisible messages included) and no handler runs. */
  drain(timeoutMs?: number): Promise<void>;
  /** Deliveries so far, by queue: handled, failed, poisoned. */
  readonly stats: Readonly<Record<string, { handled: number; failed: number; poisoned: number }>>;
  stop(): Promise<void>;
}

export interface QueueWorkerOptions {
  settings: QueueHostSettings;
  /** The connection string of the setting a trigger names (AzureWebJobsStorage…). */
  connectionOf(setting: string): string;
  context(def: QueueDefinition, triggerMetadata: TriggerMetadata): InvocationContext;
  log(line: string): void;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const seconds = (ms: number) => Math.ceil(ms / 1000);

/** base64 → the value the host gives the handler; a message that is not base64 fails like it does in the host. */
function decode(text: string): unknown {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw new Error("message non encodé en base64 (messageEncoding du host.json)");
  const plain = Buffer.from(text, "base64").toString("utf8");
  try {
    return JSON.parse(plain);
  } catch {
    return plain;
  }
}

export async function startQueueWorkers(defs: QueueDefinition[], options: QueueWorkerOptions): Promise<QueueWorkers> {
  const { settings, log } = options;
  const services = new Map<string, QueueServiceClient>();
  const lanes = await Promise.all(
    defs.map(async (def) => {
      const conn = options.connectionOf(def.connection);
      let service = services.get(conn);
      if (!service) {
        service = QueueServiceClient.fromConnectionString(conn);
        services.set(conn, service);
      }
      const queue = service.getQueueClient(def.queueName);
      const poison = service.getQueueClient(`${def.queueName}-poison`);
      await queue.createIfNotExists();
      return { def, queue, poison };
    }),
  );
  const stats: Record<string, { handled: number; failed: number; poisoned: number }> = Object.fromEntries(
    defs.map((d) => [d.queueName, { handled: 0, failed: 0, poisoned: 0 }]),
  );
  let stopped = false;
  let busy = 0;
  const sleepers = new Set<() => void>();
  const wakeAll = () => {
    for (const w of sleepers) w();
    sleepers.clear();
  };

  const toPoison = async (lane: (typeof lanes)[number], id: string, popReceipt: string, text: string) => {
    await lane.poison.createIfNotExists();
    await lane.poison.sendMessage(text, { messageTimeToLive: -1 });
    await lane.queue.deleteMessage(id, popReceipt);
    stats[lane.def.queueName]!.poisoned++;
    log(`[${lane.def.name}] message ${id} mis dans ${lane.def.queueName}-poison`);
  };

  /** One delivery from `lane`, if it has a visible message; false when it had none. */
  const deliverOne = async (lane: (typeof lanes)[number]): Promise<boolean> => {
    const { receivedMessageItems } = await lane.queue.receiveMessages({ numberOfMessages: 1, visibilityTimeout: seconds(settings.leaseMs) });
    const msg = receivedMessageItems[0];
    if (!msg) return false;
    // Counted from receipt to deletion (or release): until deleted, the message also counts in the queue's length.
    busy++;
    try {
      return await handle(lane, msg);
    } finally {
      busy--;
    }
  };

  const handle = async (lane: (typeof lanes)[number], msg: ReceivedMessageItem): Promise<boolean> => {
    let popReceipt = msg.popReceipt;
    if (msg.dequeueCount > settings.maxDequeueCount) {
      await toPoison(lane, msg.messageId, popReceipt, msg.messageText);
      return true;
    }
    const renew = setInterval(() => {
      lane.queue.updateMessage(msg.messageId, popReceipt, undefined, seconds(settings.leaseMs)).then(
        (r) => {
          popReceipt = r.popReceipt ?? popReceipt;
        },
        (e: Error) => log(`[${lane.def.name}] bail non renouvelé : ${e.message}`),
      );
    }, settings.leaseMs / 2);
    let failure: Error | undefined;
    try {
      const metadata: TriggerMetadata = {
        id: msg.messageId,
        dequeueCount: msg.dequeueCount,
        popReceipt,
        insertionTime: msg.insertedOn.toISOString(),
        expirationTime: msg.expiresOn.toISOString(),
        nextVisibleTime: msg.nextVisibleOn.toISOString(),
      };
      await lane.def.handler(decode(msg.messageText), options.context(lane.def, metadata));
    } catch (e) {
      failure = e as Error;
    } finally {
      clearInterval(renew);
    }
    if (!failure) {
      await lane.queue.deleteMessage(msg.messageId, popReceipt);
      stats[lane.def.queueName]!.handled++;
      return true;
    }
    stats[lane.def.queueName]!.failed++;
    log(`[${lane.def.name}] échec (tentative ${msg.dequeueCount}/${settings.maxDequeueCount}) : ${failure.message.slice(0, 300)}`);
    if (msg.dequeueCount >= settings.maxDequeueCount) await toPoison(lane, msg.messageId, popReceipt, msg.messageText);
    else await lane.queue.updateMessage(msg.messageId, popReceipt, undefined, seconds(settings.visibilityTimeoutMs));
    return true;
  };

  const worker = async (index: number) => {
    // The host's polling: at once again after a message, else an exponential back-off up to maxPollingInterval.
    let idleMs = 50;
    while (!stopped) {
      let found = false;
      for (let i = 0; i < lanes.length && !stopped; i++) {
        const lane = lanes[(i + index) % lanes.length]!;
        try {
          found = (await deliverOne(lane)) || found;
        } catch (e) {
          if (!stopped) log(`[${lane.def.name}] file injoignable : ${(e as Error).message.slice(0, 200)}`);
        }
      }
      if (found) {
        idleMs = 50;
        continue;
      }
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          sleepers.delete(done);
          resolve();
        };
        const timer = setTimeout(done, idleMs);
        sleepers.add(done);
      });
      idleMs = Math.min(idleMs * 2, settings.maxPollingIntervalMs);
    }
  };
  const loops = Array.from({ length: settings.workers }, (_, i) => worker(i));

  return {
    stats,
    async drain(timeoutMs = 120_000) {
      const until = Date.now() + timeoutMs;
      let quiet = 0;
      wakeAll();
      // Twice in a row: a message received between the count and the busy check is seen at the second look.
      while (quiet < 2) {
        if (Date.now() > until) throw new Error(`files non vidées en ${timeoutMs} ms`);
        const counts = await Promise.all(lanes.map(async (l) => (await l.queue.getProperties()).approximateMessagesCount ?? 0));
        quiet = busy === 0 && counts.every((c) => c === 0) ? quiet + 1 : 0;
        await sleep(50);
      }
    },
    async stop() {
      stopped = true;
      wakeAll();
      await Promise.all(loops);
    },
  };
}
