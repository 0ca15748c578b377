/**
 * The `Reprise` sheet (issue 12 item 5): a company taken over mid-year brings each employee's opening state, and the
 * first month computes exactly as if the months before had been computed here. The proof: the demo staff are
 * computed month by month from October 2024 (the CAR year's start) to July 2025 by the engine; July's carry, written
 * as a Reprise row the way an accountant would copy it from the previous system's report, must give an August
 * payslip identical to the one computed from the chain — and different from August computed without it.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { buildMonth, type WorkbookSnapshot } from "../../addin/workbook/build.ts";
import { type CellValue, columnLetter } from "../../addin/workbook/cells.ts";
import { REPRISE_COLUMNS, REPRISE_SHEET } from "../../addin/workbook/reprise.ts";
import type { CarryInput } from "../../shared/core/carry.ts";
import type { PayslipResult } from "../../shared/core/result.ts";
import { computePayslip } from "../../shared/engine/compute.ts";
import type { PayslipInput } from "../../shared/schema/payslip-input.ts";
import { DEMO_PERIOD, demoEngineCompany, demoMonthInputs, demoWorkbook } from "../support/demo.ts";

const HEADERS = REPRISE_COLUMNS.map((c) => c.header);

function compute(input: PayslipInput): PayslipResult {
  const o = computePayslip(input);
  if (!o.ok) throw new Error(`${input.employee.id} ${input.period}: ${o.errors[0]?.message}`);
  return o.result;
}

/** July 2025's carry of each demo employee, from a chain of months computed from October 2024. */
function julyCarries(): Map<string, CarryInput> {
  const carries = new Map<string, CarryInput>();
  for (const august of demoMonthInputs()) {
    let carry: CarryInput | undefined;
    for (let m = 10; m <= 19; m++) {
      const period = m <= 12 ? `2024-${String(m).padStart(2, "0")}` : `2025-${String(m - 12).padStart(2, "0")}`;
      if (august.employee.hireDate > `${period}-31`) continue;
      const { variables: _v, carry: _c, ...rest } = august;
      carry = compute({ ...rest, period, ...(carry ? { carry } : {}) }).carry;
    }
    if (carry) carries.set(august.employee.id, carry);
  }
  return carries;
}

/** A carry as the Reprise row shows it (euros, days), in REPRISE_COLUMNS' order. */
function row(id: string, c: CarryInput, asOf = "31/07/2025"): CellValue[] {
  const values: Record<string, CellValue> = { id, asOf, ...c.ytd };
  for (const [family, cc] of Object.entries(c.ceilings)) {
    for (const k of ["base", "ceiling", "ta", "tb"] as const) values[`${family}.${k}`] = cc[k];
  }
  for (const part of ["previous", "current"] as const) {
    for (const k of ["acquired", "taken", "months", "referenceGross"] as const) values[`${part}.${k}`] = c.leave[part][k];
  }
  return REPRISE_COLUMNS.map((d) => (d.key in values ? values[d.key] : ""));
}

function august(reprise?: CellValue[][], extra: Partial<WorkbookSnapshot> = {}) {
  return buildMonth({
    period: DEMO_PERIOD,
    employees: { name: "Salariés", values: demoWorkbook.employees as never, rowIndex: 0, columnIndex: 0 },
    variables: { name: `Variables ${DEMO_PERIOD}`, values: demoWorkbook.variables as never, rowIndex: 0, columnIndex: 0 },
    company: demoEngineCompany,
    ...(reprise ? { reprise: { name: REPRISE_SHEET, values: [HEADERS, ...reprise], rowIndex: 0, columnIndex: 0 } } : {}),
    ...extra,
  });
}

