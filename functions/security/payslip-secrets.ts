/**
 * The employee's document code: the secret that opens the payslips mailed to them (private delivery of the electronic
 * payslip, arrêté ministériel n° 2019-1088 du 20 décembre 2019).
 *
 * Scheme
 * - One code per employee (company + matricule), drawn once from node:crypto: 60 random bits written as 12 Crockford
 *   base32 characters in three groups, e.g. `K7QF-M2XP-9RTA`. The printed form, dashes included, is the PDF user
 *   password (what the employee sees is what they type); Crockford's alphabet has no I, L, O or U to misread.
 *   60 bits against AES-256 PDF encryption (revision 6, iterated SHA-2): an offline guesser needs ~10¹⁸ tries.
 * - Stored only encrypted, in the `documentcodes` table (this module owns it), with the field encryption of the
 *   personal data (functions/security/field-crypto.ts, AES-256-GCM, bound to table, company, matricule and field):
 *   the table, its backups and the logs never hold it in clear.
 * - Delivered apart from the mails: the accountant prints the code letter (functions/documents/code-letter.ts) and
 *   hands it over or posts it. The code is never in a mail, a log, an audit entry or an API list; each payslip mail
 *   says that its attachment opens with the code received separately.
 * - Issued the first time it is needed (the letter, or the first mail) — audited as `document-code.issued`; rotated
 *   on the employee's request (lost or disclosed code) by `rotateDocumentCode` — audited as `document-code.rotated`,
 *   with who asked. Mails sent after a rotation use the new code; PDFs already received keep the old one.
 */
import { randomBytes } from "node:crypto";
import { type Static, Type } from "@sinclair/typebox";
import { auditRepository, ConcurrencyError, createIfAbsent, defineCodec, replaceIfMatch, type Storage } from "../storage/index.ts";
import { assertCompanyId, assertEmployeeId, COMPANY_ID_PATTERN, EMPLOYEE_ID_PATTERN } from "../storage/keys.ts";
import { IsoDateTime, readOne } from "../storage/repo.ts";
import { dataKeysOf } from "./data-keys.ts";
import { decryptField, EncryptedFieldError, encryptField, type FieldLocation, isEncrypted } from "./field-crypto.ts";

/** The logical table bound into the associated data (field-crypto.ts). */
export const DOCUMENT_CODES_TABLE = "documentcodes";

/** Crockford's base32 alphabet (no I, L, O, U). */
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
export const DOCUMENT_CODE_PATTERN = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

/** 60 random bits as `XXXX-XXXX-XXXX`. */
export function newDocumentCode(): string {
  const bytes = randomBytes(8);
  let bits = bytes.readBigUInt64BE() >> 4n; // 60 bits
  let out = "";
  for (let i = 0; i < 12; i++) {
    out = CROCKFORD[Number(bits & 31n)] + out;
    bits >>= 5n;
  }
  return `${out.slice(0, 4)}-${out.slice(4, 8)}-${out.slice(8)}`;
}

export const DocumentCodeSchema = Type.Object(
  {
    companyId: Type.String({ pattern: COMPANY_ID_PATTERN }),
    employeeId: Type.String({ pattern: EMPLOYEE_ID_PATTERN }),
    /** Always `enc:v1:…` in the table. */
    code: Type.String({ minLength: 1, maxLength: 400 }),
    issuedAt: IsoDateTime(),
    /** 1 for the first code, +1 at each rotation. */
    generation: Type.Integer({ minimum: 1 }),
  },
  { additionalProperties: false },
);
type StoredCode = Static<typeof DocumentCodeSchema>;

export interface DocumentCode {
  companyId: string;
  employeeId: string;
  code: string;
  issuedAt: string;
  generation: number;
}

export class DocumentCodeError extends Error {
  override readonly name = "DocumentCodeError";
}

