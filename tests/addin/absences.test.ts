/**
 * The `Absences AAAA-MM` table, from the sheet to the payslip: several absences in a month and one spanning two
 * months, each valued by the real engine and compared to the cent with figures worked by hand below; the checks that
 * need the rows together (overlaps, contract dates, the month's hours), located by sheet, row and cell; the old
 * single-absence columns of the variables sheet read as one more row.
 *
 * March 2025: Saturday 1st, 21 working days (3–7, 10–14, 17–21, 24–28, 31), no Monaco public holiday.
 * Salary 3 000,00 € on 169 h → absence rate 3 000 / 169 = 17,751479 → 17,7515 €/h; daily schedule 169 × 12 / 52 / 5 =
 * 7,80 h.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { scheduledHours } from "../../addin/workbook/absences.ts";
import { buildMonth, type WorkbookSnapshot } from "../../addin/workbook/build.ts";
import type { PayslipResult } from "../../shared/core/result.ts";
import { computePayslip } from "../../shared/engine/compute.ts";
import { absencesSheetData, employee, employeesSheet, type Row, variablesSheetData } from "./fixtures.ts";

const P = "2025-03";
const bare = (id: string, extra: Row = {}): Row => ({ id, lastName: `NOM${id}`, firstName: "Prénom", ...extra });

function month(period: string, emps: Row[], absences: Row[], vars: Row[] = emps.map((e) => bare(String(e.id)))): ReturnType<typeof buildMonth> {
  const snapshot: WorkbookSnapshot = {
    period,
    employees: employeesSheet(emps),
    variables: variablesSheetData(period, vars),
    absences: absencesSheetData(period, absences),
  };
  return buildMonth(snapshot);
}

function payslip(build: ReturnType<typeof buildMonth>, id: string): PayslipResult {
  const input = build.inputs.find((i) => i.employee.id === id);
  assert.ok(input, `no input for ${id}: ${JSON.stringify(build.issues.filter((i) => i.severity === "error"))}`);
  const out = computePayslip(input);
  assert.ok(out.ok, JSON.stringify(!out.ok && out.errors));
  return out.result;
}
const amount = (r: PayslipResult, rubric: string) => r.lines.filter((l) => l.rubric === rubric).map((l) => l.amount);
const errors = (b: ReturnType<typeof buildMonth>) => b.issues.filter((i) => i.severity === "error");

test("two absences in a month: each valued to the cent, blank hours taken from the contract's schedule", () => {
  const build = month(
    P,
    [employee("001")],
    [
      { id: "001", kind: "Maladie", from: "03/03/2025", to: "07/03/2025", hours: 39, maintien: 150 },
      { id: "001", kind: "Non payée", from: "14/03/2025", to: "14/03/2025" },
    ],
  );
  assert.deepEqual(errors(build), []);
  assert.deepEqual(build.inputs[0]!.variables!.absences, [
    { kind: "sick", hours: 39, from: "2025-03-03", to: "2025-03-07", complement: 150 },
    // Friday 14 March: 1 working day × 7,80 h.
    { kind: "unpaid", hours: 7.8, from: "2025-03-14", to: "2025-03-14" },
  ]);
  const r = payslip(build, "001");
  // Sick: 39 h × 17,7515 = 692,3085 → −692,31; the employer's complement +150,00.
  assert.deepEqual(amount(r, "2991"), [-69_231]);
  assert.deepEqual(amount(r, "2993"), [15_000]);
  // Unpaid: 7,80 h × 17,7515 = 138,4617 → −138,46.
  assert.deepEqual(amount(r, "3001"), [-13_846]);
  // 3 000,00 − 692,31 + 150,00 − 138,46 = 2 319,23
  assert.equal(r.gross, 231_923);
  assert.equal(r.hoursPaid, 16_900 - 3_900 - 780);
});

test("three absences in a month, with seniority in the rate; the family event is paid without deduction", () => {
  // 2 600,00 + 5 % seniority on the salary (130,00) = 2 730,00 / 169 = 16,153846 → 16,1538 €/h.
  const build = month(
    P,
    [employee("002", { monthlySalary: 2600, seniorityRate: 5, seniorityBase: "Salaire" })],
    [
      { id: "002", kind: "Accident du travail", from: "10/03/2025", to: "12/03/2025", maintien: 100 },
      { id: "002", kind: "Congé sans solde", from: "17/03/2025", to: "18/03/2025", hours: 15.6 },
      { id: "002", kind: "Événement familial", from: "20/03/2025", to: "21/03/2025", remark: "mariage" },
    ],
  );
  assert.deepEqual(errors(build), []);
  // The family event reaches no engine line; the other two do, in date order.
  assert.deepEqual(
    build.inputs[0]!.variables!.absences!.map((a) => [a.kind, a.hours]),
    [
      ["work-accident", 23.4],
      ["unpaid-leave", 15.6],
    ],
  );
  const r = payslip(build, "002");
  assert.deepEqual(amount(r, "1001"), [13_000]); // seniority 5 % × 2 600,00
  // Work accident, Monday–Wednesday: 3 × 7,80 = 23,40 h × 16,1538 = 377,99892 → −378,00; complement +100,00.
  assert.deepEqual(amount(r, "3051"), [-37_800]);
  assert.deepEqual(amount(r, "3053"), [10_000]);
  // Unpaid leave: 15,60 h × 16,1538 = 251,99928 → −252,00.
  assert.deepEqual(amount(r, "3003"), [-25_200]);
  // 2 600,00 + 130,00 − 378,00 + 100,00 − 252,00 = 2 200,00 (the family event's 15,60 h are paid).
  assert.equal(r.gross, 220_000);
  assert.equal(r.hoursPaid, 16_900 - 2_340 - 1_560);
});

test("an absence spanning two months is cut by date: each month values only its own days", () => {
  const sick = { id: "003", kind: "Maladie", from: "20/02/2025", to: "10/03/2025" };
  const march = month(P, [employee("003")], [sick]);
  assert.deepEqual(errors(march), []);
  // 1–10 March: Monday 3 to Friday 7 and Monday 10 = 6 working days × 7,80 = 46,80 h.
  assert.deepEqual(march.inputs[0]!.variables!.absences, [{ kind: "sick", hours: 46.8, from: "2025-03-01", to: "2025-03-10" }]);
  // 46,80 × 17,7515 = 830,7702 → −830,77
  const m = payslip(march, "003");
  assert.deepEqual(amount(m, "2991"), [-83_077]);
  assert.equal(m.gross, 300_000 - 83_077);
  assert.deepEqual(
    m.events.filter((e) => e.kind === "maladie"),
    [{ kind: "maladie", from: "2025-03-01", to: "2025-03-10" }],
  );

  const february = month("2025-02", [employee("003")], [sick]);
  assert.deepEqual(errors(february), []);
  // 20–28 February: Thursday 20, Friday 21, Monday 24 to Friday 28 = 7 working days × 7,80 = 54,60 h.
  assert.deepEqual(february.inputs[0]!.variables!.absences, [{ kind: "sick", hours: 54.6, from: "2025-02-20", to: "2025-02-28" }]);
  // 54,60 × 17,7515 = 969,2319 → −969,23
  assert.deepEqual(amount(payslip(february, "003"), "2991"), [-96_923]);
  // Together, the 13 working days of the sickness, once each: 54,60 + 46,80 = 101,40 h = 13 × 7,80.
  assert.equal(scheduledHours("2025-02-20", "2025-03-10", 169), 10_140);

  // Typed hours are this month's: more than the schedule gives for this month's part is a case to confirm.
  const typed = month(P, [employee("003")], [{ id: "003", kind: "Maladie", from: "24/03/2025", to: "04/04/2025", hours: 80 }]);
  const confirm = typed.issues.find((i) => i.code === "absence-hours-span")!;
  assert.equal(confirm.severity, "confirm");
  assert.equal(confirm.address, "E2");
  assert.match(confirm.message, /80,00 h saisies .* 46,80 h du 24\/03\/2025 au 31\/03\/2025/);
  assert.deepEqual(typed.inputs[0]!.variables!.absences, [{ kind: "sick", hours: 80, from: "2025-03-24", to: "2025-03-31" }]);
});

test("overlapping absences of one employee are refused, naming both cells; the employee is not computed", () => {
  const build = month(
    P,
    [employee("006"), employee("007")],
    [
      { id: "006", kind: "Maladie", from: "03/03/2025", to: "07/03/2025", hours: 39 },
      { id: "007", kind: "Maladie", from: "03/03/2025", to: "07/03/2025", hours: 39 },
      { id: "006", kind: "Non payée", from: "07/03/2025", to: "07/03/2025", hours: 7.8 },
      { id: "006", kind: "Congé sans solde", from: "10/03/2025", to: "11/03/2025" },
    ],
  );
  const overlaps = build.issues.filter((i) => i.code === "absence-overlap");
  assert.equal(overlaps.length, 1);
  const o = overlaps[0]!;
  assert.deepEqual([o.sheet, o.row, o.column, o.address, o.employeeId, o.severity], [`Absences ${P}`, 4, "Du", "C4", "006", "error"]);
  assert.equal(
    o.message,
    "Non payée du 07/03/2025 au 07/03/2025 chevauche Maladie du 03/03/2025 au 07/03/2025 en ligne 2 (C2) : une journée ne peut compter que pour une absence.",
  );
  // Another employee's same dates are no overlap; 007 is computed, 006 is not.
  assert.deepEqual(
    build.inputs.map((i) => i.employee.id),
    ["007"],
  );
});

test("each bad row is refused with its cell: matricule, type, dates, contract dates, hours, maintien", () => {
  const build = month(
    P,
    [
      employee("001"),
      employee("002", { hireDate: "15/03/2025" }),
      employee("003", { exitDate: "20/03/2025" }),
      employee("004", { contractHours: 80, monthlySalary: 1500 }),
    ],
    [
      /* 2 */ { id: "999", kind: "Maladie", from: "03/03/2025", to: "03/03/2025" },
      /* 3 */ { id: "001", kind: "Vacances", from: "04/03/2025", to: "04/03/2025" },
      /* 4 */ { id: "001", kind: "Maladie", from: "12/03/2025", to: "10/03/2025" },
      /* 5 */ { id: "002", kind: "Maladie", from: "10/03/2025", to: "17/03/2025" },
      /* 6 */ { id: "003", kind: "Non payée", from: "19/03/2025", to: "25/03/2025" },
      /* 7 */ { id: "004", kind: "Maladie", from: "03/03/2025", to: "07/03/2025", hours: 50 },
      /* 8 */ { id: "004", kind: "Congé sans solde", from: "10/03/2025", to: "14/03/2025", hours: 40 },
      /* 9 */ { id: "001", kind: "Maladie", from: "17/03/2025", to: "17/03/2025", hours: 0, maintien: 80 },
      /* 10 */ { id: "001", kind: "Événement familial", from: "18/03/2025", to: "18/03/2025", maintien: 50 },
      /* 11 */ { id: "001", kind: "Maladie", from: "01/02/2025", to: "10/02/2025", hours: 10 },
      /* 12 */ { id: "001", kind: "Maladie", from: "", to: "20/03/2025", hours: 7 },
    ],
  );
  const at = (code: string) => build.issues.filter((i) => i.code === code).map((i) => `${i.sheet}!${i.address}`);
  const sheet = `Absences ${P}`;
  assert.deepEqual(at("unknown-employee"), [`${sheet}!A2`]);
  assert.deepEqual(at("invalid-value"), [`${sheet}!B3`]);
  assert.match(
    build.issues.find((i) => i.code === "invalid-value")!.message,
    /« Vacances » n'est pas une valeur permise \(Maladie, Accident du travail, Maternité, Paternité, Non payée, Congé sans solde, Événement familial\)/,
  );
  assert.deepEqual(at("range-reversed"), [`${sheet}!D4`]);
  assert.deepEqual(at("absence-before-hire"), [`${sheet}!C5`]);
  assert.match(build.issues.find((i) => i.code === "absence-before-hire")!.message, /avant l'entrée du salarié le 15\/03\/2025/);
  assert.deepEqual(at("absence-after-exit"), [`${sheet}!D6`]);
  // 50 + 40 = 90 h of absence on an 80 h contract: the row that crosses the limit.
  assert.deepEqual(at("hours-over-contract"), [`${sheet}!E8`]);
  assert.equal(build.issues.find((i) => i.code === "hours-over-contract")!.message, "Absences du mois : 90,00 h, au-delà des 80,00 h du contrat.");
  assert.deepEqual(at("maintien-without-hours"), [`${sheet}!F9`]);
  assert.deepEqual(at("maintien-family-event"), [`${sheet}!F10`]);
  assert.deepEqual(at("date-outside-period"), [`${sheet}!D11`]);
  assert.deepEqual(at("required"), [`${sheet}!C12`]);
  for (const i of errors(build)) assert.ok(i.message.length > 10 && !/undefined|NaN/.test(i.message), i.message);
  // Nobody with a refused absence is computed (001–004 all have one).
  assert.deepEqual(
    build.inputs.map((i) => i.employee.id),
    [],
  );
});

