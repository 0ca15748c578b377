/**
 * Partition/row key rules. Azurite is more lenient than Azure (a "/" gives a 500 there, a 400 in Azure),
 * so keys are checked here, before any request, with a message naming the key.
 */

import { COMPANY_ID_PATTERN, EMPLOYEE_ID_PATTERN } from "../../shared/api/fields.ts";
import { isPeriod } from "../../shared/core/period.ts";
import { StorageError } from "./errors.ts";

const MAX_KEY_BYTES = 1024;
// Azure forbids / \ # ? and the C0/C1 control characters in PartitionKey and RowKey.
const FORBIDDEN = /[/\\#?\u0000-\u001f\u007f-\u009f]/u;

/** `|` is allowed in keys and never appears in our ids, so composite keys split unambiguously. */
export const KEY_SEPARATOR = "|";

export type KeyKind = "PartitionKey" | "RowKey";

export function keyProblem(value: string): string | undefined {
  if (typeof value !== "string") return "n'est pas une chaîne";
  if (value.length === 0) return "est vide";
  const forbidden = FORBIDDEN.exec(value);
  if (forbidden) {
    const ch = forbidden[0];
    const shown = /[/\\#?]/.test(ch) ? `« ${ch} »` : `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
    return `contient le caractère interdit ${shown} (interdits : / \\ # ? et les caractères de contrôle)`;
  }
  const bytes = Buffer.byteLength(value, "utf8");
  if (bytes > MAX_KEY_BYTES) return `dépasse 1 Kio (${bytes} octets)`;
  return undefined;
}

export function assertKey(kind: KeyKind, value: string, table?: string): void {
  const problem = keyProblem(value);
  if (problem) {
    const where = table ? ` de la table « ${table} »` : "";
    const shown = typeof value === "string" ? (value.length > 80 ? `${value.slice(0, 80)}…` : value) : String(value);
    throw new StorageError("key", `Clé invalide : la ${kind}${where} « ${shown} » ${problem}.`);
  }
}

// One definition with the API contract's (shared/api/fields.ts): what the API accepts is what a key may be.
const COMPANY_ID = new RegExp(COMPANY_ID_PATTERN);
const EMPLOYEE_ID = new RegExp(EMPLOYEE_ID_PATTERN);

export { COMPANY_ID_PATTERN, EMPLOYEE_ID_PATTERN };

export function assertCompanyId(companyId: string): void {
  if (typeof companyId !== "string" || !COMPANY_ID.test(companyId)) {
    throw new StorageError(
      "key",
      `Identifiant de société invalide « ${String(companyId)} » : lettres, chiffres, « - » ou « _ » (64 caractères au plus), commençant par une lettre ou un chiffre.`,
    );
  }
}

export function assertEmployeeId(employeeId: string): void {
  if (typeof employeeId !== "string" || !EMPLOYEE_ID.test(employeeId)) {
    throw new StorageError("key", `Matricule invalide « ${String(employeeId)} » : lettres, chiffres, « . », « - » ou « _ » (64 caractères au plus).`);
  }
}

export function assertPeriod(period: string): void {
  if (!isPeriod(period)) {
    throw new StorageError("key", `Période invalide « ${String(period)} » : format attendu AAAA-MM (ex. 2026-03).`);
  }
}

/** Partition of per-period rows (payslips, mails): `${companyId}|${period}`. */
export function companyPeriodKey(companyId: string, period: string): string {
  assertCompanyId(companyId);
  assertPeriod(period);
  return `${companyId}${KEY_SEPARATOR}${period}`;
}

export function splitCompanyPeriodKey(key: string): { companyId: string; period: string } {
  const [companyId, period, ...rest] = key.split(KEY_SEPARATOR);
  if (!companyId || !period || rest.length > 0) {
    throw new StorageError("key", `Clé société|période invalide « ${key} ».`);
  }
  return { companyId, period };
}

/** Escapes a value for an OData string literal (single quotes doubled). */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
