/**
 * Employees: partition = company, row = matricule. Master data is one JSON document (its shape belongs
 * to the engine's input schema); a few columns are copied out so lists and mails need no JSON parse.
 * The CCSS number, birth date and bank details inside `data` are encrypted at rest (functions/security):
 * sealed just before encoding, opened just after decoding, so callers only ever see clear values and the
 * table only ever holds `enc:v1:…` strings. `codec` stays the raw codec (ciphertexts), for backups and tools.
 */
import type { Static } from "@sinclair/typebox";
import { EmployeeRecord } from "../../shared/api/employees.ts";
import { type DataKeyRing, dataKeysOf } from "../security/data-keys.ts";
import { openEmployeeData, sealEmployeeData } from "../security/personal-data.ts";
import { upsertAll } from "./batch.ts";
import { defineCodec, type Stored } from "./codec.ts";
import type { Storage } from "./config.ts";
import { sizeRefusal, statusOf } from "./errors.ts";
import { assertCompanyId, assertEmployeeId, odataString } from "./keys.ts";
import { readMany, readOne, withEtag } from "./repo.ts";
import { RENAMED_COLUMNS, readingRenamed } from "./upgrade.ts";

/** The stored row is the API's employee record (shared/api/employees.ts): one shape for both. */
export const EmployeeSchema = EmployeeRecord;
export type Employee = Static<typeof EmployeeSchema>;

export interface EmployeesRepositoryOptions {
  /** Data keys; by default the ones bound to `storage` by the composition root (bindDataKeys). */
  keys?: DataKeyRing;
}

export function employeesRepository(storage: Storage, options: EmployeesRepositoryOptions = {}) {
  // Looked up per call, not captured: keys bound after the repository was made still apply.
  const keys = () => options.keys ?? dataKeysOf(storage);
  const client = storage.table("employees");
  const codec = readingRenamed(defineCodec(client.tableName, EmployeeSchema), RENAMED_COLUMNS.employees);
  const entityOf = (e: Employee) => {
    assertCompanyId(e.companyId);
    assertEmployeeId(e.employeeId);
    return codec.toEntity(e.companyId, e.employeeId, { ...e, data: sealEmployeeData(keys(), e.data, e) });
  };
  const open = (e: Stored<Employee>): Stored<Employee> => {
    const data = openEmployeeData(keys(), e.data, e);
    return data === e.data ? e : { ...e, data };
  };
  return {
    codec,
    async get(companyId: string, employeeId: string): Promise<Stored<Employee> | undefined> {
      assertCompanyId(companyId);
      assertEmployeeId(employeeId);
      const stored = await readOne(client, codec, companyId, employeeId);
      return stored && open(stored);
    },
    async list(companyId: string): Promise<Array<Stored<Employee>>> {
      assertCompanyId(companyId);
      return (await readMany(client, codec, `PartitionKey eq ${odataString(companyId)}`)).map(open);
    },
    async put(employee: Employee): Promise<Stored<Employee>> {
      try {
        const response = await client.upsertEntity(entityOf(employee), "Replace");
        return withEtag(employee, response.etag ?? "");
      } catch (e) {
        throw sizeRefusal(e, client.tableName, employee.companyId, employee.employeeId) ?? e;
      }
    },
    /** Whole staff list of a company in transactions of 100 (one partition). */
    async putMany(employees: readonly Employee[]): Promise<void> {
      await upsertAll(client, employees.map(entityOf));
    },
    async delete(companyId: string, employeeId: string): Promise<void> {
      assertCompanyId(companyId);
      assertEmployeeId(employeeId);
      try {
        await client.deleteEntity(companyId, employeeId);
      } catch (e) {
        if (statusOf(e) !== 404) throw e;
      }
    },
  };
}
export type EmployeesRepository = ReturnType<typeof employeesRepository>;
