import assert from "node:assert/strict";
import { test } from "node:test";
import { buildMonth } from "../../addin/workbook/build.ts";
import { columnLetter, isoToSerial, serialToIso, toIsoDate, toMatricule, toNumber, toText, toYesNo } from "../../addin/workbook/cells.ts";
import { previousPeriod, tableNameFor } from "../../addin/workbook/period.ts";
import { parseRemarks } from "../../addin/workbook/remarks.ts";
import { employee, employeesSheet, linesSheetData, variables, variablesSheetData } from "./fixtures.ts";

const P = "2025-03";

test("numbers: French typing accepted, ambiguity and garbage refused with a reason", () => {
  assert.deepEqual(toNumber("1 234,56"), { ok: true, value: 1234.56 });
  assert.deepEqual(toNumber("12.5"), { ok: true, value: 12.5 });
  assert.deepEqual(toNumber("3\u202f000 €"), { ok: true, value: 3000 });
  assert.deepEqual(toNumber(""), { ok: true, value: undefined });
  for (const bad of ["1.234,56", "abc", "12,5,3", "=1+1", "1e400", "NaN", "Infinity", "0x10"]) {
    const r = toNumber(bad);
    assert.equal(r.ok, false, bad);
  }
  const err = toNumber("#N/A");
  assert.ok(!err.ok && err.reason.includes("#N/A"));
  assert.equal(toNumber(true).ok, false);
});

test("dates: serials (with Excel's 1900 leap bug), French text, impossible dates refused", () => {
  assert.equal(serialToIso(1), "1900-01-01");
  assert.equal(serialToIso(59), "1900-02-28");
  assert.equal(serialToIso(61), "1900-03-01");
  assert.equal(serialToIso(45731), "2025-03-15");
  assert.equal(isoToSerial("2025-03-15"), 45731);
  assert.equal(isoToSerial(serialToIso(45000)!), 45000);
  assert.deepEqual(toIsoDate("15/03/2025"), { ok: true, value: "2025-03-15" });
  assert.deepEqual(toIsoDate("15.03.25"), { ok: true, value: "2025-03-15" });
  assert.deepEqual(toIsoDate("2025-03-15"), { ok: true, value: "2025-03-15" });
  for (const bad of ["31/02/2025", "29/02/2025", "15/13/2025", "hier", "#VALUE!", "2025-02-30", -5, 60]) {
    assert.equal(toIsoDate(bad as string | number).ok, false, String(bad));
  }
  assert.deepEqual(toIsoDate("29/02/2024"), { ok: true, value: "2024-02-29" });
});

test("yes/no, matricules and hostile text", () => {
  assert.deepEqual(toYesNo("oui"), { ok: true, value: true });
  assert.deepEqual(toYesNo(false), { ok: true, value: false });
  assert.equal(toYesNo("peut-être").ok, false);
  assert.deepEqual(toMatricule(7), { ok: true, value: "7" });
  assert.deepEqual(toMatricule(" 007 "), { ok: true, value: "007" });
  for (const bad of ["../etc", "a b", '=HYPERLINK("x")', "x".repeat(40), 1.5, "<script>"]) assert.equal(toMatricule(bad).ok, false, String(bad));
  assert.deepEqual(toText("  Zoé\u0000\u200b  "), { ok: true, value: "Zoé" });
  assert.equal(columnLetter(0), "A");
  assert.equal(columnLetter(25), "Z");
  assert.equal(columnLetter(26), "AA");
  assert.equal(columnLetter(701), "ZZ");
});

test("periods and table names", () => {
  assert.equal(previousPeriod("2025-01"), "2024-12");
  assert.equal(previousPeriod("2025-10"), "2025-09");
  assert.equal(tableNameFor("Variables 2025-03"), "T_Variables_2025_03");
  assert.equal(tableNameFor("Salariés"), "T_Salaries");
});

test("remarks: every category, full dates, ranges; the original's mistakes are not repeated", () => {
  const a = parseRemarks("Embauche, entrée le 15/03", P);
  assert.deepEqual(
    a.map((f) => [f.kind, f.dates]),
    [["entry", ["2025-03-15"]]],
  );
  const b = parseRemarks("Nouveau salaire 3500", P);
  assert.deepEqual(
    b.map((f) => f.kind),
    ["salary-change"],
  );
  const c = parseRemarks("Congé sans solde du 3 au 10", P);
  assert.deepEqual(
    c.map((f) => [f.kind, f.dates]),
    [
      ["range", ["2025-03-03", "2025-03-10"]],
      ["unpaid-leave", []],
    ],
  );
  const d = parseRemarks("Sortie le 20/03/2025 + prime de départ", P);
  assert.deepEqual(d.map((f) => f.kind).sort(), ["bonus", "exit"]);
  assert.deepEqual(d.find((f) => f.kind === "exit")!.dates, ["2025-03-20"]);
  assert.deepEqual(parseRemarks("entrée le 20/12", "2025-01")[0]!.dates, ["2024-12-20"]);
  assert.deepEqual(parseRemarks("entrée le 31/02", P)[0]!.dates, []);
  assert.deepEqual(parseRemarks("RAS", P), []);
  // Hostile input: long, regex-heavy, control characters — must return quickly and not throw.
  const hostile = `${"du ".repeat(20_000)}\u0000(((((${"au 1/".repeat(5000)}`;
  assert.ok(Array.isArray(parseRemarks(hostile, P)));
});

