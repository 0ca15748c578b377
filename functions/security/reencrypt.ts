/**
 * Key rotation: after a new key is made current (added to PAIE_DATA_KEYS, PAIE_DATA_KEY_CURRENT switched), new writes
 * already use it and old values still decrypt with their own key id. `reencryptAll` then rewrites every employee whose
 * personal fields are under an older key (or still in clear) with the current key, so the old key can be removed.
 *
 * Each row is replaced with its ETag: a row changed in between (412) is read again — the concurrent writer used the
 * current key too, so the row usually needs nothing more. `updatedAt` is kept: re-encryption is not a change of data.
 */
import type { Storage } from "../storage/config.ts";
import { employeesRepository } from "../storage/employees.ts";
import { statusOf } from "../storage/errors.ts";
import { type DataKeyRing, dataKeysOf } from "./data-keys.ts";
import { needsReencryption, openEmployeeData, sealEmployeeData } from "./personal-data.ts";

export interface ReencryptReport {
  /** Rows read. */
  scanned: number;
  /** Rows rewritten with the current key. */
  rewritten: number;
  /** ETag conflicts met (each row was read again and settled). */
  conflicts: number;
}

export async function reencryptAll(storage: Storage, options: { keys?: DataKeyRing; maxAttempts?: number } = {}): Promise<ReencryptReport> {
  const ring = options.keys ?? dataKeysOf(storage);
  if (!ring) throw new Error("Rechiffrement impossible : aucune clé de chiffrement n'est configurée (PAIE_DATA_KEYS, PAIE_DATA_KEY_CURRENT).");
  const client = storage.table("employees");
  const { codec } = employeesRepository(storage, { keys: ring });
  const report: ReencryptReport = { scanned: 0, rewritten: 0, conflicts: 0 };
  const maxAttempts = options.maxAttempts ?? 5;

  for await (const first of client.listEntities<Record<string, unknown>>()) {
    report.scanned += 1;
    let raw: Record<string, unknown> = first;
    for (let attempt = 1; ; attempt++) {
      const decoded = codec.fromEntity(raw);
      const { value } = decoded;
      if (!needsReencryption(ring, value.data)) break;
      const key = { companyId: value.companyId, employeeId: value.employeeId };
      // Open with whatever key each value names, seal with the current one.
      const data = sealEmployeeData(ring, openEmployeeData(ring, value.data, key), key);
      const entity = codec.toEntity(decoded.partitionKey, decoded.rowKey, { ...value, data });
      try {
        await client.updateEntity(entity, "Replace", { etag: decoded.etag });
        report.rewritten += 1;
        break;
      } catch (e) {
        const status = statusOf(e);
        if (status !== 412 && status !== 404) throw e;
        report.conflicts += 1;
        if (status === 404) break; // deleted meanwhile: nothing left to protect
        if (attempt >= maxAttempts) {
          throw new Error(
            `Rechiffrement interrompu : la ligne « ${decoded.rowKey} » (partition « ${decoded.partitionKey} ») change sans cesse ; relancez plus tard.`,
          );
        }
        try {
          raw = await client.getEntity<Record<string, unknown>>(decoded.partitionKey, decoded.rowKey);
        } catch (again) {
          if (statusOf(again) === 404) break;
          throw again;
        }
      }
    }
  }
  return report;
}
