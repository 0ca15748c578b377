/**
 * Payslips: partition = `${companyId}|${period}`, row = `${payslipSet}|${employeeId}` where
 * payslipSet = `v0003.1a2b3c4d` (version + random attempt id). Putting the set first lets a reader fetch
 * exactly one version with a row-key range, and the attempt id keeps two concurrent or interrupted
 * submissions of the same version from ever writing into each other's rows.
 * `employee` is the master data the version was submitted with (the run prints and mails from it, never from the
 * employees table); its personal fields are sealed here on write and opened on read, bound to this row.
 */
import { randomBytes } from "node:crypto";
import { type Static, Type } from "@sinclair/typebox";
import { PERIOD_PATTERN } from "../../shared/core/period.ts";
import { dataKeysOf } from "../security/data-keys.ts";
import { openEmployeeData, sealEmployeeData } from "../security/personal-data.ts";
import { type BatchOptions, type BatchReport, deleteAll, upsertAll } from "./batch.ts";
import { defineCodec, type Stored } from "./codec.ts";
import type { Storage } from "./config.ts";
import { type Employee, EmployeeSchema } from "./employees.ts";
import { StorageError } from "./errors.ts";
import { assertEmployeeId, COMPANY_ID_PATTERN, companyPeriodKey, EMPLOYEE_ID_PATTERN, KEY_SEPARATOR, odataString, splitCompanyPeriodKey } from "./keys.ts";
import { Cents, IsoDateTime, readMany, readOne } from "./repo.ts";
import { RENAMED_COLUMNS, RENAMED_IN_JSON, readingRenamed } from "./upgrade.ts";

export const PAYSLIP_SET_PATTERN = "^v\\d{4}\\.[0-9a-f]{8}$";

export function newPayslipSet(version: number): string {
  if (!Number.isInteger(version) || version < 1 || version > 9999) {
    throw new StorageError("codec", `Version de période invalide : ${version} (1 à 9999).`);
  }
  return `v${String(version).padStart(4, "0")}.${randomBytes(4).toString("hex")}`;
}

export const PayslipSchema = Type.Object(
  {
    companyId: Type.String({ pattern: COMPANY_ID_PATTERN }),
    period: Type.String({ pattern: PERIOD_PATTERN }),
    employeeId: Type.String({ pattern: EMPLOYEE_ID_PATTERN }),
    version: Type.Integer({ minimum: 1, maximum: 9999 }),
    payslipSet: Type.String({ pattern: PAYSLIP_SET_PATTERN }),
    /** The engine's result for this employee (amounts already in integer cents). */
    result: Type.Unknown(),
    /** The state carried to next month (the engine's `result.carry`: year-to-date totals, ceilings, leave counters). */
    carry: Type.Unknown(),
    /** Master data of the employee for this version; absent on rows written before it travelled with the month. */
    employee: Type.Optional(EmployeeSchema),
    grossCents: Type.Optional(Cents()),
    netCents: Type.Optional(Cents()),
    employerCostCents: Type.Optional(Cents()),
    computedAt: IsoDateTime(),
  },
  { additionalProperties: false },
);
export type PayslipRecord = Static<typeof PayslipSchema>;

/** One payslip set as stored: whose, which version, how many rows, and when its last row was written. */
export interface PayslipSetInfo {
  companyId: string;
  period: string;
  payslipSet: string;
  version: number;
  rows: number;
  writtenAt: string;
}

export function versionOfSet(payslipSet: string): number {
  return Number(payslipSet.slice(1, 5));
}

export function payslipRowKey(payslipSet: string, employeeId: string): string {
  assertEmployeeId(employeeId);
  return `${payslipSet}${KEY_SEPARATOR}${employeeId}`;
}

/** Row-key range of one set: `|` is U+007C, so every row of the set sorts below `${set}}` (U+007D). */
function setRange(payslipSet: string): string {
  return `RowKey ge ${odataString(payslipSet + KEY_SEPARATOR)} and RowKey lt ${odataString(`${payslipSet}}`)}`;
}

