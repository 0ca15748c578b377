/**
 * Local transport: each mail becomes an RFC 5322 / MIME .eml file in an outbox folder, which any mail
 * client opens. Used on developer machines and in demos so the whole path up to the transport is the
 * production one, without a tenant. The message is composed by nodemailer's MailComposer (pinned): headers
 * encoded as RFC 2047 words and folded, bodies and the PDF transfer-encoded, boundaries chosen by it.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import MailComposer from "nodemailer/lib/mail-composer";
import { isValidMailAddress, safeFileToken } from "./message.ts";
import { type MailMessage, MailSendError, type MailTransport, type SendOptions, type SendResult } from "./types.ts";

/** One plain mailbox; a display name stripped of control characters, so it cannot open a header of its own. */
function mailbox(address: string, name?: string): { address: string; name: string } {
  if (!isValidMailAddress(address)) throw new MailSendError("Adresse électronique invalide", { reason: "invalid", retryable: false, attempts: 0 });
  return { address, name: name?.replace(/[\u0000-\u001f\u007f]+/g, " ").trim() ?? "" };
}

export interface EmlOptions {
  from: string;
  fromName?: string;
  date: Date;
  messageId: string;
}

/** The whole message, CRLF line endings, 7-bit clean. */
export async function buildEml(message: MailMessage, options: EmlOptions): Promise<Buffer> {
  const composer = new MailComposer({
    from: mailbox(options.from, options.fromName),
    to: mailbox(message.to.address, message.to.name),
    subject: message.subject,
    date: options.date,
    messageId: options.messageId,
    text: message.text,
    html: message.html,
    attachments: message.attachments.map((a) => ({
      filename: a.name,
      contentType: a.contentType,
      contentDisposition: "attachment",
      content: Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength),
    })),
    // Everything comes from memory: never let a value be read as a file path or a URL to fetch.
    disableFileAccess: true,
    disableUrlAccess: true,
    newline: "\r\n",
  });
  return composer.compile().build();
}

/** The Message-ID of an .eml file's header block (folded lines joined), if it has one. */
export function emlMessageId(eml: string): string | undefined {
  const end = eml.indexOf("\r\n\r\n");
  const head = (end < 0 ? eml : eml.slice(0, end)).replace(/\r\n[ \t]+/g, " ");
  return /^Message-ID:[ \t]*(<[^>\r\n]+>)[ \t]*$/im.exec(head)?.[1];
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
    const eml = await buildEml(message, { from: this.options.from, ...(this.options.fromName ? { fromName: this.options.fromName } : {}), date, messageId });
    const file = path.join(this.options.outboxDir, emlFileName(message));
    try {
      await mkdir(this.options.outboxDir, { recursive: true });
      // Write then rename: whoever watches the outbox never sees half a message.
      const tmp = `${file}.${randomBytes(4).toString("hex")}.tmp`;
      await writeFile(tmp, eml);
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
      return emlMessageId(await readFile(file, "utf8")) === internetMessageId ? { requestId: internetMessageId, attempts: 0 } : undefined;
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