test("a clean month builds one input per active employee with mapped variables", () => {
  const out = buildMonth({
    period: P,
    employees: employeesSheet([
      employee("001", { category: "Cadre", seniorityRate: 3, seniorityBase: "Salaire", monacoAllowance: "Minimum" }),
      employee("002", { hireDate: "15/03/2025" }),
      employee("003", { exitDate: "28/02/2025" }),
    ]),
    variables: variablesSheetData(P, [
      variables("001", {
        absenceHours: 7,
        absenceKind: "Maladie",
        absenceFrom: "03/03/2025",
        absenceTo: "03/03/2025",
        maintien: 50,
        bonus: 200,
        bonusKind: "13e mois",
      }),
      variables("002", { paidLeaveDays: 2, paidLeaveHours: 14 }),
    ]),
    lines: linesSheetData(P, [{ id: "001", code: "9851", amount: 30 }]),
  });
  assert.deepEqual(
    out.issues.filter((i) => i.severity === "error"),
    [],
  );
  assert.deepEqual(
    out.inputs.map((i) => i.employee.id),
    ["001", "002"],
  );
  const first = out.inputs[0]!;
  assert.equal(first.employee.category, "cadre");
  assert.deepEqual(first.employee.seniority, { rate: 3, base: "salary" });
  assert.equal(first.employee.monacoAllowance, "minimum");
  assert.equal(first.employee.hireDate, "2023-01-01");
  assert.deepEqual(first.variables!.absences, [{ kind: "sick", hours: 7, from: "2025-03-03", to: "2025-03-03", complement: 50 }]);
  assert.deepEqual(first.variables!.lines, [
    { code: "2031", amount: 200 },
    { code: "9851", amount: 30 },
  ]);
  assert.equal(first.variables!.overtime125, 4);
  assert.deepEqual(out.inputs[1]!.variables!.paidLeave, [{ days: 2, hours: 14 }]);
});

