/**
 * Renamed columns (functions/storage/upgrade.ts): rows written before the rename — employees with `entryDate`,
 * payslips with a `ytd` JSON column — still read, under the new names, and the next write stores only the new ones.
 */
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { employeesRepository, payslipsRepository, type Storage } from "../../functions/storage/index.ts";
import { upgradeColumns } from "../../functions/storage/upgrade.ts";
import { startAzuriteStorage } from "../support/storage.ts";

const az = startAzuriteStorage();
let storage: Storage;
before(async () => {
  storage = await az.ready;
});

test("upgradeColumns renames a column and a JSON column's chunks, and never overwrites a new column", () => {
  assert.deepEqual(upgradeColumns({ entryDate: "2020-01-06", x: 1 }, { entryDate: "hireDate" }), { hireDate: "2020-01-06", x: 1 });
  assert.deepEqual(upgradeColumns({ ytd_n: 2, ytd_0: '{"a":', ytd_1: "1}", ytdx: 3 }, { ytd: "carry" }), {
    carry_n: 2,
    carry_0: '{"a":',
    carry_1: "1}",
    ytdx: 3,
  });
  const both = { entryDate: "2019-01-01", hireDate: "2020-01-06" };
  assert.deepEqual(upgradeColumns(both, { entryDate: "hireDate" }), both);
});

test("an employee row with the old `entryDate` reads as `hireDate`; writing it back stores `hireDate` only", async () => {
  await storage.table("employees").createEntity({
    partitionKey: "OLD",
    rowKey: "E001",
    companyId: "OLD",
    employeeId: "E001",
    lastName: "Ancien",
    firstName: "Léon",
    active: true,
    entryDate: "2015-04-01",
    data_n: 1,
    data_0: "{}",
    updatedAt: "2024-01-01T00:00:00.000Z",
  });
  const repo = employeesRepository(storage);
  const { etag: _etag, ...row } = (await repo.get("OLD", "E001"))!;
  assert.equal(row.hireDate, "2015-04-01");
  assert.ok(!("entryDate" in row));
  await repo.put({ ...row, updatedAt: "2026-01-01T00:00:00.000Z" });
  const raw = await storage.table("employees").getEntity<Record<string, unknown>>("OLD", "E001");
  assert.equal(raw.hireDate, "2015-04-01");
  assert.equal(raw.entryDate, undefined, "the old column is gone after the write");
});

/** A payslip entity as an older release wrote it (JSON columns in chunks), straight into the table. */
function writeOldPayslip(period: string, employeeId: string, columns: Record<string, string | number>) {
  return storage.table("payslips").createEntity({
    partitionKey: `OLD|${period}`,
    rowKey: `v0001.00000000|${employeeId}`,
    companyId: "OLD",
    period,
    employeeId,
    version: 1,
    payslipSet: "v0001.00000000",
    result_n: 1,
    result_0: "{}",
    ...columns,
    computedAt: `${period}-20T10:00:00.000Z`,
  });
}

test("a payslip row with the old `ytd` JSON column reads as `carry`", async () => {
  const carry = { year: 2024, ytd: { gross: 1234.56 } };
  const text = JSON.stringify(carry);
  await writeOldPayslip("2024-12", "E001", { ytd_n: 2, ytd_0: text.slice(0, 10), ytd_1: text.slice(10) });
  const row = await payslipsRepository(storage).get("OLD", "2024-12", "v0001.00000000", "E001");
  assert.deepEqual(row?.carry, carry);
  const entity = payslipsRepository(storage).entityOf({ ...row!, computedAt: row!.computedAt });
  assert.deepEqual(
    Object.keys(entity).filter((k) => k.startsWith("carry") || k.startsWith("ytd")),
    ["carry_0", "carry_n"],
  );
});

test("a payslip row whose `employee` snapshot still says `entryDate` reads it as `hireDate`", async () => {
  const employee = {
    companyId: "OLD",
    employeeId: "E002",
    lastName: "Ancien",
    firstName: "Léa",
    active: true,
    entryDate: "2016-02-01",
    data: {},
    updatedAt: "2025-01-01T00:00:00.000Z",
  };
  const text = JSON.stringify(employee);
  await writeOldPayslip("2025-01", "E002", { carry_n: 1, carry_0: "{}", employee_n: 2, employee_0: text.slice(0, 40), employee_1: text.slice(40) });
  const row = await payslipsRepository(storage).get("OLD", "2025-01", "v0001.00000000", "E002");
  assert.equal(row?.employee?.hireDate, "2016-02-01");
  assert.ok(row?.employee && !("entryDate" in row.employee));
  const entity = payslipsRepository(storage).entityOf(row!);
  assert.ok(!String(entity.employee_0).includes("entryDate"), "written back in the new shape");
});
