/**
 * A local HTTPS stand-in for Microsoft Graph's `POST /v1.0/users/{id}/sendMail` that ENFORCES the documented
 * contract (learn.microsoft.com/graph/api/user-sendmail, outlook-large-attachments, throttling-limits):
 * bearer token, JSON content type and shape, valid base64, inline attachments < 3 MB, requests ≤ 4 MB,
 * at most 4 concurrent requests per mailbox; answers 202 with a `request-id` and no body.
 * Faults are scripted per request (429 + Retry-After, 503, 500, 403, hang). Accepted mails are recorded
 * with their decoded attachments so tests compare bytes, not just counts.
 */
import https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import type { Context, Middleware } from "@microsoft/microsoft-graph-client";
import { selfSignedCertificate } from "./tls.ts";

export const INLINE_ATTACHMENT_LIMIT = 3 * 1024 * 1024;
export const REQUEST_LIMIT = 4 * 1024 * 1024;
export const MAILBOX_CONCURRENCY = 4;

export type Fault =
  | { status: number; code?: string; message?: string; retryAfter?: string | number }
  | { hang: true };

export interface AcceptedMail {
  mailbox: string;
  requestId: string;
  subject: string;
  html: string;
  to: string[];
  saveToSentItems: boolean | undefined;
  attachments: { name: string; contentType: string; bytes: Buffer }[];
  headers: IncomingMessage["headers"];
}

export interface LoggedRequest {
  method: string;
  path: string;
  status: number | "hang";
  code?: string;
  retryAttempt?: string;
}

export interface GraphServer {
  baseUrl: string;
  ca: string;
  accepted: AcceptedMail[];
  requests: LoggedRequest[];
  /** Highest number of requests in flight at once for one mailbox. */
  maxConcurrency: number;
  /** Queues faults, consumed one per authenticated sendMail request, in order. */
  script(...faults: Fault[]): void;
  /** Forgets scripted faults not consumed yet and the recorded traffic (between tests). */
  reset(): void;
  /** Delays every answer (to observe concurrency). */
  setLatency(ms: number): void;
  close(): Promise<void>;
}

class ContractError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

