/**
 * A local HTTPS stand-in for the part of Microsoft Graph the mail transport uses, enforcing Microsoft's
 * documented contract BOTH WAYS: what Graph accepts is accepted (so a valid request is never refused here
 * only because the transport happens not to send it today), what Graph refuses is refused with its status
 * and error code (so a wrong request cannot pass the suite).
 *
 * Sources (read 2025; where a rule or code is not documented it says so):
 *  - user: sendMail                https://learn.microsoft.com/en-us/graph/api/user-sendmail?view=graph-rest-1.0
 *      JSON body { message, saveToSentItems }: saveToSentItems optional, default true. The page's own Example 1
 *      sends `"saveToSentItems": "false"` (a string), so "true"/"false" strings are accepted like booleans;
 *      any other value is refused. 202 Accepted with no body; acceptance is not delivery.
 *  - message resource              https://learn.microsoft.com/en-us/graph/api/resources/message?view=graph-rest-1.0
 *      at most 500 recipients over toRecipients + ccRecipients + bccRecipients; custom internetMessageHeaders
 *      only when creating a message and named "x-…"; `from`/`sender` settable but "must correspond to the
 *      actual mailbox used" (or one it may send as); internetMessageId = RFC 5322 message id.
 *  - fileAttachment resource       https://learn.microsoft.com/en-us/graph/api/resources/fileattachment?view=graph-rest-1.0
 *      "@odata.type" plus the required name and contentBytes: contentType is optional.
 *  - Outlook throttling            https://learn.microsoft.com/en-us/graph/throttling-limits#outlook-service-limits
 *      4 concurrent requests per app and mailbox → 429 with Retry-After; https://learn.microsoft.com/en-us/graph/throttling
 *  - request size                  https://learn.microsoft.com/en-us/graph/errors (413) and
 *      https://learn.microsoft.com/en-us/graph/outlook-large-attachments: JSON requests up to 4 MB; larger
 *      attachments need an upload session.
 *  - list messages / mail folders  https://learn.microsoft.com/en-us/graph/api/mailfolder-list-messages?view=graph-rest-1.0,
 *      https://learn.microsoft.com/en-us/graph/api/resources/mailfolder (well-known names inbox, sentitems),
 *      https://learn.microsoft.com/en-us/graph/query-parameters ($filter, $select, $top, $skip; paging through
 *      @odata.nextLink; internetMessageHeaders "returned only on applying a $select query option"),
 *      `Prefer: outlook.body-content-type="text"` (https://learn.microsoft.com/en-us/graph/outlook-create-send-messages).
 *  - Exchange Online sending limit https://learn.microsoft.com/en-us/office365/servicedescriptions/exchange-online-service-description/exchange-online-limits#sending-limits
 *      30 messages per minute: not enforced here (what Exchange does beyond it is not documented for Graph);
 *      every accepted mail is timestamped (`acceptedAt`) so tests MEASURE the rate instead.
 *
 * Error codes: InvalidInternetMessageHeader, ErrorInvalidRecipients, ApplicationThrottled/MailboxConcurrency,
 * InvalidAuthenticationToken and ErrorSendAsDenied are the codes Graph/Exchange answer in practice. Microsoft
 * documents the 500-recipient limit but not its error code; Exchange's own code for it,
 * ErrorExceededMaxRecipientLimit (400), is used. The 4 MB refusal is a 413 whose code is not documented either
 * ("RequestEntityTooLarge", message "The maximum request length supported is 4MB." as Graph words it).
 * A malformed internetMessageId is refused (400 ErrorInvalidInternetMessageId): assumed, not documented.
 *
 * Like Exchange, a sendMail to an address the test marks as non-existent (`bounce`) is still answered 202;
 * the non-delivery report arrives LATER (`deliverReports`) in the sending mailbox's inbox, in Exchange Online's
 * shape: subject "Undeliverable: …" ("Non remis : …" for a French mailbox), In-Reply-To/References naming the
 * original Message-ID, the diagnostic ("Remote Server returned '550 5.1.10 …'") and the original headers.
 *
 * Faults are scripted per request (429 + Retry-After, 503, 500, 403, hang). Accepted mails are recorded with
 * their decoded attachments so tests compare bytes, not just counts.
 */

import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import type { Context, Middleware } from "@microsoft/microsoft-graph-client";
import { selfSignedCertificate } from "./tls.ts";

export const REQUEST_LIMIT = 4 * 1024 * 1024;
export const MAILBOX_CONCURRENCY = 4;
export const MAX_RECIPIENTS = 500;
/** Graph's default page size for messages, and the largest $top it takes. */
export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 1000;

