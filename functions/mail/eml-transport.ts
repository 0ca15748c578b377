/**
 * Local transport: each mail becomes an RFC 5322 / MIME .eml file in an outbox folder, which any mail
 * client opens. Used on developer machines and in demos so the whole path up to the transport is the
 * production one, without a tenant.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { isValidMailAddress, safeFileToken } from "./message.ts";
import { type MailMessage, MailSendError, type MailTransport, type SendOptions, type SendResult } from "./types.ts";

const CRLF = "\r\n";
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** RFC 5322 date-time in UTC, e.g. "Mon, 01 Sep 2025 08:00:00 +0000". */
export function rfc5322Date(date: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return (
    `${DAYS[date.getUTCDay()]}, ${p(date.getUTCDate())} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ` +
    `${p(date.getUTCHours())}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())} +0000`
  );
}

/**
 * RFC 2047 "B" encoded words, split on character boundaries (never inside a UTF-8 sequence) and kept short
 * so that each folded header line stays under 76 characters. Always encoding, even ASCII, also neutralises
 * anything that would look like header syntax.
 */
export function encodeWords(value: string): string {
  const words: string[] = [];
  let chunk = "";
  for (const ch of value) {
    if (Buffer.byteLength(chunk + ch, "utf8") > 30) {
      words.push(chunk);
      chunk = "";
    }
    chunk += ch;
  }
  if (chunk || words.length === 0) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, "utf8").toString("base64")}?=`).join(`${CRLF} `);
}

/** Base64 body wrapped at 76 characters (RFC 2045 §6.8). */
export function base64Lines(bytes: Uint8Array | string): string {
  const b64 = Buffer.from(typeof bytes === "string" ? Buffer.from(bytes, "utf8") : bytes).toString("base64");
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 76) lines.push(b64.slice(i, i + 76));
  return lines.join(CRLF);
}

function mailbox(address: string, name?: string): string {
  if (!isValidMailAddress(address)) throw new MailSendError("Adresse électronique invalide", { reason: "invalid", retryable: false, attempts: 0 });
  const clean = name?.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
  return clean ? `${encodeWords(clean)} <${address}>` : `<${address}>`;
}

/** A quoted MIME parameter value; non-ASCII or unsafe names fall back to an encoded word (what mail clients read). */
function paramValue(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) && !/["\\]/.test(value) ? `"${value}"` : `"${encodeWords(value).replace(/\r\n /g, " ")}"`;
}

export interface EmlOptions {
  from: string;
  fromName?: string;
  date: Date;
  messageId: string;
}

/** The whole message as CRLF text. */
export function buildEml(message: MailMessage, options: EmlOptions): string {
  const mixed = `=_mixed_${randomBytes(12).toString("hex")}`;
  const alt = `=_alt_${randomBytes(12).toString("hex")}`;
  const lines: string[] = [
    `From: ${mailbox(options.from, options.fromName)}`,
    `To: ${mailbox(message.to.address, message.to.name)}`,
    `Subject: ${encodeWords(message.subject)}`,
    `Date: ${rfc5322Date(options.date)}`,
    `Message-ID: ${options.messageId}`,
    "MIME-Version: 1.0",
    `Content-Type: multipart/mixed; boundary="${mixed}"`,
    "",
    "This is a multi-part message in MIME format.",
    `--${mixed}`,
    `Content-Type: multipart/alternative; boundary="${alt}"`,
    "",
    `--${alt}`,
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: base64",
    "",
    base64Lines(message.text),
    `--${alt}`,
    "Content-Type: text/html; charset=utf-8",
    "Content-Transfer-Encoding: base64",
    "",
    base64Lines(message.html),
    `--${alt}--`,
  ];
  for (const a of message.attachments) {
    lines.push(
      `--${mixed}`,
      `Content-Type: ${a.contentType}; name=${paramValue(a.name)}`,
      `Content-Disposition: attachment; filename=${paramValue(a.name)}`,
      "Content-Transfer-Encoding: base64",
      "",
      base64Lines(a.content),
    );
  }
  lines.push(`--${mixed}--`, "");
  return lines.join(CRLF);
}

/** The document version a payslip Message-ID names (`….v{n}@…`), if any. */
function versionOf(internetMessageId: string | undefined): number | undefined {
  const m = internetMessageId ? /\.v(\d+)@/.exec(internetMessageId) : null;
  return m ? Number(m[1]) : undefined;
}

function fileName(companyId: string, period: string, employeeId: string, version: number | undefined): string {
  // Version 1 keeps the historical name; a corrected payslip (version ≥ 2) is a second message, so a second file.
  const suffix = version !== undefined && version >= 2 ? `_v${version}` : "";
  return `${safeFileToken(companyId)}_${safeFileToken(period)}_${safeFileToken(employeeId)}${suffix}.eml`;
}

/** Deterministic per (company, period, employee, document version): sending again replaces the file instead of adding a second one. */
export function emlFileName(message: MailMessage): string {
  const k = message.key;
  return fileName(k.companyId, k.period, k.employeeId, versionOf(message.internetMessageId));
}

export class EmlTransport implements MailTransport {
  readonly kind = "eml" as const;
  constructor(private readonly options: { outboxDir: string; from: string; fromName?: string; now?: () => Date }) {}

  async send(message: MailMessage, _options?: SendOptions): Promise<SendResult> {
    const date = this.options.now?.() ?? new Date();
    const keyHash = createHash("sha256").update(JSON.stringify(message.key)).digest("hex").slice(0, 16);
    // The payslip's own Message-ID when it has one: it is what findSent looks for after a crash.
    const messageId = message.internetMessageId || `<${keyHash}.${randomBytes(6).toString("hex")}@paie-monaco.invalid>`;
    const eml = buildEml(message, { from: this.options.from, fromName: this.options.fromName, date, messageId });
    const file = path.join(this.options.outboxDir, emlFileName(message));
    try {
      await mkdir(this.options.outboxDir, { recursive: true });
      // Write then rename: whoever watches the outbox never sees half a message.
      const tmp = `${file}.${randomBytes(4).toString("hex")}.tmp`;
      await writeFile(tmp, eml, "utf8");
      await rename(tmp, file);
    } catch (e) {
      throw new MailSendError(`Écriture du message impossible dans la boîte d'envoi locale (${(e as NodeJS.ErrnoException).code ?? "erreur"})`, {
        reason: "io",
        retryable: true,
        attempts: 1,
      });
    }
    return { requestId: messageId, attempts: 1 };
  }

  /**
   * Was this payslip message already written? The file appears only by rename of a complete temporary file, so a
   * process killed mid-write leaves nothing that counts as sent; a file whose Message-ID is this one does.
   */
  async findSent(internetMessageId: string): Promise<SendResult | undefined> {
    const m = /^<paie\.([A-Za-z0-9_-]+)\.(\d{4}-\d{2})\.([A-Za-z0-9_-]+)(?:\.v(\d+))?@[^>]+>$/.exec(internetMessageId);
    if (!m) return undefined;
    const file = path.join(this.options.outboxDir, fileName(m[1]!, m[2]!, m[3]!, m[4] ? Number(m[4]) : undefined));
    try {
      const head = (await readFile(file, "utf8")).slice(0, 4096);
      return head.includes(`\r\nMessage-ID: ${internetMessageId}\r\n`) ? { requestId: internetMessageId, attempts: 0 } : undefined;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw new MailSendError(`Lecture de la boîte d'envoi locale impossible (${(e as NodeJS.ErrnoException).code ?? "erreur"})`, {
        reason: "io",
        retryable: true,
        attempts: 0,
      });
    }
  }

  /** Where a given message lands, for tests and the local runner. */
  pathFor(message: MailMessage): string {
    return path.join(this.options.outboxDir, emlFileName(message));
  }
}
