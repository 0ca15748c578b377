/**
 * Which fields of an employee's master data are encrypted at rest, and the transforms the employees repository
 * applies on write (seal) and read (open). Names, e-mail and dates of entry stay in clear: lists, mails and the
 * payroll run need them without a key, and they are not identifiers an attacker could reuse elsewhere.
 */
import type { DataKeyRing } from "./data-keys.ts";
import { decryptField, EncryptedFieldError, encryptField, type FieldLocation, isEncrypted, keyIdOf } from "./field-crypto.ts";

/** Keys of `Employee.data` holding the CCSS number, the birth date and bank details. */
export const PERSONAL_DATA_FIELDS = ["ccssNumber", "birthDate", "iban", "bic"] as const;

/** The logical table bound into the associated data (see field-crypto.ts). */
export const EMPLOYEES_TABLE = "employees";

export interface EmployeeKey {
  companyId: string;
  employeeId: string;
}

/**
 * Where a copy of master data is stored when it is not the employees table: the snapshot a period version keeps
 * with its payslip rows (functions/storage/payslips.ts). The associated data binds each ciphertext to that row, so
 * a value copied from one row to another does not open.
 */
export interface DataRow {
  table: string;
  partitionKey: string;
  rowKey: string;
  /** Prefix of the field names ("employee.data"). */
  field: string;
}

const at = (k: EmployeeKey | DataRow, name: string): FieldLocation =>
  "table" in k
    ? { table: k.table, partitionKey: k.partitionKey, rowKey: k.rowKey, field: `${k.field}.${name}` }
    : { table: EMPLOYEES_TABLE, partitionKey: k.companyId, rowKey: k.employeeId, field: `data.${name}` };

/** Encrypts the personal fields with the current key; refuses (never stores in clear) when no key is configured. */
export function sealEmployeeData(ring: DataKeyRing | undefined, data: Record<string, unknown>, key: EmployeeKey | DataRow): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const name of PERSONAL_DATA_FIELDS) {
    const value = data[name];
    if (value === undefined || value === null) continue;
    if (!ring) {
      throw new EncryptedFieldError(
        at(key, name),
        "no-keys",
        "enregistrement refusé : cette donnée personnelle ne peut pas être stockée en clair et aucune clé de chiffrement n'est configurée (PAIE_DATA_KEYS, PAIE_DATA_KEY_CURRENT).",
      );
    }
    out ??= { ...data };
    out[name] = encryptField(ring, value, at(key, name));
  }
  return out ?? data;
}

/**
 * Decrypts the personal fields. A value still in clear (written before encryption was introduced) is returned as is;
 * `reencryptAll` encrypts it.
 */
export function openEmployeeData(ring: DataKeyRing | undefined, data: Record<string, unknown>, key: EmployeeKey | DataRow): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const name of PERSONAL_DATA_FIELDS) {
    const value = data[name];
    if (!isEncrypted(value)) continue;
    out ??= { ...data };
    out[name] = decryptField(ring, value, at(key, name));
  }
  return out ?? data;
}

/** True when some personal field is in clear or under a key other than the current one. */
export function needsReencryption(ring: DataKeyRing, data: Record<string, unknown>): boolean {
  return PERSONAL_DATA_FIELDS.some((name) => {
    const value = data[name];
    if (value === undefined || value === null) return false;
    return keyIdOf(value) !== ring.current;
  });
}