export type Fault = { status: number; code?: string; message?: string; retryAfter?: string | number } | { hang: true };

export interface Recipient {
  address: string;
  name?: string;
}

export interface AcceptedMail {
  mailbox: string;
  requestId: string;
  /** Server time (the `now` option) at which the 202 was given. */
  acceptedAt: number;
  internetMessageId: string;
  subject: string;
  html: string;
  contentType: "html" | "text";
  /** toRecipients addresses (ccRecipients/bccRecipients in `cc`/`bcc`). */
  to: string[];
  cc: string[];
  bcc: string[];
  from?: Recipient;
  sender?: Recipient;
  internetMessageHeaders: { name: string; value: string }[];
  saveToSentItems: boolean;
  attachments: { name: string; contentType: string | undefined; bytes: Buffer }[];
  headers: IncomingMessage["headers"];
}

/** A message as a mail folder holds it. */
export interface StoredMessage {
  id: string;
  internetMessageId: string;
  subject: string;
  body: { contentType: "html" | "text"; content: string };
  /** The text rendering served for `Prefer: outlook.body-content-type="text"`. */
  text: string;
  from: Recipient;
  sender: Recipient;
  toRecipients: Recipient[];
  sentDateTime: string;
  receivedDateTime: string;
  internetMessageHeaders: { name: string; value: string }[];
  hasAttachments: boolean;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: string;
  status: number | "hang";
  code?: string;
  retryAttempt?: string;
}

export interface BounceOptions {
  /** The SMTP diagnostic Exchange puts in the report. */
  diagnostic?: string;
  /** Language of the sending mailbox: the report's subject and text follow it. */
  locale?: "en" | "fr";
  /** Exchange threads a report under the original (In-Reply-To/References); false leaves only the body to say which. */
  threadingHeaders?: boolean;
}

export interface GraphServer {
  baseUrl: string;
  ca: string;
  accepted: AcceptedMail[];
  requests: LoggedRequest[];
  /** Highest number of requests in flight at once for one mailbox. */
  maxConcurrency: number;
  /** Queues faults, consumed one per authenticated request (any operation), in order. */
  script(...faults: Fault[]): void;
  /** Forgets scripted faults, recorded traffic, folders, bounces and pending reports (between tests). */
  reset(): void;
  /** Delays every answer (to observe concurrency). */
  setLatency(ms: number): void;
  /**
   * Holds every request that arrives from now on (after it is counted in flight) until the returned function
   * is called: concurrency made deterministic, without racing a latency against connection set-up.
   */
  hold(): () => void;
  /** Requests received and not answered yet, all mailboxes. */
  readonly inFlight: number;
  /** Lets `mailbox` send as `address` (Exchange SendAs right). */
  allowSendAs(mailbox: string, address: string): void;
  /** Marks an address as non-existent: mail to it is accepted (202) and bounces later. */
  bounce(address: string, options?: BounceOptions): void;
  /** Non-delivery reports generated but not delivered yet. */
  readonly pendingReports: number;
  /** Delivers the pending reports into the senders' inboxes (stamped with the server's `now`); returns how many. */
  deliverReports(): number;
  /** Messages of a well-known folder of a mailbox, newest first. */
  folder(mailbox: string, folder: "inbox" | "sentitems"): StoredMessage[];
  /** Puts an arbitrary message into a folder (an ordinary mail, a report from another MTA…). */
  deposit(mailbox: string, folder: "inbox" | "sentitems", message: Partial<StoredMessage> & { subject: string }): StoredMessage;
  close(): Promise<void>;
}

