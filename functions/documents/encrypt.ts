/**
 * Encryption of a PDF for one reader (private delivery of the electronic payslip, arrêté ministériel n° 2019-1088):
 * AES-256, the PDF 2.0 standard security handler (ISO 32000-2 §7.6.4, revision 6), with the employee's document code
 * as the user password. Never RC4 (broken; @cantoo/pdf-lib refuses it unless asked). The owner password is random and
 * thrown away: nobody needs owner rights on a payslip. Printing and copying stay allowed (the employee keeps and
 * prints their payslip; copying serves accessibility); changing the document does not.
 *
 * Why this library: @cantoo/pdf-lib 2.11.1, a maintained fork of pdf-lib that writes AES-256 (pdf-lib 1.17 has no
 * encryption). Its writer encrypts streams only, so documents are saved with object streams: every dictionary that
 * holds strings then sits inside an encrypted stream — except the catalog and the page tree, which the writer keeps
 * outside; their strings (the catalog's /Lang) are encrypted here, so a reader does not decrypt clear text into noise.
 */
import { randomBytes } from "node:crypto";
import { PDFArray, PDFCatalog, PDFDict, PDFDocument, PDFHexString, type PDFObject, PDFPageLeaf, PDFPageTree, PDFString } from "@cantoo/pdf-lib";

/** Strings inside `value` (direct objects only) encrypted with `encrypt`. */
function encryptStrings(value: PDFObject, encrypt: (bytes: Uint8Array) => Uint8Array): PDFObject {
  if (value instanceof PDFString || value instanceof PDFHexString) return PDFHexString.of(Buffer.from(encrypt(value.asBytes())).toString("hex"));
  if (value instanceof PDFDict) for (const [k, v] of value.entries()) value.set(k, encryptStrings(v, encrypt));
  if (value instanceof PDFArray) for (let i = 0; i < value.size(); i++) value.set(i, encryptStrings(value.get(i), encrypt));
  return value;
}

/**
 * Encrypts `doc` in place, effective at its next save. Strings added afterwards to the catalog or a page object
 * would stay in clear: callers add only references there (the seal's widget and form).
 */
export function applyEncryption(doc: PDFDocument, userPassword: string): void {
  if (userPassword.length < 8) throw new Error("Code de protection du PDF trop court (8 caractères au moins).");
  doc.encrypt({
    algorithm: "AES-256",
    userPassword,
    ownerPassword: randomBytes(32).toString("base64url"),
    permissions: {
      printing: "highResolution",
      copying: true,
      contentAccessibility: true,
      modifying: false,
      annotating: false,
      fillingForms: false,
      documentAssembly: false,
    },
  });
  const security = doc.context.security;
  if (!security) throw new Error("Chiffrement du PDF non initialisé.");
  for (const [ref, object] of doc.context.enumerateIndirectObjects()) {
    if (object instanceof PDFCatalog || object instanceof PDFPageTree || object instanceof PDFPageLeaf) {
      encryptStrings(object, security.getEncryptFn(ref.objectNumber, ref.generationNumber));
    }
  }
}

/** The AES-256-encrypted copy of `pdf`, opened by `userPassword`. Pure: bytes and password in, bytes out. */
export async function encryptPdf(pdf: Uint8Array, userPassword: string): Promise<Uint8Array> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  applyEncryption(doc, userPassword);
  return new Uint8Array(await doc.save({ useObjectStreams: true }));
}

/**
 * True when the file declares an /Encrypt dictionary in a trailer or cross-reference stream (those stay in clear in
 * an encrypted file; in an unencrypted one the name only appears there).
 */
export function isEncryptedPdf(pdf: Uint8Array): boolean {
  return /\/Encrypt\s+\d+\s+\d+\s+R/.test(Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString("latin1"));
}