export function payslipsRepository(storage: Storage) {
  const client = storage.table("payslips");
  const codec = readingRenamed(defineCodec(client.tableName, PayslipSchema), RENAMED_COLUMNS.payslips, RENAMED_IN_JSON.payslips);
  const rowOf = (p: { companyId: string; period: string; payslipSet: string; employeeId: string }) => ({
    table: client.tableName,
    partitionKey: companyPeriodKey(p.companyId, p.period),
    rowKey: payslipRowKey(p.payslipSet, p.employeeId),
    field: "employee.data",
  });
  const sealed = (p: PayslipRecord): PayslipRecord =>
    p.employee ? { ...p, employee: { ...p.employee, data: sealEmployeeData(dataKeysOf(storage), p.employee.data, rowOf(p)) } } : p;
  const open = <T extends PayslipRecord>(p: T): T => {
    if (!p.employee) return p;
    const data = openEmployeeData(dataKeysOf(storage), p.employee.data, rowOf(p));
    return data === p.employee.data ? p : { ...p, employee: { ...p.employee, data } satisfies Employee };
  };
  const entityOf = (p: PayslipRecord) => codec.toEntity(companyPeriodKey(p.companyId, p.period), payslipRowKey(p.payslipSet, p.employeeId), sealed(p));
  return {
    codec,
    entityOf,
    /** Writes payslips in transactions (≤ 100 per partition and request). */
    writeMany(payslips: readonly PayslipRecord[], options?: BatchOptions): Promise<BatchReport> {
      return upsertAll(client, payslips.map(entityOf), options);
    },
    async get(companyId: string, period: string, payslipSet: string, employeeId: string): Promise<Stored<PayslipRecord> | undefined> {
      const stored = await readOne(client, codec, companyPeriodKey(companyId, period), payslipRowKey(payslipSet, employeeId));
      return stored && open(stored);
    },
    /** Every payslip of one set (one version), in matricule order. */
    async listSet(companyId: string, period: string, payslipSet: string): Promise<Array<Stored<PayslipRecord>>> {
      return (await readMany(client, codec, `PartitionKey eq ${odataString(companyPeriodKey(companyId, period))} and ${setRange(payslipSet)}`)).map(open);
    },
    /** Sets present in the partition (current, older versions, leftovers of interrupted attempts). */
    async listSets(companyId: string, period: string): Promise<Map<string, number>> {
      const sets = new Map<string, number>();
      const rows = client.listEntities({
        queryOptions: { filter: `PartitionKey eq ${odataString(companyPeriodKey(companyId, period))}`, select: ["RowKey"] },
      });
      for await (const row of rows) {
        const set = String(row.rowKey).split(KEY_SEPARATOR)[0]!;
        sets.set(set, (sets.get(set) ?? 0) + 1);
      }
      return sets;
    },
    /**
     * Every set of one period, or of the whole table, read from the keys and `computedAt` only (no results, no
     * carries): cheap enough for a daily sweep, which the backup just before it dwarfs (it reads every column).
     */
    async listSetInfo(scope?: { companyId: string; period: string }): Promise<PayslipSetInfo[]> {
      const sets = new Map<string, PayslipSetInfo>();
      const filter = scope ? `PartitionKey eq ${odataString(companyPeriodKey(scope.companyId, scope.period))}` : undefined;
      const rows = client.listEntities<Record<string, unknown>>({
        queryOptions: { ...(filter ? { filter } : {}), select: ["PartitionKey", "RowKey", "computedAt"] },
      });
      for await (const row of rows) {
        const partitionKey = String(row.partitionKey);
        const payslipSet = String(row.rowKey).split(KEY_SEPARATOR)[0]!;
        const writtenAt = typeof row.computedAt === "string" ? row.computedAt : "";
        const key = `${partitionKey}${KEY_SEPARATOR}${payslipSet}`;
        const info = sets.get(key);
        if (info) {
          info.rows++;
          if (writtenAt > info.writtenAt) info.writtenAt = writtenAt;
        } else {
          sets.set(key, { ...splitCompanyPeriodKey(partitionKey), payslipSet, version: versionOfSet(payslipSet), rows: 1, writtenAt });
        }
      }
      return [...sets.values()];
    },
    /** Deletes every row of the given sets (garbage of interrupted or superseded submissions). */
    async deleteSets(companyId: string, period: string, payslipSets: readonly string[]): Promise<number> {
      const partitionKey = companyPeriodKey(companyId, period);
      const keys: Array<{ partitionKey: string; rowKey: string }> = [];
      for (const set of payslipSets) {
        const rows = client.listEntities({ queryOptions: { filter: `PartitionKey eq ${odataString(partitionKey)} and ${setRange(set)}`, select: ["RowKey"] } });
        for await (const row of rows) keys.push({ partitionKey, rowKey: String(row.rowKey) });
      }
      await deleteAll(client, keys);
      return keys.length;
    },
  };
}
export type PayslipsRepository = ReturnType<typeof payslipsRepository>;
