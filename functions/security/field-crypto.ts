/**
 * One stored value encrypted with AES-256-GCM (node:crypto):
 *
 *   enc:v1:<keyId>:<iv>:<tag>:<ciphertext>      iv (12 random bytes), tag (16 bytes), ciphertext: base64url
 *
 * The key id travels with the value so a rotated ring still reads old values. The associated data binds the value to
 * where it lives (logical table, partition, row, field): copying a ciphertext to another employee, or to another
 * field of the same employee, fails authentication instead of silently showing someone else's CCSS number.
 * The logical table name (not the prefixed physical one) is bound, so a backup restores into another environment.
 * The plaintext is the JSON of the value, so numbers, strings and objects come back with their type.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { StorageError } from "../storage/errors.ts";
import type { DataKeyRing } from "./data-keys.ts";

export const ENCRYPTED_PREFIX = "enc:v1:";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT = /^enc:v1:([A-Za-z0-9_.-]{1,32}):([A-Za-z0-9_-]{16}):([A-Za-z0-9_-]{22}):([A-Za-z0-9_-]*)$/;

export interface FieldLocation {
  /** Logical table name ("employees"). */
  table: string;
  partitionKey: string;
  rowKey: string;
  /** Path of the value in the record ("data.ccssNumber"). */
  field: string;
}

/** Decryption refused: tampered, moved, truncated, or written with a key that is not configured. */
export class EncryptedFieldError extends StorageError {
  constructor(
    readonly location: FieldLocation,
    readonly reason: "tampered" | "unknown-key" | "malformed" | "no-keys",
    detail: string,
  ) {
    super(
      reason === "no-keys" || reason === "unknown-key" ? "config" : "corrupt",
      `Donnée chiffrée illisible (table « ${location.table} », partition « ${location.partitionKey} », ligne « ${location.rowKey} », champ « ${location.field} ») : ${detail}`,
    );
    this.name = "EncryptedFieldError";
  }
}

export function isEncrypted(value: unknown): value is string {
  return typeof value === "string" && value.startsWith(ENCRYPTED_PREFIX);
}

/** The key id of a stored value, or undefined when it is not an encrypted value. */
export function keyIdOf(value: unknown): string | undefined {
  return isEncrypted(value) ? FORMAT.exec(value)?.[1] : undefined;
}

function associatedData(keyId: string, at: FieldLocation): Buffer {
  // JSON of an array: unambiguous whatever characters the keys contain.
  return Buffer.from(JSON.stringify(["paie-monaco/enc/v1", keyId, at.table, at.partitionKey, at.rowKey, at.field]), "utf8");
}

export function encryptField(ring: DataKeyRing, value: unknown, at: FieldLocation): string {
  const key = ring.keys.get(ring.current);
  if (!key) throw new EncryptedFieldError(at, "unknown-key", `clé courante « ${ring.current} » absente de PAIE_DATA_KEYS.`);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(ring.current, at));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return `${ENCRYPTED_PREFIX}${ring.current}:${iv.toString("base64url")}:${tag.toString("base64url")}:${ciphertext.toString("base64url")}`;
}

export function decryptField(ring: DataKeyRing | undefined, stored: string, at: FieldLocation): unknown {
  const m = FORMAT.exec(stored);
  if (!m) throw new EncryptedFieldError(at, "malformed", "format de valeur chiffrée invalide (enc:v1:<clé>:<iv>:<tag>:<données> attendu).");
  const [, keyId, iv, tag, ciphertext] = m as unknown as [string, string, string, string, string];
  if (!ring) {
    throw new EncryptedFieldError(at, "no-keys", "aucune clé de chiffrement n'est configurée (PAIE_DATA_KEYS, PAIE_DATA_KEY_CURRENT).");
  }
  const key = ring.keys.get(keyId);
  if (!key) {
    throw new EncryptedFieldError(
      at,
      "unknown-key",
      `chiffrée avec la clé « ${keyId} », absente de PAIE_DATA_KEYS : remettez cette clé dans la configuration.`,
    );
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"), { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(keyId, at));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    const text = Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
    return JSON.parse(text) as unknown;
  } catch {
    throw new EncryptedFieldError(
      at,
      "tampered",
      "authentification AES-GCM refusée : la valeur a été modifiée, ou copiée depuis une autre ligne ou un autre champ. Restaurez-la depuis une sauvegarde.",
    );
  }
}
