/**
 * Sends payslip mails through Microsoft Graph `POST /users/{mailbox}/sendMail` with app-only credentials, and
 * reads back what became of them: `findSent` (Sent Items, by our internetMessageId) and `nonDeliveries`
 * (bounces in the mailbox's inbox). Permissions: Mail.Send, plus Mail.Read on the same mailbox for the reads.
 *
 * Built on @microsoft/microsoft-graph-client 3.0.7 with an explicit middleware chain:
 *   AuthenticationHandler (real, token from an @azure/identity TokenCredential)
 *   → AttemptTimeout (ours: one AbortSignal per HTTP attempt)
 *   → TelemetryHandler (real: SdkVersion, client-request-id)
 *   → terminal (the SDK's HTTPMessageHandler = global fetch; tests swap only this hop to trust a private CA).
 *
 * The SDK's RetryHandler is deliberately left out and retries live in `request()`: it cannot retry network
 * errors or timeouts, its sleep cannot be injected (tests would wait for real), and it hides how many
 * attempts were made, which the mail record must keep. Requests use ResponseType.RAW so the status,
 * `request-id` and `Retry-After` of every answer are visible (a 202 otherwise resolves to an empty stream).
 */

import type { TokenCredential } from "@azure/identity";
import {
  AuthenticationHandler,
  Client,
  type Context,
  HTTPMessageHandler,
  type Middleware,
  ResponseType,
  TelemetryHandler,
} from "@microsoft/microsoft-graph-client";
import { TokenCredentialAuthenticationProvider } from "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js";
import { type Static, type TSchema, Type } from "@sinclair/typebox";
import { type TypeCheck, TypeCompiler } from "@sinclair/typebox/compiler";
import { readNonDelivery } from "./ndr.ts";
import { retryAfterDelay } from "./retry-after.ts";
import { type MailMessage, MailSendError, type MailTransport, type NonDelivery, type SendOptions, type SendResult } from "./types.ts";

export const GRAPH_SCOPE = "https://graph.microsoft.com/.default";
/** Graph accepts inline file attachments strictly below 3 MB; larger ones need an upload session. */
export const MAX_INLINE_ATTACHMENT_BYTES = 3 * 1024 * 1024;
/** Graph rejects request bodies above 4 MB (413). */
export const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

export interface GraphTransportOptions {
  /** The sending mailbox (UPN or object id), scoped for the app by Exchange RBAC. */
  mailbox: string;
  credential: TokenCredential;
  /** Default https://graph.microsoft.com; any other https host is added to the SDK's customHosts so the token is sent. */
  baseUrl?: string;
  /** HTTP attempts per mail, first one included. */
  maxAttempts?: number;
  /** Per attempt; a hung connection counts as a retryable timeout. */
  timeoutMs?: number;
  /** Longest single wait done in place; a longer Retry-After ends the send (retryable) instead. */
  maxRetryDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Replaces only the last network hop; for tests that must trust a self-signed certificate. */
  httpTerminal?: Middleware;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Gives each HTTP attempt its own deadline; fetch (and the test terminal) abort on it. */
class AttemptTimeout implements Middleware {
  private next?: Middleware;
  constructor(private readonly timeoutMs: number) {}
  async execute(context: Context): Promise<void> {
    context.options = { ...(context.options ?? {}), signal: AbortSignal.timeout(this.timeoutMs) };
    await this.next!.execute(context);
  }
  setNext(next: Middleware): void {
    this.next = next;
  }
}

export { parseRetryAfter } from "./retry-after.ts";

interface GraphErrorBody {
  error?: { code?: string; message?: string; innerError?: { "request-id"?: string } };
}

/** What a page of a Graph collection must look like before anything in it is believed (extra properties allowed). */
const pageOf = <T extends TSchema>(item: T) => Type.Object({ value: Type.Array(item), "@odata.nextLink": Type.Optional(Type.String()) });
const Nullable = <T extends TSchema>(t: T) => Type.Optional(Type.Union([t, Type.Null()]));
const SentItem = Type.Object({ id: Type.String(), internetMessageId: Nullable(Type.String()) });
const InboxItem = Type.Object({
  id: Type.String(),
  subject: Nullable(Type.String()),
  receivedDateTime: Nullable(Type.String()),
  from: Nullable(Type.Object({ emailAddress: Nullable(Type.Object({ address: Nullable(Type.String()) })) })),
  body: Nullable(Type.Object({ contentType: Nullable(Type.String()), content: Nullable(Type.String()) })),
  internetMessageHeaders: Nullable(Type.Array(Type.Object({ name: Type.String(), value: Nullable(Type.String()) }))),
});
const SentItemsPage = TypeCompiler.Compile(pageOf(SentItem));
const InboxPage = TypeCompiler.Compile(pageOf(InboxItem));
interface Page<S extends TSchema> {
  value: Static<S>[];
  "@odata.nextLink"?: string;
}

/** A page of a list can never be more than this many in a row: a server answering a nextLink forever is a bug. */
const MAX_PAGES = 1000;
/** Page size asked for lists (Graph's default is 10, its maximum 1000). */
const PAGE_SIZE = 50;

/** OData string literal: single quotes doubled (OData ABNF, SQUOTE-in-string). */
const odataString = (value: string) => `'${value.replace(/'/g, "''")}'`;

function toGraphPayload(message: MailMessage) {
  return {
    message: {
      subject: message.subject,
      body: { contentType: "HTML", content: message.html },
      toRecipients: [{ emailAddress: message.to.name ? { address: message.to.address, name: message.to.name } : { address: message.to.address } }],
      // Ours, stable across attempts: what findSent looks for in Sent Items before a resend.
      internetMessageId: message.internetMessageId,
      attachments: message.attachments.map((a) => ({
        "@odata.type": "#microsoft.graph.fileAttachment",
        name: a.name,
        contentType: a.contentType,
        contentBytes: Buffer.from(a.content).toString("base64"),
      })),
    },
    // Kept in Sent Items: the only record Graph offers of what it accepted, and the idempotency check.
    saveToSentItems: true,
  };
}

interface Answer {
  response: Response;
  attempts: number;
  requestId: string;
}

export class GraphTransport implements MailTransport {
  readonly kind = "graph" as const;
  private readonly client: Client;
  private readonly maxAttempts: number;
  private readonly maxRetryDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly baseUrl: string;

