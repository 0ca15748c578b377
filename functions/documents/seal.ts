/**
 * The employer's seal on a PDF (arrêté ministériel n° 2019-1088, integrity of the electronic payslip): a PAdES
 * baseline B-B signature (ETSI EN 319 142-1) that any PDF reader verifies — Acrobat, poppler's `pdfsig`.
 *
 * One save, then the signature: the document is loaded, any earlier seal removed (the stored payslip is sealed, and
 * the mailed copy is re-sealed after encryption), optionally encrypted (./encrypt.ts), given a signature field whose
 * /Contents is a zero-filled placeholder, saved, and @signpdf/signpdf computes /ByteRange and writes the CMS
 * signature (./cms.ts) into the placeholder. Encrypting before signing is what lets the seal cover the encrypted
 * bytes: encrypting a signed file rewrites it and breaks the signature. The signature dictionary is written as raw
 * bytes so that /Contents stays in clear as ISO 32000-2 §7.6.2 requires; its other strings (/M, /Name, /Reason) are
 * encrypted by hand with the document's key, since the writer only encrypts streams.
 *
 * Why these libraries: @cantoo/pdf-lib 2.11.1 (a maintained fork of pdf-lib with AES-256 encryption, which pdf-lib
 * 1.17 lacks); @signpdf/signpdf 3.3.0 (the maintained successor of node-signpdf) for the byte-range arithmetic. The
 * placeholder is built here rather than with @signpdf/placeholder-pdf-lib: that package imports the original
 * `pdf-lib` classes, whose instanceof checks fail on a @cantoo/pdf-lib document.
 */
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFInvalidObject, PDFName, PDFNumber, type PDFObject, PDFRef, PDFString } from "@cantoo/pdf-lib";
import { SignPdf } from "@signpdf/signpdf";
import { DEFAULT_BYTE_RANGE_PLACEHOLDER, Signer, SUBFILTER_ETSI_CADES_DETACHED } from "@signpdf/utils";
import { type SigningKey, signDetached } from "./cms.ts";
import { applyEncryption } from "./encrypt.ts";

export interface SealOptions {
  /** The /M of the signature (the run's time: a re-generated document keeps its date). */
  signingTime: Date;
  /** Who seals, as shown by readers next to the certificate's name ("Cabinet X pour Société Y"). */
  name?: string;
  reason?: string;
  location?: string;
  /** Encrypt with this user password (AES-256) before sealing. */
  encryptWith?: string;
}

const SIGNATURE_FIELD = "Sceau";

class CmsSigner extends Signer {
  constructor(private readonly key: SigningKey) {
    super();
  }
  override async sign(pdf: Buffer): Promise<Buffer> {
    return Buffer.from(signDetached(pdf, this.key));
  }
}

/** The placeholder must hold the hex of the CMS: certificates, attributes and a signature, with room to spare. */
function placeholderBytes(key: SigningKey): number {
  const certificates = key.certificates.reduce((n, c) => n + c.length, 0);
  return certificates + 4096;
}

/** Removes the signature fields (and their widgets) an earlier seal added, so that only one seal is left. */
export function removeSeals(doc: PDFDocument): number {
  const context = doc.context;
  const acroForm = doc.catalog.lookupMaybe(PDFName.of("AcroForm"), PDFDict);
  if (!acroForm) return 0;
  const fields = acroForm.lookupMaybe(PDFName.of("Fields"), PDFArray);
  if (!fields) return 0;
  const removed = new Set<string>();
  const kept: PDFObject[] = [];
  for (let i = 0; i < fields.size(); i++) {
    const ref = fields.get(i);
    const field = context.lookupMaybe(ref, PDFDict);
    if (field && field.get(PDFName.of("FT")) === PDFName.of("Sig")) {
      const value = field.get(PDFName.of("V"));
      if (value instanceof PDFRef) context.delete(value);
      for (const kid of field.lookupMaybe(PDFName.of("Kids"), PDFArray)?.asArray() ?? []) if (kid instanceof PDFRef) removed.add(kid.toString());
      if (ref instanceof PDFRef) {
        removed.add(ref.toString());
        context.delete(ref);
      }
    } else kept.push(ref);
  }
  if (removed.size === 0) return 0;
  acroForm.set(PDFName.of("Fields"), context.obj(kept));
  if (kept.length === 0) acroForm.delete(PDFName.of("SigFlags"));
  for (const page of doc.getPages()) {
    const annots = page.node.lookupMaybe(PDFName.of("Annots"), PDFArray);
    if (!annots) continue;
    const left = annots.asArray().filter((a) => !(a instanceof PDFRef && removed.has(a.toString())));
    if (left.length === annots.size()) continue;
    if (left.length) page.node.set(PDFName.of("Annots"), context.obj(left));
    else page.node.delete(PDFName.of("Annots"));
  }
  return removed.size;
}