test("the old Heures absence / Type absence columns still work, alone or with the table when they do not overlap", () => {
  // Alone: read as one row of the table, cut to the month like it.
  const alone = month(
    P,
    [employee("004")],
    [],
    [bare("004", { absenceHours: 7.8, absenceKind: "Maladie", absenceFrom: "28/02/2025", absenceTo: "03/03/2025", maintien: 20 })],
  );
  assert.deepEqual(errors(alone), []);
  assert.deepEqual(alone.inputs[0]!.variables!.absences, [{ kind: "sick", hours: 7.8, from: "2025-03-01", to: "2025-03-03", complement: 20 }]);
  // 7,80 × 17,7515 = 138,4617 → −138,46; + 20,00
  const a = payslip(alone, "004");
  assert.deepEqual(amount(a, "2991"), [-13_846]);
  assert.equal(a.gross, 300_000 - 13_846 + 2_000);

  // With the table: both count, in date order.
  const both = month(
    P,
    [employee("004")],
    [{ id: "004", kind: "Non payée", from: "25/03/2025", to: "25/03/2025" }],
    [bare("004", { absenceHours: 7.8, absenceKind: "Maladie", absenceFrom: "24/03/2025", absenceTo: "24/03/2025" })],
  );
  assert.deepEqual(errors(both), []);
  assert.deepEqual(
    both.inputs[0]!.variables!.absences!.map((x) => [x.kind, x.from]),
    [
      ["sick", "2025-03-24"],
      ["unpaid", "2025-03-25"],
    ],
  );
  // 2 × 138,46
  assert.equal(payslip(both, "004").gross, 300_000 - 2 * 13_846);

  // Overlapping the table: refused, naming the other sheet's cell.
  const overlap = month(
    P,
    [employee("005")],
    [{ id: "005", kind: "Congé sans solde", from: "05/03/2025", to: "06/03/2025" }],
    [bare("005", { absenceHours: 23.4, absenceKind: "Maladie", absenceFrom: "03/03/2025", absenceTo: "05/03/2025" })],
  );
  const o = overlap.issues.find((i) => i.code === "absence-overlap")!;
  assert.equal(`${o.sheet}!${o.address}`, `Absences ${P}!C2`);
  assert.match(o.message, /chevauche Maladie du 03\/03\/2025 au 05\/03\/2025 en ligne 2 de « Variables 2025-03 » \(J2\)/);
  assert.deepEqual(overlap.inputs, []);

  // Without dates next to table rows, overlaps cannot be ruled out: refused on the old columns.
  const undated = month(
    P,
    [employee("005")],
    [{ id: "005", kind: "Non payée", from: "05/03/2025", to: "05/03/2025" }],
    [bare("005", { absenceHours: 7.8, absenceKind: "Maladie" })],
  );
  const u = undated.issues.find((i) => i.code === "absence-undated-with-table")!;
  assert.equal(`${u.sheet}!${u.address}`, `Variables ${P}!J2`);
  assert.deepEqual(undated.inputs, []);

  // The old columns plus the table plus paid leave against the contract hours.
  const over = month(
    P,
    [employee("005")],
    [{ id: "005", kind: "Non payée", from: "03/03/2025", to: "31/03/2025", hours: 100 }],
    [bare("005", { absenceHours: 50, absenceKind: "Maladie", absenceFrom: "01/03/2025", absenceTo: "01/03/2025", paidLeaveHours: 20, paidLeaveDays: 3 })],
  );
  const h = over.issues.find((i) => i.code === "hours-over-contract")!;
  assert.equal(`${h.sheet}!${h.address}`, `Absences ${P}!E2`);
  assert.equal(h.message, "Absences du mois (150,00 h) + congés payés (20,00 h) = 170,00 h : au-delà des 169,00 h du contrat.");
});