function repository(storage: Storage) {
  const client = storage.table("documentcodes");
  const codec = defineCodec(client.tableName, DocumentCodeSchema);
  const at = (companyId: string, employeeId: string): FieldLocation => ({
    table: DOCUMENT_CODES_TABLE,
    partitionKey: companyId,
    rowKey: employeeId,
    field: "code",
  });
  const ring = () => {
    const keys = dataKeysOf(storage);
    if (!keys)
      throw new DocumentCodeError(
        "Codes de document : aucune clé de chiffrement n'est configurée (PAIE_DATA_KEYS, PAIE_DATA_KEY_CURRENT) ; un code n'est jamais stocké en clair.",
      );
    return keys;
  };
  const seal = (companyId: string, employeeId: string, code: string) => encryptField(ring(), code, at(companyId, employeeId));
  const open = (row: StoredCode): DocumentCode => {
    if (!isEncrypted(row.code))
      throw new EncryptedFieldError(at(row.companyId, row.employeeId), "malformed", "code de document en clair dans la table : refusé.");
    const code = decryptField(ring(), row.code, at(row.companyId, row.employeeId));
    if (typeof code !== "string" || !DOCUMENT_CODE_PATTERN.test(code))
      throw new EncryptedFieldError(at(row.companyId, row.employeeId), "malformed", "code de document illisible.");
    return { companyId: row.companyId, employeeId: row.employeeId, code, issuedAt: row.issuedAt, generation: row.generation };
  };
  return { client, codec, seal, open };
}

export async function readDocumentCode(storage: Storage, companyId: string, employeeId: string): Promise<DocumentCode | undefined> {
  assertCompanyId(companyId);
  assertEmployeeId(employeeId);
  const repo = repository(storage);
  const row = await readOne(repo.client, repo.codec, companyId, employeeId);
  return row && repo.open(row);
}

export interface CodeContext {
  actor: string;
  now: Date;
}

/**
 * The employee's code, issued (and audited) if they have none. Two callers at once get the same code: the row is
 * created only if absent, and the loser reads the winner's.
 */
export async function ensureDocumentCode(
  storage: Storage,
  companyId: string,
  employeeId: string,
  context: CodeContext,
): Promise<DocumentCode & { issued: boolean }> {
  const existing = await readDocumentCode(storage, companyId, employeeId);
  if (existing) return { ...existing, issued: false };
  const repo = repository(storage);
  const code = newDocumentCode();
  const row: StoredCode = { companyId, employeeId, code: repo.seal(companyId, employeeId, code), issuedAt: context.now.toISOString(), generation: 1 };
  try {
    await createIfAbsent(repo.client, repo.codec.toEntity(companyId, employeeId, row));
  } catch (e) {
    if (!(e instanceof ConcurrencyError)) throw e;
    const winner = await readDocumentCode(storage, companyId, employeeId);
    if (!winner) throw e;
    return { ...winner, issued: false };
  }
  await auditRepository(storage).append({
    companyId,
    at: row.issuedAt,
    actor: context.actor,
    action: "document-code.issued",
    target: `${companyId}/${employeeId}`,
    after: { generation: 1 },
  });
  return { companyId, employeeId, code, issuedAt: row.issuedAt, generation: 1, issued: true };
}

/** A new code replaces the old one (lost or disclosed), audited with who asked and why; returns the new code. */
export async function rotateDocumentCode(
  storage: Storage,
  companyId: string,
  employeeId: string,
  context: CodeContext & { reason: string },
): Promise<DocumentCode> {
  const reason = context.reason.trim();
  if (!reason)
    throw new DocumentCodeError(`Renouvellement du code de ${companyId}/${employeeId} : le motif est obligatoire (demande du salarié, code perdu…).`);
  const repo = repository(storage);
  const current = await readOne(repo.client, repo.codec, companyId, employeeId);
  if (!current) {
    const first = await ensureDocumentCode(storage, companyId, employeeId, context);
    return first;
  }
  const code = newDocumentCode();
  const generation = current.generation + 1;
  const row: StoredCode = { companyId, employeeId, code: repo.seal(companyId, employeeId, code), issuedAt: context.now.toISOString(), generation };
  // ETag-guarded: two rotations at once cannot both think they set the code the employee was given.
  await replaceIfMatch(repo.client, repo.codec.toEntity(companyId, employeeId, row), current.etag);
  await auditRepository(storage).append({
    companyId,
    at: row.issuedAt,
    actor: context.actor,
    action: "document-code.rotated",
    target: `${companyId}/${employeeId}`,
    before: { generation: current.generation },
    after: { generation, reason: reason.slice(0, 200) },
  });
  return { companyId, employeeId, code, issuedAt: row.issuedAt, generation };
}