test("errors are located by sheet, row, column and address; invalid employees are not computed", () => {
  const out = buildMonth({
    period: P,
    employees: employeesSheet([
      employee("001", { monthlySalary: "trois mille" }),
      employee("002"),
      employee("002", { lastName: "DOUBLON" }),
      employee("004", { hireDate: "#N/A" }),
      employee("005", { monthlySalary: 1000 }),
    ]),
    variables: variablesSheetData(P, [
      variables("005", { absenceHours: 100, paidLeaveHours: 80, paidLeaveDays: 10 }),
      variables("999"),
      variables("005"),
      variables("006", { exitDate: "15/04/2025" }),
    ]),
  });
  const find = (code: string) => out.issues.filter((i) => i.code === code);
  const salary = out.issues.find((i) => i.row === 2 && i.column === "Salaire mensuel")!;
  assert.equal(salary.sheet, "Salariés");
  assert.equal(salary.severity, "error");
  assert.equal(salary.address, "T2");
  assert.match(salary.message, /trois mille/);
  assert.equal(find("duplicate-id").filter((i) => i.sheet === "Salariés").length, 1);
  assert.equal(find("duplicate-id").filter((i) => i.sheet === "Salariés")[0]!.row, 4);
  assert.match(out.issues.find((i) => i.column === "Date d'entrée" && i.row === 5)!.message, /#N\/A/);
  assert.equal(find("below-smic")[0]!.severity, "warning");
  assert.equal(find("hours-over-contract")[0]!.row, 2);
  assert.equal(find("unknown-employee")[0]!.row, 3);
  assert.equal(find("unknown-employee")[0]!.address, "A3");
  // Every issue with an address points at a real A1 cell.
  for (const i of out.issues) if (i.address) assert.match(i.address, /^[A-Z]{1,3}\d+$/);
  assert.deepEqual(
    out.inputs.map((i) => i.employee.id),
    [],
  );
});

test("renamed, unknown and missing columns are reported, not fatal when optional", () => {
  const values = [
    ["Matricule", "Nom", "Prenom", "Base heures", "Salaire de base", "Catégorie", "Date d'entrée", "Colonne perso", "Courriel", "Date de naissance", "N° CCSS"],
    ["010", "X", "Y", 169, 3000, "Cadre", "01/01/2020", "z", "x@y.mc", "01/01/1980", "123456"],
  ];
  const out = buildMonth({ period: P, employees: { name: "Salariés", values, rowIndex: 2, columnIndex: 1 }, variables: variablesSheetData(P, []) });
  assert.ok(out.issues.some((i) => i.code === "renamed-column" && i.column === "Base heures" && i.address === "E3"));
  assert.ok(out.issues.some((i) => i.code === "unknown-column" && i.column === "Colonne perso"));
  assert.ok(out.issues.some((i) => i.code === "missing-optional-column" && i.column === "Emploi"));
  assert.equal(out.inputs.length, 1);
  const noSalary = buildMonth({ period: P, employees: { name: "Salariés", values: [["Matricule"], ["1"]], rowIndex: 0, columnIndex: 0 }, variables: null });
  assert.ok(noSalary.issues.some((i) => i.code === "missing-column" && i.column === "Salaire mensuel" && i.severity === "error"));
  assert.ok(noSalary.issues.some((i) => i.code === "missing-sheet" && i.sheet === "Variables 2025-03"));
});

test("remarks and last month give cases to confirm without changing any value", () => {
  const prev = "2025-02";
  const out = buildMonth({
    period: P,
    employees: employeesSheet([employee("001"), employee("002"), employee("003"), employee("004")]),
    variables: variablesSheetData(P, [
      variables("001", { overtime125: 40, remarks: "Augmentation au 1er mars" }),
      variables("002", { bonus: 0, mealTickets: 21, remarks: "prime à voir ; sortie le 31/03" }),
      variables("003", { overtime125: 4.5, mealTickets: 200 / 10 }),
    ]),
    previousVariables: variablesSheetData(prev, [
      variables("001", { overtime125: 4 }),
      variables("002", { mealTickets: 20 }),
      variables("003", { overtime125: 4, mealTickets: 20 }),
      variables("004"),
    ]),
  });
  const confirms = out.issues.filter((i) => i.severity === "confirm");
  const move = confirms.find((i) => i.code === "large-move" && i.employeeId === "001")!;
  assert.match(move.message, /40 contre 4 .*\+900 %.*facteur 10/);
  assert.equal(move.column, "HS 125");
  assert.ok(confirms.some((i) => i.code === "remark-salary-change" && i.employeeId === "001"));
  assert.ok(confirms.some((i) => i.code === "remark-bonus" && i.employeeId === "002"));
  assert.ok(confirms.some((i) => i.code === "remark-exit" && i.employeeId === "002" && /aucune date de sortie/.test(i.message)));
  // 4 → 4.5 is +12.5 %: under the threshold. 20 → 21 is +5 %.
  assert.ok(!confirms.some((i) => i.employeeId === "003"));
  assert.ok(!confirms.some((i) => i.employeeId === "002" && i.code === "large-move"));
  assert.ok(confirms.some((i) => i.code === "missing-this-month" && i.employeeId === "004"));
  // Values are untouched: the 40 hours go to the engine as typed.
  assert.equal(out.inputs.find((i) => i.employee.id === "001")!.variables!.overtime125, 40);
});

test("the Journal sheet carries the same entries as the server's journal (shared buildJournal)", async () => {
  const { journalRows } = await import("../../addin/workbook/results.ts");
  const { buildJournal, journalCsv } = await import("../../shared/documents/journal.ts");
  const { computePayslip } = await import("../../shared/engine/compute.ts");
  const build = buildMonth({
    period: "2025-03",
    employees: employeesSheet([employee("001"), employee("002", { category: "Cadre", monthlySalary: 5200 })]),
    variables: variablesSheetData("2025-03", [variables("001"), variables("002")]),
    company: { mealTicketEmployeeShare: 3.6 },
  });
  const results = build.inputs.map((i) => {
    const o = computePayslip(i);
    assert.ok(o.ok);
    return { result: o.result, lastName: i.employee.lastName ?? "", firstName: i.employee.firstName ?? "" };
  });
  const company = { name: "Test SAM", addressLines: [], ccssEmployerNumber: "1" };
  const sheet = journalRows(results, { period: "2025-03", company });
  assert.equal(sheet.error, undefined);
  const employees = results.map((r) => ({ id: r.result.employeeId, lastName: r.lastName, firstName: r.firstName, hireDate: "2020-01-01" }));
  const csv = journalCsv(
    buildJournal(
      results.map((r) => r.result),
      { company, period: "2025-03", employees },
    ),
    { bom: false },
  )
    .trim()
    .split("\r\n");
  const cents = (v: unknown) => (v === "" ? "0,00" : Number(v).toFixed(2).replace(".", ","));
  assert.deepEqual(
    sheet.grid.map((r, i) => (i === 0 ? r.join(";") : [r[0], r[1], r[2], r[3], r[4], r[5], r[6], cents(r[7]), cents(r[8])].join(";"))),
    csv,
  );
  const debit = sheet.grid.slice(1).reduce((s, r) => s + Math.round(Number(r[7] || 0) * 100), 0);
  const credit = sheet.grid.slice(1).reduce((s, r) => s + Math.round(Number(r[8] || 0) * 100), 0);
  assert.equal(debit, credit);
  // A result that does not add up is reported, never written as balanced figures.
  const broken = [{ ...results[0]!, result: { ...results[0]!.result, netPaid: results[0]!.result.netPaid + 1 } }];
  assert.match(journalRows(broken, { period: "2025-03", company }).error ?? "", /déséquilibré/);
});