test("a Reprise row gives the first month exactly what the months before would have carried", () => {
  const carries = julyCarries();
  // Only the employees present before August have a history to bring (D005 is hired in August).
  const ids = [...carries.keys()];
  assert.ok(ids.length >= 4, ids.join(","));
  const build = august(ids.map((id) => row(id, carries.get(id)!)));
  assert.deepEqual(
    build.issues.filter((i) => i.sheet === REPRISE_SHEET),
    [],
  );
  const chained = new Map(
    demoMonthInputs().map((i) => [i.employee.id, compute({ ...i, ...(carries.get(i.employee.id) ? { carry: carries.get(i.employee.id)! } : {}) })]),
  );
  for (const input of build.inputs) {
    const fromReprise = compute(input);
    assert.deepEqual(fromReprise, chained.get(input.employee.id), `${input.employee.id}: August from the Reprise row = August from the chain`);
  }
  // Without the reprise, the year-to-date figures are August's alone: the reprise is what makes them right.
  const bare = new Map(august().inputs.map((i) => [i.employee.id, compute(i)]));
  const d001 = build.inputs.find((i) => i.employee.id === "D001")!;
  const withReprise = compute(d001);
  assert.equal(bare.get("D001")!.carry.ytd.gross, withReprise.gross / 100, "without a reprise: August alone");
  // Hand-worked: the year-to-date gross is July's cumulative (from the row) plus August's gross, to the cent.
  assert.equal(Math.round(withReprise.carry.ytd.gross * 100), Math.round(carries.get("D001")!.ytd.gross * 100) + withReprise.gross);
  assert.ok(withReprise.carry.leave.previous.acquired - withReprise.carry.leave.previous.taken >= 0, "no negative balance");
});

test("once last month's carry exists, the Reprise row is not read", () => {
  const carries = julyCarries();
  const d001 = carries.get("D001")!;
  const other: CarryInput = { ...d001, ytd: { ...d001.ytd, gross: 1 } };
  const build = august([row("D001", d001)], { carries: new Map([["D001", other]]) });
  assert.equal(build.inputs.find((i) => i.employee.id === "D001")!.carry, other);
});

test("a wrong Reprise row is refused on its cell and its employee is not computed from zero cumuls", () => {
  const c = julyCarries();
  const d001 = c.get("D001")!;
  const col = (key: string) => REPRISE_COLUMNS.findIndex((d) => d.key === key);
  const letter = (key: string) => columnLetter(col(key));
  const rows = [
    row("D001", d001, "30/06/2025"),
    row("D002", c.get("D002")!),
    row("D003", c.get("D003")!),
    row("D004", c.get("D004")!),
    row("D006", c.get("D006")!),
    row("X999", d001),
    row("D006", c.get("D006")!),
  ];
  rows[1]![col("previous.taken")] = (rows[1]![col("previous.acquired")] as number) + 1;
  rows[2]![col("CAR.ta")] = (rows[2]![col("CAR.base")] as number) + 10;
  rows[3]![col("gross")] = "douze mille";
  const build = august(rows);
  const mine = build.issues.filter((i) => i.sheet === REPRISE_SHEET && i.severity === "error");
  const at = (address: string) => mine.find((i) => i.address === address);
  assert.match(at(`${letter("asOf")}2`)!.message, /^Arrêté au 30\/06\/2025 : les cumuls du 31\/07\/2025 manquent/);
  assert.match(at(`${letter("previous.taken")}3`)!.message, /^CP N-1 pris : plus que les jours acquis — le solde serait négatif\.$/);
  assert.match(at(`${letter("CAR.ta")}4`)!.message, /^Tranche A CAR : plus grande que la base ou le plafond cumulés\.$/);
  assert.match(at(`${letter("gross")}5`)!.message, /^Brut cumulé : /);
  assert.equal(at("A7")!.message, "Matricule X999 absent de la feuille Salariés.");
  assert.match(at("A8")!.message, /^Matricule D006 : deux lignes de reprise \(la première ligne 6\)\.$/);
  const computed = build.inputs.map((i) => i.employee.id);
  // Two rows for D006: which one is right is not for the product to guess.
  for (const id of ["D001", "D002", "D003", "D004", "D006"]) assert.ok(!computed.includes(id), `${id} is not computed`);
  assert.deepEqual(computed, ["D005"], "the August hire, who has nothing to bring, is computed");
});