  constructor(private readonly options: GraphTransportOptions) {
    const baseUrl = (options.baseUrl ?? "https://graph.microsoft.com").replace(/\/+$/, "");
    this.baseUrl = baseUrl;
    const host = new URL(baseUrl).hostname;
    const auth = new AuthenticationHandler(new TokenCredentialAuthenticationProvider(options.credential, { scopes: [GRAPH_SCOPE] }));
    const timeout = new AttemptTimeout(options.timeoutMs ?? 30_000);
    const telemetry = new TelemetryHandler();
    const terminal = options.httpTerminal ?? new HTTPMessageHandler();
    auth.setNext(timeout);
    timeout.setNext(telemetry);
    telemetry.setNext(terminal);
    this.client = Client.initWithMiddleware({
      middleware: auth,
      baseUrl: `${baseUrl}/`,
      defaultVersion: "v1.0",
      customHosts: host === "graph.microsoft.com" ? undefined : new Set([host]),
    });
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 4);
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 60_000;
    this.sleep = options.sleep ?? defaultSleep;
  }

  private get userPath(): string {
    return `/users/${encodeURIComponent(this.options.mailbox)}`;
  }

  async send(message: MailMessage, options: SendOptions = {}): Promise<SendResult> {
    return this.post(toGraphPayload(message), options);
  }

  /**
   * Sends a short test mail from the mailbox to itself. A GET on the user would need User.Read.All,
   * which this app should not hold: only a real sendMail proves the token, the Mail.Send grant and the
   * Exchange RBAC scope on this very mailbox.
   */
  async testConnection(): Promise<SendResult> {
    return this.post({
      message: {
        subject: "Paie Monaco — test de connexion",
        body: { contentType: "HTML", content: "<p>Test de connexion de Paie Monaco : l'envoi des bulletins depuis cette boîte est opérationnel.</p>" },
        toRecipients: [{ emailAddress: { address: this.options.mailbox } }],
        attachments: [],
      },
      saveToSentItems: false,
    });
  }

  /**
   * Whether Graph already accepted a message with this id: looked up in the mailbox's Sent Items (where
   * `send` saves every payslip). A 202 is only written there once Exchange has processed the submission,
   * so "not found" right after a send means "not yet, or never": callers wait before relying on it.
   * Needs Mail.ReadBasic (or Mail.Read) on the mailbox in addition to Mail.Send.
   */
  async findSent(internetMessageId: string): Promise<SendResult | undefined> {
    const filter = `internetMessageId eq ${odataString(internetMessageId)}`;
    const path =
      `${this.userPath}/mailFolders/sentitems/messages` +
      `?$filter=${encodeURIComponent(filter)}&$select=${encodeURIComponent("id,internetMessageId,sentDateTime")}&$top=${PAGE_SIZE}`;
    let attempts = 0;
    for await (const { items, answer } of this.pages<typeof SentItem>(path, SentItemsPage)) {
      attempts += answer.attempts;
      // Graph compares case-insensitively; a Message-ID is compared exactly (RFC 5322 gives no case rule for it).
      if (items.some((m) => m.internetMessageId === internetMessageId)) return { requestId: answer.requestId, attempts };
    }
    return undefined;
  }