class ContractError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extraHeaders: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Writable message properties (message resource, v1.0) plus the relationships a create may carry. */
const MESSAGE_PROPS = new Set([
  "subject",
  "body",
  "toRecipients",
  "ccRecipients",
  "bccRecipients",
  "replyTo",
  "from",
  "sender",
  "attachments",
  "importance",
  "internetMessageHeaders",
  "internetMessageId",
  "isDeliveryReceiptRequested",
  "isReadReceiptRequested",
  "categories",
  "flag",
  "inferenceClassification",
  "singleValueExtendedProperties",
  "multiValueExtendedProperties",
]);
const FILE_ATTACHMENT_PROPS = new Set(["@odata.type", "name", "contentBytes", "contentType", "contentId", "isInline", "size"]);
const EMAIL = /^[^\s@<>(),;:"\\]+@[^\s@<>(),;:"\\]+\.[^\s@<>(),;:"\\]+$/;
/** RFC 5322 msg-id (dot-atom-text "@" dot-atom-text, in angle brackets; no obsolete or domain-literal forms). */
const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const MSG_ID = new RegExp(`^<${ATOM}(?:\\.${ATOM})*@${ATOM}(?:\\.${ATOM})*>$`);
/** Characters RFC 3986 does not allow raw in a query string. */
const RAW_QUERY_CHAR = /[\s<>"{}|\\^`]/;
const MESSAGE_FIELDS = new Set([
  "id",
  "internetMessageId",
  "subject",
  "body",
  "bodyPreview",
  "from",
  "sender",
  "toRecipients",
  "sentDateTime",
  "receivedDateTime",
  "internetMessageHeaders",
  "hasAttachments",
  "isRead",
  "isDraft",
]);

function isStrictBase64(value: string): boolean {
  if (value.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) return false;
  return Buffer.from(value, "base64").toString("base64") === value;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const domainOf = (address: string) => address.slice(address.lastIndexOf("@") + 1);

function htmlToText(html: string): string {
  return html
    .replace(/<(br|\/p|\/div|\/tr|\/h\d|\/li)\b[^>]*>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Well-known folder names (mailFolder resource); any other non-id name is malformed to Graph. */
const WELL_KNOWN_FOLDERS = new Set([
  "archive",
  "clutter",
  "conflicts",
  "conversationhistory",
  "deleteditems",
  "drafts",
  "inbox",
  "junkemail",
  "localfailures",
  "msgfolderroot",
  "outbox",
  "recoverableitemsdeletions",
  "scheduled",
  "searchfolders",
  "sentitems",
  "serverfailures",
  "syncissues",
]);

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

interface ValidMail extends Omit<AcceptedMail, "mailbox" | "requestId" | "headers" | "acceptedAt" | "internetMessageId"> {
  internetMessageId?: string;
}

function recipientOf(r: unknown, bad: (m: string, code?: string) => ContractError): Recipient {
  if (!isObject(r) || !isObject(r.emailAddress) || typeof r.emailAddress.address !== "string" || !EMAIL.test(r.emailAddress.address)) {
    throw bad("At least one recipient isn't valid.", "ErrorInvalidRecipients");
  }
  const { address, name } = r.emailAddress;
  if (name !== undefined && typeof name !== "string") throw bad("Recipient name must be a string.");
  return name === undefined ? { address } : { address, name };
}

function validate(payload: unknown, mailbox: string, sendAs: Set<string>): ValidMail {
  const bad = (message: string, code = "RequestBodyRead") => new ContractError(400, code, message);
  if (!isObject(payload)) throw bad("The request body must be a JSON object.");
  for (const k of Object.keys(payload)) {
    if (k !== "message" && k !== "saveToSentItems") throw bad(`Property '${k}' does not exist on type 'microsoft.graph.sendMail'.`);
  }
  let saveToSentItems = true;
  const save = payload.saveToSentItems;
  if (typeof save === "boolean") saveToSentItems = save;
  else if (typeof save === "string" && /^(true|false)$/i.test(save)) saveToSentItems = save.toLowerCase() === "true";
  else if (save !== undefined) throw bad("Cannot convert the literal to the expected type 'Edm.Boolean'.");

  const m = payload.message;
  if (!isObject(m)) throw bad("The value of the parameter 'Message' is empty.", "ErrorInvalidParameter");
  for (const k of Object.keys(m)) {
    if (!MESSAGE_PROPS.has(k)) throw bad(`Property '${k}' does not exist on type 'microsoft.graph.message'.`);
  }
  if (m.subject !== undefined && typeof m.subject !== "string") throw bad("subject must be a string.");
  let html = "";
  let contentType: "html" | "text" = "text";
  if (m.body !== undefined) {
    const body = m.body;
    if (!isObject(body) || (body.content !== undefined && typeof body.content !== "string")) throw bad("body must be an itemBody.");
    const ct = body.contentType === undefined ? "text" : String(body.contentType).toLowerCase();
    if (ct !== "html" && ct !== "text") throw bad(`Requested value '${String(body.contentType)}' was not found.`);
    contentType = ct;
    html = (body.content as string | undefined) ?? "";
  }

  const list = (key: "toRecipients" | "ccRecipients" | "bccRecipients") => {
    const v = m[key];
    if (v === undefined) return [];
    if (!Array.isArray(v)) throw bad(`${key} must be a collection.`);
    return v.map((r) => recipientOf(r, bad).address);
  };
  const to = list("toRecipients");
  const cc = list("ccRecipients");
  const bcc = list("bccRecipients");
  const total = to.length + cc.length + bcc.length;
  if (total === 0) throw bad("At least one recipient is required, but none were found.", "ErrorInvalidRecipients");
  if (total > MAX_RECIPIENTS) {
    throw bad(
      `The message has ${total} recipients; a message sent from an Exchange Online mailbox may have at most ${MAX_RECIPIENTS}.`,
      "ErrorExceededMaxRecipientLimit",
    );
  }

  const mayUse = (who: Recipient | undefined) => !who || same(who.address, mailbox) || sendAs.has(who.address.toLowerCase());
  const from = m.from === undefined ? undefined : recipientOf(m.from, bad);
  const sender = m.sender === undefined ? undefined : recipientOf(m.sender, bad);
  if (!mayUse(from) || !mayUse(sender)) {
    throw new ContractError(
      403,
      "ErrorSendAsDenied",
      "The user account which was used to submit this request does not have the right to send mail on behalf of the specified sending account.",
    );
  }

  const headers: { name: string; value: string }[] = [];
  if (m.internetMessageHeaders !== undefined) {
    if (!Array.isArray(m.internetMessageHeaders)) throw bad("internetMessageHeaders must be a collection.");
    for (const h of m.internetMessageHeaders) {
      if (!isObject(h) || typeof h.name !== "string" || typeof h.value !== "string") throw bad("An internetMessageHeader has a name and a value.");
      if (!/^x-/i.test(h.name)) {
        throw bad(`The internet message header name '${h.name}' should start with 'x-' or 'X-'.`, "InvalidInternetMessageHeader");
      }
      headers.push({ name: h.name, value: h.value });
    }
  }

  let internetMessageId: string | undefined;
  if (m.internetMessageId !== undefined) {
    if (typeof m.internetMessageId !== "string" || !MSG_ID.test(m.internetMessageId)) {
      throw bad("The internetMessageId must be an RFC 5322 message id such as <local@domain>.", "ErrorInvalidInternetMessageId");
    }
    internetMessageId = m.internetMessageId;
  }

  const attachments = m.attachments ?? [];
  if (!Array.isArray(attachments)) throw bad("attachments must be a collection.");
  const decoded = attachments.map((a) => {
    if (!isObject(a) || typeof a["@odata.type"] !== "string") {
      throw bad("An attachment must declare its @odata.type.", "ErrorInvalidRequest");
    }
    if (a["@odata.type"] !== "#microsoft.graph.fileAttachment") {
      // itemAttachment / referenceAttachment exist in Graph; refusing them as invalid would be a lie.
      throw new ContractError(501, "NotImplemented", `Attachment type ${a["@odata.type"]} is valid in Graph but not simulated by this contract server.`);
    }
    for (const k of Object.keys(a)) {
      if (!FILE_ATTACHMENT_PROPS.has(k)) throw bad(`Property '${k}' does not exist on type 'microsoft.graph.fileAttachment'.`);
    }
    if (typeof a.name !== "string" || a.name.length === 0) throw bad("The attachment name is required.", "ErrorInvalidRequest");
    if (a.contentType !== undefined && typeof a.contentType !== "string") throw bad("Attachment contentType must be a string.");
    if (typeof a.contentBytes !== "string" || !isStrictBase64(a.contentBytes)) {
      throw bad("Invalid base64 string for attachment content.", "ErrorInvalidRequest");
    }
    return { name: a.name, contentType: a.contentType as string | undefined, bytes: Buffer.from(a.contentBytes, "base64") };
  });
  return {
    subject: (m.subject as string | undefined) ?? "",
    html,
    contentType,
    to,
    cc,
    bcc,
    ...(from ? { from } : {}),
    ...(sender ? { sender } : {}),
    internetMessageHeaders: headers,
    saveToSentItems,
    attachments: decoded,
    ...(internetMessageId ? { internetMessageId } : {}),
  };
}

/** One comparison of an OData $filter: `prop op literal`, joined by `and`. Only what these tests query. */
interface Clause {
  prop: "internetMessageId" | "subject" | "receivedDateTime" | "sentDateTime";
  op: "eq" | "ne" | "ge" | "gt" | "le" | "lt";
  value: string | number;
}

function parseFilter(filter: string): Clause[] {
  const invalid = () => new ContractError(400, "BadRequest", `Invalid filter clause: ${filter.slice(0, 200)}`);
  const clauses: Clause[] = [];
  let rest = filter.trim();
  for (;;) {
    const m = /^(\w+)\s+(eq|ne|ge|gt|le|lt)\s+/.exec(rest);
    if (!m) throw invalid();
    const prop = m[1]!;
    rest = rest.slice(m[0].length);
    let value: string | number;
    if (rest.startsWith("'")) {
      let i = 1;
      let s = "";
      for (;;) {
        if (i >= rest.length) throw invalid();
        if (rest[i] === "'") {
          if (rest[i + 1] === "'") {
            s += "'";
            i += 2;
            continue;
          }
          break;
        }
        s += rest[i];
        i++;
      }
      value = s;
      rest = rest.slice(i + 1);
    } else {
      const d = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2}))/.exec(rest);
      if (!d) throw invalid();
      value = Date.parse(d[1]!);
      if (Number.isNaN(value)) throw invalid();
      rest = rest.slice(d[1]!.length);
    }
    const stringProp = prop === "internetMessageId" || prop === "subject";
    const dateProp = prop === "receivedDateTime" || prop === "sentDateTime";
    if (!stringProp && !dateProp) {
      throw new ContractError(400, "RequestBroker--ParseUri", `Could not find a property named '${prop}' on type 'microsoft.graph.message'.`);
    }
    if (stringProp !== (typeof value === "string"))
      throw new ContractError(400, "BadRequest", `A binary operator with incompatible types was detected for '${prop}'.`);
    clauses.push({ prop: prop as Clause["prop"], op: m[2] as Clause["op"], value });
    rest = rest.trim();
    if (rest === "") return clauses;
    const and = /^and\s+/.exec(rest);
    if (!and) throw invalid();
    rest = rest.slice(and[0].length);
  }
}

function matches(msg: StoredMessage, clauses: Clause[]): boolean {
  return clauses.every((c) => {
    const actual: string | number =
      c.prop === "receivedDateTime" ? Date.parse(msg.receivedDateTime) : c.prop === "sentDateTime" ? Date.parse(msg.sentDateTime) : msg[c.prop];
    switch (c.op) {
      case "eq":
        return actual === c.value;
      case "ne":
        return actual !== c.value;
      case "ge":
        return actual >= c.value;
      case "gt":
        return actual > c.value;
      case "le":
        return actual <= c.value;
      case "lt":
        return actual < c.value;
      default:
        return false;
    }
  });
}

interface PendingReport {
  mailbox: string;
  original: { internetMessageId: string; subject: string; sentDateTime: string; from: string };
  recipient: string;
  options: Required<BounceOptions>;
}

/** A non-delivery report as Exchange Online writes it into the sender's inbox. */
function nonDeliveryReport(r: PendingReport, at: Date): Omit<StoredMessage, "id"> {
  const domain = domainOf(r.mailbox);
  const rcpt = r.recipient;
  const rdomain = domainOf(rcpt);
  const fr = r.options.locale === "fr";
  const originalHeaders = [
    `From: ${r.original.from}`,
    `To: ${rcpt}`,
    `Subject: ${r.original.subject}`,
    `Date: ${new Date(r.original.sentDateTime).toUTCString().replace("GMT", "+0000")}`,
    `Message-ID: ${r.original.internetMessageId}`,
    "MIME-Version: 1.0",
  ].join("\n");
  const lines = fr
    ? [
        `Votre message à ${rcpt} n'a pas pu être remis.`,
        `${rcpt} est introuvable sur ${rdomain}.`,
        "",
        "Informations de diagnostic pour les administrateurs :",
        `Serveur de génération : PR3P192MB0001.EURP192.PROD.OUTLOOK.COM`,
        rcpt,
        `Le serveur distant a retourné '${r.options.diagnostic}'`,
        "",
        "En-têtes du message d'origine :",
        originalHeaders,
      ]
    : [
        `Your message to ${rcpt} couldn't be delivered.`,
        `${rcpt} wasn't found at ${rdomain}.`,
        "",
        "Diagnostic information for administrators:",
        `Generating server: PR3P192MB0001.EURP192.PROD.OUTLOOK.COM`,
        rcpt,
        `Remote Server returned '${r.options.diagnostic}'`,
        "",
        "Original message headers:",
        originalHeaders,
      ];
  const text = lines.join("\n");
  const [first, second, , ...diag] = lines;
  const html = [
    "<html><body>",
    `<p>${escapeHtml(first!).replace(escapeHtml(rcpt), `<a href="mailto:${escapeHtml(rcpt)}">${escapeHtml(rcpt)}</a>`)}</p>`,
    `<p>${escapeHtml(second!)}</p>`,
    `<pre>${escapeHtml(diag.join("\n"))}</pre>`,
    "</body></html>",
  ].join("\n");
  const postmaster = { name: "Microsoft Outlook", address: `MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@${domain}` };
  const boundary = `_report_${randomBytes(8).toString("hex")}_`;
  const headers = [
    { name: "From", value: `Microsoft Outlook <${postmaster.address}>` },
    { name: "To", value: r.mailbox },
    { name: "Subject", value: `${fr ? "Non remis : " : "Undeliverable: "}${r.original.subject}` },
    { name: "Content-Type", value: `multipart/report; report-type=delivery-status; boundary="${boundary}"` },
    { name: "X-MS-Exchange-Message-Is-Ndr", value: "" },
    { name: "Auto-Submitted", value: "auto-replied" },
    ...(r.options.threadingHeaders
      ? [
          { name: "In-Reply-To", value: r.original.internetMessageId },
          { name: "References", value: r.original.internetMessageId },
        ]
      : []),
  ];
  const iso = at.toISOString().replace(/\.\d{3}Z$/, "Z");
  return {
    internetMessageId: `<${randomUUID()}@${"PR3P192MB0001.EURP192.PROD.OUTLOOK.COM".toLowerCase()}>`,
    subject: `${fr ? "Non remis : " : "Undeliverable: "}${r.original.subject}`,
    body: { contentType: "html", content: html },
    text,
    from: postmaster,
    sender: postmaster,
    toRecipients: [{ address: r.mailbox }],
    sentDateTime: iso,
    receivedDateTime: iso,
    internetMessageHeaders: [...headers, { name: "Message-ID", value: `<${randomUUID()}@outlook.com>` }],
    hasAttachments: true,
  };
}

export async function startGraphServer(options: { token: string; now?: () => Date }): Promise<GraphServer> {
  const now = options.now ?? (() => new Date());
  const { key, cert, ca } = selfSignedCertificate();
  const faults: Fault[] = [];
  const inFlight = new Map<string, number>();
  const folders = new Map<string, StoredMessage[]>();
  const bounces = new Map<string, Required<BounceOptions>>();
  const sendAs = new Map<string, Set<string>>();
  const pending: PendingReport[] = [];
  let latencyMs = 0;
  let held: Promise<void> | undefined;
  let port = 0;
  const state = { accepted: [] as AcceptedMail[], requests: [] as LoggedRequest[], maxConcurrency: 0 };

  const folderOf = (mailbox: string, folder: string): StoredMessage[] => {
    const k = `${mailbox.toLowerCase()}|${folder.toLowerCase()}`;
    let list = folders.get(k);
    if (!list) folders.set(k, (list = []));
    return list;
  };
  const store = (mailbox: string, folder: "inbox" | "sentitems", msg: Omit<StoredMessage, "id">): StoredMessage => {
    // Graph ids are opaque base64-like strings; random ones are enough to be unique.
    const stored = { id: `AAMk${randomBytes(24).toString("base64url")}=`, ...msg };
    folderOf(mailbox, folder).unshift(stored);
    return stored;
  };

  const answer = (res: ServerResponse, status: number, requestId: string, body?: unknown, extra: Record<string, string> = {}) => {
    const headers: Record<string, string> = { "request-id": requestId, "client-request-id": requestId, ...extra };
    if (body === undefined) {
      res.writeHead(status, headers).end();
    } else {
      res.writeHead(status, { ...headers, "content-type": "application/json" }).end(JSON.stringify(body));
    }
  };
  const graphError = (code: string, message: string, requestId: string) => ({
    error: { code, message, innerError: { "request-id": requestId, date: now().toISOString() } },
  });

  const sendMail = (mailbox: string, payload: unknown, req: IncomingMessage, requestId: string) => {
    const mail = validate(payload, mailbox, sendAs.get(mailbox.toLowerCase()) ?? new Set());
    const at = now();
    const internetMessageId = mail.internetMessageId ?? `<${randomBytes(12).toString("hex")}@${domainOf(mailbox)}>`;
    const accepted: AcceptedMail = { ...mail, internetMessageId, mailbox, requestId, acceptedAt: at.getTime(), headers: req.headers };
    state.accepted.push(accepted);
    const iso = at.toISOString().replace(/\.\d{3}Z$/, "Z");
    const self = mail.from ?? { address: mailbox };
    if (mail.saveToSentItems) {
      store(mailbox, "sentitems", {
        internetMessageId,
        subject: mail.subject,
        body: { contentType: mail.contentType, content: mail.html },
        text: mail.contentType === "html" ? htmlToText(mail.html) : mail.html,
        from: self,
        sender: mail.sender ?? self,
        toRecipients: mail.to.map((address) => ({ address })),
        sentDateTime: iso,
        receivedDateTime: iso,
        internetMessageHeaders: mail.internetMessageHeaders,
        hasAttachments: mail.attachments.length > 0,
      });
    }
    for (const rcpt of [...mail.to, ...mail.cc, ...mail.bcc]) {
      const b = bounces.get(rcpt.toLowerCase());
      if (b)
        pending.push({ mailbox, recipient: rcpt, options: b, original: { internetMessageId, subject: mail.subject, sentDateTime: iso, from: self.address } });
    }
  };

  const listMessages = (mailbox: string, folder: string, url: URL, req: IncomingMessage) => {
    if (!WELL_KNOWN_FOLDERS.has(folder.toLowerCase())) throw new ContractError(400, "ErrorInvalidIdMalformed", "Id is malformed.");
    const q = url.searchParams;
    for (const k of q.keys()) {
      if (k.startsWith("$") && !["$filter", "$select", "$top", "$skip", "$orderby", "$count"].includes(k)) {
        throw new ContractError(400, "BadRequest", `Query option '${k}' is not allowed.`);
      }
    }
    const clauses = q.has("$filter") ? parseFilter(q.get("$filter")!) : [];
    const top = q.has("$top") ? Number(q.get("$top")) : DEFAULT_PAGE_SIZE;
    const skip = q.has("$skip") ? Number(q.get("$skip")) : 0;
    if (!Number.isInteger(top) || top < 1 || top > MAX_PAGE_SIZE)
      throw new ContractError(400, "ErrorInvalidUrlQuery", `Invalid $top: must be 1 to ${MAX_PAGE_SIZE}.`);
    if (!Number.isInteger(skip) || skip < 0) throw new ContractError(400, "ErrorInvalidUrlQuery", "Invalid $skip.");
    const select = q.has("$select")
      ? q
          .get("$select")!
          .split(",")
          .map((s) => s.trim())
      : undefined;
    for (const f of select ?? []) {
      if (!MESSAGE_FIELDS.has(f))
        throw new ContractError(400, "RequestBroker--ParseUri", `Could not find a property named '${f}' on type 'microsoft.graph.message'.`);
    }
    const textBody = /outlook\.body-content-type\s*=\s*"?text"?/i.test(String(req.headers.prefer ?? ""));
    const all = folderOf(mailbox, folder).filter((m) => matches(m, clauses));
    const page = all.slice(skip, skip + top);
    const render = (m: StoredMessage): Record<string, unknown> => {
      const full: Record<string, unknown> = {
        id: m.id,
        internetMessageId: m.internetMessageId,
        subject: m.subject,
        body: textBody ? { contentType: "text", content: m.text } : m.body,
        bodyPreview: m.text.slice(0, 255),
        from: { emailAddress: m.from },
        sender: { emailAddress: m.sender },
        toRecipients: m.toRecipients.map((r) => ({ emailAddress: r })),
        sentDateTime: m.sentDateTime,
        receivedDateTime: m.receivedDateTime,
        hasAttachments: m.hasAttachments,
        isRead: false,
        isDraft: false,
        internetMessageHeaders: m.internetMessageHeaders,
      };
      const out: Record<string, unknown> = { "@odata.etag": `W/"${m.id.slice(4, 16)}"`, id: m.id };
      // Without $select every property but internetMessageHeaders comes back (message resource).
      for (const [k, v] of Object.entries(full)) {
        if (select ? select.includes(k) : k !== "internetMessageHeaders") out[k] = v;
      }
      return out;
    };
    const body: Record<string, unknown> = {
      "@odata.context": `https://graph.microsoft.com/v1.0/$metadata#users('${encodeURIComponent(mailbox)}')/mailFolders('${folder}')/messages`,
      value: page.map(render),
    };
    if (skip + top < all.length) {
      // Like Graph: option names stay literal ($skip, not %24skip), values percent-encoded.
      const params = new Map(q);
      params.set("$top", String(top));
      params.set("$skip", String(skip + top));
      const query = [...params].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");
      body["@odata.nextLink"] = `https://127.0.0.1:${port}${url.pathname}?${query}`;
    }
    return body;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const requestId = randomUUID();
    const rawQuery = (req.url ?? "").includes("?") ? (req.url ?? "").slice((req.url ?? "").indexOf("?") + 1) : "";
    const url = new URL(req.url ?? "/", "https://127.0.0.1");
    const log: LoggedRequest = { method: req.method ?? "", path: url.pathname, query: safeDecode(rawQuery), status: 0 };
    const retryAttempt = req.headers["retry-attempt"];
    if (typeof retryAttempt === "string") log.retryAttempt = retryAttempt;
    state.requests.push(log);
    const fail = (e: ContractError) => {
      log.status = e.status;
      log.code = e.code;
      answer(res, e.status, requestId, graphError(e.code, e.message, requestId), e.extraHeaders);
    };

    const send = /^\/v1\.0\/users\/([^/]+)\/sendMail$/i.exec(url.pathname);
    const list = /^\/v1\.0\/users\/([^/]+)\/mailFolders\/([^/]+)\/messages$/i.exec(url.pathname);
    const match = send ?? list;
    if (!match) return fail(new ContractError(404, "ResourceNotFound", "Resource not found for the segment."));
    if (send && req.method !== "POST") return fail(new ContractError(405, "Request_BadRequest", "The HTTP method is not allowed for this resource."));
    if (list && req.method !== "GET") return fail(new ContractError(405, "Request_BadRequest", "The HTTP method is not allowed for this resource."));
    const mailbox = decodeURIComponent(match[1]!);

    const auth = req.headers.authorization;
    if (!auth) return fail(new ContractError(401, "InvalidAuthenticationToken", "Access token is empty."));
    if (auth !== `Bearer ${options.token}`) return fail(new ContractError(401, "InvalidAuthenticationToken", "Access token validation failure."));

    const declared = Number(req.headers["content-length"] ?? "0");
    if (declared > REQUEST_LIMIT) {
      req.resume();
      return fail(new ContractError(413, "RequestEntityTooLarge", "The maximum request length supported is 4MB."));
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
      if (tooLarge) throw new ContractError(413, "RequestEntityTooLarge", "The maximum request length supported is 4MB.");
      // Refused at once, as Graph does: the request over the limit never waits behind the others.
      if (concurrent > MAILBOX_CONCURRENCY) {
        throw new ContractError(429, "ApplicationThrottled", "Application is over its MailboxConcurrency limit.", { "retry-after": "1" });
      }
      if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
      if (held) await held;

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

      if (list) {
        if (RAW_QUERY_CHAR.test(rawQuery)) throw new ContractError(400, "BadRequest", "The query string is not percent-encoded (RFC 3986).");
        const body = listMessages(mailbox, match[2]!, url, req);
        log.status = 200;
        return answer(res, 200, requestId, body);
      }

      const contentType = req.headers["content-type"] ?? "";
      if (!/^application\/json\b/i.test(contentType)) {
        throw new ContractError(400, "RequestBodyRead", "Content-Type must be application/json for a JSON sendMail request.");
      }
      let payload: unknown;
      try {
        payload = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        throw new ContractError(400, "RequestBodyRead", "Invalid JSON in request body.");
      }
      sendMail(mailbox, payload, req, requestId);
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
  port = (server.address() as AddressInfo).port;

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
      folders.clear();
      bounces.clear();
      sendAs.clear();
      pending.length = 0;
    },
    setLatency: (ms: number) => void (latencyMs = ms),
    hold: () => {
      let release!: () => void;
      held = new Promise<void>((r) => (release = r));
      return () => {
        held = undefined;
        release();
      };
    },
    get inFlight() {
      let n = 0;
      for (const v of inFlight.values()) n += v;
      return n;
    },
    allowSendAs: (mailbox, address) => {
      const k = mailbox.toLowerCase();
      if (!sendAs.has(k)) sendAs.set(k, new Set());
      sendAs.get(k)!.add(address.toLowerCase());
    },
    bounce: (address, o = {}) =>
      void bounces.set(address.toLowerCase(), {
        diagnostic: o.diagnostic ?? "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",
        locale: o.locale ?? "en",
        threadingHeaders: o.threadingHeaders ?? true,
      }),
    get pendingReports() {
      return pending.length;
    },
    deliverReports: () => {
      const at = now();
      const n = pending.length;
      for (const r of pending.splice(0)) store(r.mailbox, "inbox", nonDeliveryReport(r, at));
      return n;
    },
    folder: (mailbox, folder) => [...folderOf(mailbox, folder)],
    deposit: (mailbox, folder, message) => {
      const iso = now()
        .toISOString()
        .replace(/\.\d{3}Z$/, "Z");
      const html = message.body?.content ?? "";
      return store(mailbox, folder, {
        internetMessageId: `<${randomBytes(12).toString("hex")}@example.net>`,
        body: { contentType: "html", content: html },
        text: htmlToText(html),
        from: { address: "someone@example.net" },
        sender: message.from ?? { address: "someone@example.net" },
        toRecipients: [{ address: mailbox }],
        sentDateTime: iso,
        receivedDateTime: iso,
        internetMessageHeaders: [],
        hasAttachments: false,
        ...message,
      });
    },
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
        const req = https.request(url, { method: opts.method ?? "GET", headers: Object.fromEntries(headers), ca, signal: opts.signal ?? undefined }, (res) => {
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
        });
        req.on("error", reject);
        req.end(body);
      });
    },
  };
}