test("more absences than the engine takes in a month are refused on the first one too many", () => {
  // 32 one-day absences, Saturdays and Sundays included (0 h computed for those: a warning, not an error).
  const rows = Array.from({ length: 32 }, (_, i) => {
    const d = `${String((i % 31) + 1).padStart(2, "0")}/${i < 31 ? "03" : "02"}/2025`;
    return { id: "001", kind: "Non payée", from: d, to: d, hours: 1 };
  });
  const build = month(P, [employee("001")], rows);
  const i = build.issues.find((x) => x.code === "too-many-absences")!;
  assert.equal(`${i.sheet}!${i.address}`, `Absences ${P}!A33`);
  assert.deepEqual(build.inputs, []);
});

test("remarks are confirmed against the table's rows, not only the old columns", () => {
  const remarks = (text: string, rows: Row[]) =>
    month(P, [employee("001")], rows, [bare("001", { remarks: text })])
      .issues.filter((i) => i.code.startsWith("remark-"))
      .map((i) => i.code);
  const sick = { id: "001", kind: "Maladie", from: "03/03/2025", to: "07/03/2025" };
  assert.deepEqual(remarks("Arrêt maladie du 03/03 au 07/03", [sick]), []);
  assert.deepEqual(remarks("Arrêt maladie du 03/03 au 07/03", []).sort(), ["remark-range", "remark-sick"]);
  assert.deepEqual(remarks("congé sans solde du 17 au 18", [sick, { id: "001", kind: "Congé sans solde", from: "17/03/2025", to: "18/03/2025" }]), []);
});

test("a workbook without the Absences sheet builds as before", () => {
  const build = buildMonth({ period: P, employees: employeesSheet([employee("001")]), variables: variablesSheetData(P, [bare("001")]) });
  assert.deepEqual(
    build.issues.filter((i) => i.sheet.startsWith("Absences")),
    [],
  );
  assert.equal(build.inputs.length, 1);
  assert.equal(build.inputs[0]!.variables, undefined);
});