  /**
   * Non-delivery reports received in the mailbox's inbox since `since` (Exchange delivers them there, minutes
   * after the 202). Needs Mail.Read on the mailbox: the report's text and headers are what say which message
   * and which recipient failed.
   */
  async nonDeliveries(since: Date): Promise<NonDelivery[]> {
    if (Number.isNaN(since.getTime())) throw new Error("nonDeliveries : date de début invalide");
    const filter = `receivedDateTime ge ${since.toISOString()}`;
    const select = "id,subject,receivedDateTime,from,body,internetMessageHeaders";
    const path =
      `${this.userPath}/mailFolders/inbox/messages` + `?$filter=${encodeURIComponent(filter)}&$select=${encodeURIComponent(select)}&$top=${PAGE_SIZE}`;
    const found: NonDelivery[] = [];
    for await (const { items } of this.pages<typeof InboxItem>(path, InboxPage, { Prefer: 'outlook.body-content-type="text"' })) {
      for (const m of items) {
        const report = readNonDelivery(m, this.options.mailbox);
        if (report) found.push(report);
      }
    }
    return found;
  }

  /** Every page of a Graph collection, following @odata.nextLink (only to our own Graph host), each checked against `check`. */
  private async *pages<S extends TSchema>(
    first: string,
    check: TypeCheck<TSchema>,
    headers: Record<string, string> = {},
  ): AsyncGenerator<{ items: Static<S>[]; answer: Answer }> {
    let next: string | undefined = first;
    for (let n = 0; next !== undefined; n++) {
      if (n >= MAX_PAGES)
        throw new MailSendError(`Pagination Graph interrompue après ${MAX_PAGES} pages`, { reason: "server-error", retryable: true, attempts: 0 });
      const answer = await this.request("GET", next, { headers });
      const bad = (why: string) =>
        new MailSendError(`Réponse Graph inattendue : ${why}`, {
          reason: "server-error",
          retryable: true,
          attempts: answer.attempts,
          requestId: answer.requestId,
        });
      let body: unknown;
      try {
        body = await answer.response.json();
      } catch {
        throw bad("JSON attendu");
      }
      if (!check.Check(body)) {
        const first = check.Errors(body).First();
        throw bad(first ? `${first.path || "/"} ${first.message}` : "forme invalide");
      }
      const page = body as Page<S>;
      yield { items: page.value, answer };
      const link = page["@odata.nextLink"];
      // The bearer token goes with the request: never follow a link off the Graph host we were given.
      if (link !== undefined && new URL(link).origin !== new URL(this.baseUrl).origin) {
        throw new MailSendError("Lien de page Graph hors de l'hôte Graph configuré", {
          reason: "invalid",
          retryable: false,
          attempts: answer.attempts,
          requestId: answer.requestId,
        });
      }
      next = link;
    }
  }

  private async post(
    payload: { message: Record<string, unknown> & { attachments: { name: string; contentBytes: string }[] }; saveToSentItems: boolean },
    options: SendOptions = {},
  ): Promise<SendResult> {
    for (const a of payload.message.attachments) {
      const bytes = Buffer.byteLength(a.contentBytes, "base64");
      if (bytes >= MAX_INLINE_ATTACHMENT_BYTES) {
        throw new MailSendError(`Pièce jointe « ${a.name} » trop volumineuse (${bytes} octets) : Graph n'accepte en ligne que les fichiers de moins de 3 Mo`, {
          reason: "too-large",
          retryable: false,
          attempts: 0,
        });
      }
    }
    const body = JSON.stringify(payload);
    if (Buffer.byteLength(body, "utf8") >= MAX_REQUEST_BYTES) {
      throw new MailSendError("Message trop volumineux : Graph refuse les requêtes de plus de 4 Mo", {
        reason: "too-large",
        retryable: false,
        attempts: 0,
      });
    }
    const answer = await this.request("POST", `${this.userPath}/sendMail`, { body, maxDurationMs: options.maxDurationMs });
    await answer.response.body?.cancel().catch(() => undefined);
    return { requestId: answer.requestId, attempts: answer.attempts };
  }

