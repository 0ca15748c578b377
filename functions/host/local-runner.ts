/**
 * The project's own host for the function definitions, standing in for `func start` (Azure Functions Core Tools
 * cannot be installed here): node:http with the same /api routes, croner for the NCRONTAB schedules (six fields,
 * seconds first, UTC), workers on Azurite's queues for the queue triggers (queue-workers.ts, the host's retry and
 * poison semantics), real @azure/functions HttpRequest and InvocationContext objects given to the same handlers.
 */

import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { InvocationContext as Context, HttpResponseInit, Timer } from "@azure/functions";
import functions from "@azure/functions";
import { Cron } from "croner";

// @azure/functions is CommonJS: its classes come through the default export under Node's ESM loader.
const { HttpRequest, InvocationContext } = functions;

import type { FunctionDefinition, HttpDefinition, QueueDefinition, TimerDefinition } from "../definitions.ts";
import { corsDecision, readCorsOrigins } from "./cors.ts";
import { PortInUseError } from "./ports.ts";
import { type QueueHostSettings, type QueueWorkers, startQueueWorkers } from "./queue-workers.ts";

export interface RunnerOptions {
  port?: number;
  host?: string;
  /** Origins allowed to call the API from a browser (the task pane's dev server); default PAIE_CORS_ORIGINS. */
  corsOrigins?: string[];
  /** Start the timers (off in tests that fire them by hand). */
  timers?: boolean;
  /** Largest request body read from the socket. */
  maxBodyBytes?: number;
  log?: (line: string) => void;
  /** Serve the queue triggers: the connection string of each setting a trigger names, and the host's settings. */
  queues?: { connectionOf(setting: string): string; settings: QueueHostSettings };
}

export interface RunningHost {
  url: string;
  port: number;
  server: Server;
  /** Fires a timer now, as the schedule would. */
  fire(name: string): Promise<void>;
  /** Waits until the queue triggers have nothing left (none when the host serves no queues). */
  drainQueues(timeoutMs?: number): Promise<void>;
  /** Deliveries by queue: handled, failed, poisoned. */
  queueStats(): Readonly<Record<string, { handled: number; failed: number; poisoned: number }>>;
  close(): Promise<void>;
}

interface CompiledRoute {
  def: HttpDefinition;
  regex: RegExp;
  names: string[];
}

/** "companies/{companyId}/documents/{*path}" → a regex capturing companyId and path. */
export function compileRoute(template: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const pattern = template
    .split("/")
    .map((part) => {
      const m = /^\{(\*?)([A-Za-z]+)(?::[a-z]+)?\}$/.exec(part);
      if (!m) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      names.push(m[2]!);
      return m[1] ? "(.+)" : "([^/]+)";
    })
    .join("/");
  return { regex: new RegExp(`^/api/${pattern}/?$`), names };
}

function context(name: string, log: (line: string) => void, triggerMetadata?: Record<string, unknown>): Context {
  return new InvocationContext({
    functionName: name,
    invocationId: randomUUID(),
    ...(triggerMetadata ? { triggerMetadata } : {}),
    logHandler: (level, ...args) => log(`[${name}] ${level}: ${args.map(String).join(" ")}`),
  });
}

/** Bytes of an over-limit body read and dropped after the 413, so that the connection stays usable; past it, closed. */
export const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * Reads a body of at most `max` bytes. Over the limit it answers "too-large" at once but keeps reading — and
 * dropping — the rest: a client still sending would otherwise get a reset instead of the 413, and its keep-alive
 * connection would carry the unread bytes into the next request (the ECONNRESET that followed every 413).
 * A body still going past DRAIN_LIMIT_BYTES gets its connection closed.
 */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | "too-large"> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (over) {
        if (size > max + DRAIN_LIMIT_BYTES) req.socket.destroy();
        return;
      }
      if (size > max) {
        over = true;
        chunks.length = 0;
        resolve("too-large");
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!over) resolve(Buffer.concat(chunks));
    });
    req.on("error", (e) => {
      if (!over) reject(e);
    });
  });
}

/** Drops a body nobody will read (refused before reading): same reason as above. */
function drain(req: IncomingMessage): void {
  let size = 0;
  req.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > DRAIN_LIMIT_BYTES) req.socket.destroy();
  });
}

async function send(res: ServerResponse, out: HttpResponseInit, cors: Record<string, string>) {
  const headers: Record<string, string> = { ...cors };
  for (const [k, v] of Object.entries((out.headers ?? {}) as Record<string, string>)) headers[k] = String(v);
  let body: Buffer | undefined;
  if (out.jsonBody !== undefined) {
    body = Buffer.from(JSON.stringify(out.jsonBody));
    headers["Content-Type"] ??= "application/json; charset=utf-8";
  } else if (out.body instanceof Uint8Array) body = Buffer.from(out.body);
  else if (typeof out.body === "string") body = Buffer.from(out.body);
  res.writeHead(out.status ?? 200, headers);
  res.end(body);
}