function addPlaceholder(doc: PDFDocument, key: SigningKey, options: SealOptions): void {
  const context = doc.context;
  const page = doc.getPage(0);
  const signatureRef = context.nextRef();
  // Strings of the signature dictionary other than /Contents are encrypted like any string of the file.
  const text = (value: string): PDFObject => {
    const plain = PDFString.of(value);
    if (!context.security) return plain;
    const encrypt = context.security.getEncryptFn(signatureRef.objectNumber, signatureRef.generationNumber);
    return PDFHexString.of(Buffer.from(encrypt(plain.asBytes())).toString("hex"));
  };
  const byteRange = context.obj([
    0,
    PDFName.of(DEFAULT_BYTE_RANGE_PLACEHOLDER),
    PDFName.of(DEFAULT_BYTE_RANGE_PLACEHOLDER),
    PDFName.of(DEFAULT_BYTE_RANGE_PLACEHOLDER),
  ]);
  const signature = context.obj({
    Type: "Sig",
    Filter: "Adobe.PPKLite",
    SubFilter: SUBFILTER_ETSI_CADES_DETACHED,
    ByteRange: byteRange,
    Contents: PDFHexString.of("0".repeat(placeholderBytes(key) * 2)),
    M: text(PDFString.fromDate(options.signingTime).asString()),
    ...(options.name ? { Name: text(options.name) } : {}),
    ...(options.reason ? { Reason: text(options.reason) } : {}),
    ...(options.location ? { Location: text(options.location) } : {}),
  });
  const raw = new Uint8Array(signature.sizeInBytes());
  signature.copyBytesInto(raw, 0);
  // Raw bytes: never put in an object stream, never passed through the writer's encryption.
  context.assign(signatureRef, PDFInvalidObject.of(raw));

  const widget = context.register(
    context.obj({
      Type: "Annot",
      Subtype: "Widget",
      FT: "Sig",
      Rect: [0, 0, 0, 0],
      V: signatureRef,
      T: PDFString.of(SIGNATURE_FIELD),
      F: 4 | 128, // Print, Locked: an invisible seal that nobody moves.
      P: page.ref,
    }),
  );
  const annots = page.node.lookupMaybe(PDFName.of("Annots"), PDFArray) ?? context.obj([]);
  annots.push(widget);
  page.node.set(PDFName.of("Annots"), annots);

  let acroForm = doc.catalog.lookupMaybe(PDFName.of("AcroForm"), PDFDict);
  if (!acroForm) {
    acroForm = context.obj({ Fields: [] });
    doc.catalog.set(PDFName.of("AcroForm"), context.register(acroForm));
  }
  const fields = acroForm.lookupMaybe(PDFName.of("Fields"), PDFArray) ?? context.obj([]);
  fields.push(widget);
  acroForm.set(PDFName.of("Fields"), fields);
  // SignaturesExist | AppendOnly (ISO 32000-2 §12.7.3): readers must not rewrite the file and break the seal.
  acroForm.set(PDFName.of("SigFlags"), PDFNumber.of(3));
}

/** The sealed (and, with `encryptWith`, encrypted) copy of `pdf`. Pure: bytes and key material in, bytes out. */
export async function sealPdf(pdf: Uint8Array, key: SigningKey, options: SealOptions): Promise<Uint8Array> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  removeSeals(doc);
  if (options.encryptWith !== undefined) applyEncryption(doc, options.encryptWith);
  addPlaceholder(doc, key, options);
  // Object streams: every dictionary with strings goes into a stream, which the writer encrypts.
  const prepared = await doc.save({ useObjectStreams: true, updateFieldAppearances: false });
  return new Uint8Array(await new SignPdf().sign(Buffer.from(prepared), new CmsSigner(key)));
}