  /**
   * One Graph call with its retries: network errors, timeouts, 429/503/504 (and 5xx for reads), waiting what
   * Retry-After says — never less than a second — or an exponential back-off when it says nothing usable.
   * Resolves with the 2xx response; throws a MailSendError otherwise.
   */
  private async request(
    method: "GET" | "POST",
    path: string,
    init: { body?: string; headers?: Record<string, string>; maxDurationMs?: number | undefined } = {},
  ): Promise<Answer> {
    const timeoutMs = this.options.timeoutMs ?? 30_000;
    const idempotent = method === "GET";
    // Worst case spent so far: every attempt counted at its full timeout, plus the waits. Deterministic,
    // so it holds with an injected sleep too.
    let worstCaseMs = 0;
    /** Waits before the next attempt, or says why not (the caller then gives up with `last`). */
    const mayWait = (delayMs: number): boolean => {
      if (delayMs > this.maxRetryDelayMs) return false;
      if (init.maxDurationMs !== undefined && worstCaseMs + delayMs + timeoutMs > init.maxDurationMs) return false;
      return true;
    };
    let last: MailSendError | undefined;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      worstCaseMs += timeoutMs;
      let response: Response;
      try {
        let req = this.client.api(path).responseType(ResponseType.RAW);
        for (const [k, v] of Object.entries(init.headers ?? {})) req = req.header(k, v);
        if (method === "POST") {
          // A string body is sent as-is with our content type; the SDK would otherwise re-serialise it.
          response = (await req.header("Content-Type", "application/json").post(init.body)) as Response;
        } else {
          response = (await req.get()) as Response;
        }
      } catch (e) {
        // A POST is retried although Graph may have accepted it before the connection died: sendMail has no
        // idempotency key, and for payslips a rare duplicate beats a silently missing one. Bounded by maxAttempts;
        // the dispatcher can ask findSent (by our internetMessageId) before any later resend.
        const err = e as { name?: string; code?: string | null; message?: string };
        // fetch reports the per-attempt deadline as TimeoutError, node:https as AbortError; the SDK copies
        // the original error name into `code`.
        const timedOut = [err.name, err.code ?? "", err.message ?? ""].some((v) => /abort|timeout/i.test(v ?? ""));
        last = new MailSendError(timedOut ? "Délai dépassé en attendant Graph" : "Graph injoignable (erreur réseau)", {
          reason: timedOut ? "timeout" : "network",
          retryable: true,
          attempts: attempt,
        });
        const delay = this.backoff(attempt);
        if (attempt >= this.maxAttempts || !mayWait(delay)) break;
        worstCaseMs += delay;
        await this.sleep(delay);
        continue;
      }

      const requestId = response.headers.get("request-id") ?? response.headers.get("client-request-id") ?? undefined;
      if (response.ok) return { response, attempts: attempt, requestId: requestId ?? "" };

      let parsed: GraphErrorBody = {};
      try {
        parsed = (await response.json()) as GraphErrorBody;
      } catch {
        // Gateways answer 503/504 with HTML; the status alone is the reason then.
      }
      const code = parsed.error?.code ?? undefined;
      const graphMessage = (parsed.error?.message ?? response.statusText ?? "").slice(0, 300);
      const rid = requestId ?? parsed.error?.innerError?.["request-id"];
      const s = response.status;
      const retryable = s === 429 || s === 503 || s === 504 || (idempotent && s >= 500);
      last = new MailSendError(graphMessage || `HTTP ${s}`, {
        reason: s === 429 ? "throttled" : s === 503 || s === 504 ? "unavailable" : s >= 500 ? "server-error" : s === 413 ? "too-large" : "rejected",
        // A 500 on sendMail is not retried here: Graph may have queued the mail already, and an immediate repeat
        // could send it twice. It stays retryable for the dispatcher, which tries again much later
        // (bounded by its maxAttempts) with the error on record.
        retryable: retryable || s >= 500,
        status: s,
        code,
        requestId: rid,
        attempts: attempt,
      });
      if (!retryable) throw last;
      const hinted = retryAfterDelay(response.headers.get("retry-after"));
      if (hinted !== undefined) last.details.retryAfterMs = hinted;
      const delay = hinted ?? this.backoff(attempt);
      // A Retry-After longer than we may wait is honoured by giving up now: the dispatcher reschedules
      // the mail no earlier than that, instead of hammering a throttled mailbox.
      if (attempt >= this.maxAttempts || !mayWait(delay)) break;
      worstCaseMs += delay;
      await this.sleep(delay);
    }
    throw last!;
  }

  /** Exponential back-off when Graph gives no usable Retry-After: 2 s, 4 s, 8 s … capped. */
  private backoff(attempt: number): number {
    return Math.min(2000 * 2 ** (attempt - 1), this.maxRetryDelayMs);
  }
}