export async function startLocalHost(defs: FunctionDefinition[], options: RunnerOptions = {}): Promise<RunningHost> {
  const log = options.log ?? ((l: string) => console.log(l));
  const max = options.maxBodyBytes ?? 16 * 1024 * 1024;
  const routes: CompiledRoute[] = defs.filter((d): d is HttpDefinition => d.kind === "http").map((def) => ({ def, ...compileRoute(def.route) }));
  const timers = new Map(defs.filter((d): d is TimerDefinition => d.kind === "timer").map((d) => [d.name, d]));

  const allowedOrigins = options.corsOrigins ?? readCorsOrigins();
  const server = createServer(async (req, res) => {
    const decision = corsDecision(req.headers.origin, allowedOrigins);
    const cors = decision.kind === "allowed" ? decision.headers : {};
    try {
      if (decision.kind === "refused") {
        drain(req);
        return void (await send(res, { status: decision.status, jsonBody: decision.body }, {}));
      }
      const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
      if (req.method === "OPTIONS") {
        drain(req);
        return void (await send(res, { status: 204 }, cors));
      }
      const candidates = routes.map((r) => ({ r, m: r.regex.exec(url.pathname) })).filter((x) => x.m);
      if (candidates.length === 0) {
        drain(req);
        return void (await send(res, { status: 404, jsonBody: { error: { code: "not_found", message: "Route inconnue." } } }, cors));
      }
      const match = candidates.find((x) => x.r.def.methods.includes(req.method as "GET"));
      if (!match) {
        drain(req);
        return void (await send(res, { status: 405, jsonBody: { error: { code: "method_not_allowed", message: "Méthode non permise." } } }, cors));
      }
      const tooLarge: HttpResponseInit = {
        status: 413,
        jsonBody: { error: { code: "BODY_TOO_LARGE", message: `Requête trop volumineuse (${max} octets au plus).` } },
      };
      const declared = Number(req.headers["content-length"] ?? 0);
      if (declared > max) {
        // Announced too large: answer before reading; drop what follows, or close when it would be too long to drop.
        if (declared > max + DRAIN_LIMIT_BYTES) return void (await send(res, { ...tooLarge, headers: { Connection: "close" } }, cors));
        drain(req);
        return void (await send(res, tooLarge, cors));
      }
      const body = await readBody(req, max);
      if (body === "too-large") return void (await send(res, tooLarge, cors));
      const params = Object.fromEntries(match.r.names.map((n, i) => [n, decodeURIComponent(match.m![i + 1]!)]));
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
      const request = new HttpRequest({
        method: req.method ?? "GET",
        url: url.toString(),
        headers,
        params,
        ...(body.length ? { body: { string: body.toString("utf8") } } : {}),
      });
      const out = await match.r.def.handler(request, context(match.r.def.name, log));
      await send(res, out, cors);
    } catch (error) {
      log(`local host: ${(error as Error).name}`);
      await send(res, { status: 500, jsonBody: { error: { code: "internal", message: "Erreur interne de l'hôte local." } } }, cors);
    }
  });

  const wanted = options.port ?? 7071;
  await new Promise<void>((resolve, reject) => {
    const refused = (e: NodeJS.ErrnoException) => reject(e.code === "EADDRINUSE" ? new PortInUseError(wanted, "hôte des fonctions", "PAIE_PORT") : e);
    server.once("error", refused);
    server.listen(wanted, options.host ?? "127.0.0.1", () => {
      server.off("error", refused);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;

  const fire = async (name: string, isPastDue = false) => {
    const def = timers.get(name);
    if (!def) throw new Error(`minuteur inconnu : ${name}`);
    const timer: Timer = { isPastDue, schedule: { adjustForDST: false }, scheduleStatus: { last: "", next: "", lastUpdated: "" } };
    await def.handler(timer, context(name, log));
  };
  const jobs: Cron[] = [];
  if (options.timers) {
    for (const def of timers.values()) {
      jobs.push(
        new Cron(def.schedule, { timezone: "UTC", protect: true }, () => fire(def.name).catch((e: Error) => log(`[${def.name}] failed: ${e.message}`))),
      );
    }
  }
  const queueDefs = defs.filter((d): d is QueueDefinition => d.kind === "queue");
  let workers: QueueWorkers | undefined;
  if (options.queues && queueDefs.length) {
    try {
      workers = await startQueueWorkers(queueDefs, {
        settings: options.queues.settings,
        connectionOf: options.queues.connectionOf,
        context: (def, metadata) => context(def.name, log, metadata),
        log,
      });
    } catch (e) {
      for (const j of jobs) j.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      throw e;
    }
  }
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
    port,
    server,
    fire,
    drainQueues: async (timeoutMs) => workers?.drain(timeoutMs),
    queueStats: () => workers?.stats ?? {},
    close: async () => {
      for (const j of jobs) j.stop();
      await workers?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