const MESSAGE_PROPS = new Set([
  "subject", "body", "toRecipients", "ccRecipients", "bccRecipients", "replyTo", "from",
  "attachments", "importance", "internetMessageHeaders", "isDeliveryReceiptRequested", "isReadReceiptRequested",
]);
const EMAIL = /^[^\s@<>(),;:"\\]+@[^\s@<>(),;:"\\]+\.[^\s@<>(),;:"\\]+$/;

function isStrictBase64(value: string): boolean {
  if (value.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) return false;
  return Buffer.from(value, "base64").toString("base64") === value;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function validate(payload: unknown): Omit<AcceptedMail, "mailbox" | "requestId" | "headers"> {
  const bad = (message: string, code = "RequestBodyRead") => new ContractError(400, code, message);
  if (!isObject(payload)) throw bad("The request body must be a JSON object.");
  for (const k of Object.keys(payload)) {
    if (k !== "message" && k !== "saveToSentItems") throw bad(`Property '${k}' does not exist on type 'microsoft.graph.sendMail'.`);
  }
  if (payload.saveToSentItems !== undefined && typeof payload.saveToSentItems !== "boolean") throw bad("saveToSentItems must be a boolean.");
  const m = payload.message;
  if (!isObject(m)) throw bad("Missing 'message'.", "ErrorInvalidRequest");
  for (const k of Object.keys(m)) {
    if (!MESSAGE_PROPS.has(k)) throw bad(`Property '${k}' does not exist on type 'microsoft.graph.message'.`);
  }
  if (m.subject !== undefined && typeof m.subject !== "string") throw bad("subject must be a string.");
  const body = m.body;
  if (!isObject(body) || typeof body.content !== "string" || !["html", "text"].includes(String(body.contentType).toLowerCase())) {
    throw bad("body must be { contentType: 'HTML'|'Text', content: string }.");
  }
  const to = m.toRecipients;
  if (!Array.isArray(to) || to.length === 0) throw bad("At least one recipient is required.", "ErrorInvalidRecipients");
  const addresses = to.map((r) => {
    if (!isObject(r) || !isObject(r.emailAddress) || typeof r.emailAddress.address !== "string" || !EMAIL.test(r.emailAddress.address)) {
      throw bad("At least one recipient isn't valid.", "ErrorInvalidRecipients");
    }
    if (r.emailAddress.name !== undefined && typeof r.emailAddress.name !== "string") throw bad("Recipient name must be a string.");
    return r.emailAddress.address;
  });
  const attachments = m.attachments ?? [];
  if (!Array.isArray(attachments)) throw bad("attachments must be an array.");
  const decoded = attachments.map((a) => {
    if (!isObject(a) || a["@odata.type"] !== "#microsoft.graph.fileAttachment") {
      throw bad("Attachments must declare @odata.type '#microsoft.graph.fileAttachment'.", "ErrorInvalidRequest");
    }
    if (typeof a.name !== "string" || a.name.length === 0) throw bad("Attachment name is required.");
    if (typeof a.contentType !== "string") throw bad("Attachment contentType must be a string.");
    if (typeof a.contentBytes !== "string" || !isStrictBase64(a.contentBytes)) {
      throw bad("Invalid base64 string for attachment content.", "ErrorInvalidRequest");
    }
    const bytes = Buffer.from(a.contentBytes, "base64");
    if (bytes.length >= INLINE_ATTACHMENT_LIMIT) {
      throw new ContractError(413, "ErrorAttachmentSizeShouldNotBeLessThanMinimumSize", "Attachment size must be less than 3 MB inline; use an upload session.");
    }
    return { name: a.name, contentType: a.contentType, bytes };
  });
  return {
    subject: (m.subject as string | undefined) ?? "",
    html: body.content,
    to: addresses,
    saveToSentItems: payload.saveToSentItems as boolean | undefined,
    attachments: decoded,
  };
}

export async function startGraphServer(options: { token: string }): Promise<GraphServer> {
  const { key, cert, ca } = selfSignedCertificate();
  const faults: Fault[] = [];
  const inFlight = new Map<string, number>();
  let latencyMs = 0;
  const state = { accepted: [] as AcceptedMail[], requests: [] as LoggedRequest[], maxConcurrency: 0 };

  const answer = (res: ServerResponse, status: number, requestId: string, body?: unknown, extra: Record<string, string> = {}) => {
    const headers: Record<string, string> = { "request-id": requestId, "client-request-id": requestId, ...extra };
    if (body === undefined) {
      res.writeHead(status, headers).end();
    } else {
      res.writeHead(status, { ...headers, "content-type": "application/json" }).end(JSON.stringify(body));
    }
  };
  const graphError = (code: string, message: string, requestId: string) => ({
    error: { code, message, innerError: { "request-id": requestId, date: new Date().toISOString() } },
  });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const requestId = randomUUID();
    const url = new URL(req.url ?? "/", "https://127.0.0.1");
    const log: LoggedRequest = { method: req.method ?? "", path: url.pathname, status: 0 };
    const retryAttempt = req.headers["retry-attempt"];
    if (typeof retryAttempt === "string") log.retryAttempt = retryAttempt;
    state.requests.push(log);
    const fail = (e: ContractError) => {
      log.status = e.status;
      log.code = e.code;
      answer(res, e.status, requestId, graphError(e.code, e.message, requestId));
    };

    const match = /^\/v1\.0\/users\/([^/]+)\/sendMail$/i.exec(url.pathname);
    if (!match) return fail(new ContractError(404, "ResourceNotFound", "Resource not found for the segment."));
    if (req.method !== "POST") return fail(new ContractError(405, "Request_BadRequest", "The HTTP method is not allowed for this resource."));
    const mailbox = decodeURIComponent(match[1]!);

    const auth = req.headers.authorization;
    if (!auth) return fail(new ContractError(401, "InvalidAuthenticationToken", "Access token is empty."));
    if (auth !== `Bearer ${options.token}`) return fail(new ContractError(401, "InvalidAuthenticationToken", "Access token validation failure."));

    const declared = Number(req.headers["content-length"] ?? "0");
    if (declared > REQUEST_LIMIT) {
      req.resume();
      return fail(new ContractError(413, "RequestEntityTooLarge", "Maximum request length exceeded."));
    }

    const concurrent = (inFlight.get(mailbox) ?? 0) + 1;
    inFlight.set(mailbox, concurrent);
    state.maxConcurrency = Math.max(state.maxConcurrency, concurrent);
    try {
      const chunks: Buffer[] = [];
      let size = 0;
      let tooLarge = false;
      for await (const chunk of req as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > REQUEST_LIMIT) tooLarge = true;
        else chunks.push(chunk);
      }
      if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
      if (tooLarge) return fail(new ContractError(413, "RequestEntityTooLarge", "Maximum request length exceeded."));
      if (concurrent > MAILBOX_CONCURRENCY) {
        log.status = 429;
        log.code = "ApplicationThrottled";
        return answer(res, 429, requestId, graphError("ApplicationThrottled", "Application is over its MailboxConcurrency limit.", requestId), { "retry-after": "1" });
      }

      const fault = faults.shift();
      if (fault && "hang" in fault) {
        log.status = "hang";
        return; // never answers; the socket is destroyed on close()
      }
      if (fault) {
        log.status = fault.status;
        if (fault.code) log.code = fault.code;
        const extra: Record<string, string> = fault.retryAfter !== undefined ? { "retry-after": String(fault.retryAfter) } : {};
        return answer(res, fault.status, requestId, graphError(fault.code ?? "ServiceError", fault.message ?? `HTTP ${fault.status}`, requestId), extra);
      }

      const contentType = req.headers["content-type"] ?? "";
      if (!/^application\/json\b/i.test(contentType)) {
        return fail(new ContractError(400, "RequestBodyRead", "Content-Type must be application/json for a JSON sendMail request."));
      }
      let payload: unknown;
      try {
        payload = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        return fail(new ContractError(400, "RequestBodyRead", "Invalid JSON in request body."));
      }
      const mail = validate(payload);
      state.accepted.push({ ...mail, mailbox, requestId, headers: req.headers });
      log.status = 202;
      answer(res, 202, requestId);
    } catch (e) {
      if (e instanceof ContractError) return fail(e);
      throw e;
    } finally {
      inFlight.set(mailbox, (inFlight.get(mailbox) ?? 1) - 1);
    }
  };

  const server = https.createServer({ key, cert }, (req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    baseUrl: `https://127.0.0.1:${port}`,
    ca,
    get accepted() {
      return state.accepted;
    },
    get requests() {
      return state.requests;
    },
    get maxConcurrency() {
      return state.maxConcurrency;
    },
    script: (...f: Fault[]) => void faults.push(...f),
    reset: () => {
      faults.length = 0;
      state.accepted.length = 0;
      state.requests.length = 0;
      state.maxConcurrency = 0;
    },
    setLatency: (ms: number) => void (latencyMs = ms),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The last hop of the Graph client's middleware chain, on node:https with an explicit CA.
 *
 * Why not the SDK's HTTPMessageHandler (global fetch)? Node 20's fetch trusts only the bundled CAs plus
 * NODE_EXTRA_CA_CERTS, which is read once at process start (the test runner's child processes are already
 * running when the certificate is made); a per-request `dispatcher` needs undici's Agent, which Node 20 does
 * not expose and whose npm versions are not guaranteed to match the bundled fetch. Disabling verification
 * (NODE_TLS_REJECT_UNAUTHORIZED=0) would weaken the whole process. So tests replace only this hop; the
 * authentication, timeout and telemetry middlewares before it are the production ones, and TLS is still
 * verified (against this one CA).
 */
export function caTrustingTerminal(ca: string): Middleware {
  return {
    async execute(context: Context): Promise<void> {
      const url = typeof context.request === "string" ? context.request : context.request.url;
      const opts = context.options ?? {};
      const headers = new Headers(opts.headers as HeadersInit | undefined);
      const body = opts.body == null ? undefined : Buffer.from(opts.body as string | Uint8Array);
      if (body) headers.set("content-length", String(body.length));
      context.response = await new Promise<Response>((resolve, reject) => {
        const req = https.request(
          url,
          { method: opts.method ?? "GET", headers: Object.fromEntries(headers), ca, signal: opts.signal ?? undefined },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("error", reject);
            res.on("end", () => {
              const h = new Headers();
              for (const [k, v] of Object.entries(res.headers)) {
                if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(", ") : v);
              }
              const status = res.statusCode ?? 500;
              const nullBody = status === 204 || status === 304 || chunks.length === 0;
              resolve(new Response(nullBody ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage ?? "", headers: h }));
            });
          },
        );
        req.on("error", reject);
        req.end(body);
      });
    },
  };
}
