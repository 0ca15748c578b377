/** Reads an .eml back with a real mail parser (mailparser, pinned), as a mail client would. */
import { readFileSync } from "node:fs";
import { type ParsedMail, simpleParser } from "mailparser";

export async function readEml(file: string): Promise<ParsedMail> {
  return simpleParser(readFileSync(file));
}

/** The recipients' addresses of a parsed mail. */
export function toAddresses(mail: ParsedMail): string[] {
  return (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).flatMap((t) => t.value.map((v) => v.address ?? ""));
}

/** The one PDF attachment's bytes, decoded. */
export function pdfAttachment(mail: ParsedMail): Buffer | undefined {
  return mail.attachments.find((a) => a.contentType === "application/pdf")?.content;
}
