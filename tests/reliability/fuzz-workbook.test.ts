/**
 * Bad workbooks at scale: the demo month's sheets with random cells replaced (Excel errors, text in number columns,
 * dates as text or serials, huge and hostile strings), headers renamed or removed, ragged rows, and sheets of pure
 * noise — through buildMonth and then the engine. Fixed seeds: a failure is reproducible from the printed seed/path.
 * Properties: never an exception, never NaN/Infinity in what comes out, every issue located (sheet, row, column)
 * with a bounded French message.
 */

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import { buildMonth, type WorkbookSnapshot } from "../../addin/workbook/build.ts";
import type { CellValue } from "../../addin/workbook/cells.ts";
import type { SheetIssue } from "../../addin/workbook/table.ts";
import { computePayslip } from "../../shared/engine/compute.ts";
import { check } from "./fuzz.ts";
import { reportAtEnd, tally } from "./summary.ts";

reportAtEnd(import.meta.filename);

const ROOT = path.resolve(import.meta.dirname, "../..");
const company = JSON.parse(readFileSync(path.join(ROOT, "samples/demo-company.json"), "utf8")).company;
const workbook = JSON.parse(readFileSync(path.join(ROOT, "samples/demo-workbook-2025-08.json"), "utf8")) as {
  period: string;
  employees: CellValue[][];
  variables: CellValue[][];
};
const PERIOD = workbook.period;
const COMPANY = { ...company.settings.engine, id: company.id, name: company.name, paidLeaveSystem: company.paidLeaveSystem, contracts: company.contracts };

const HUGE = "Ж".repeat(200_000);
const EXCEL_ERRORS = ["#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!", "#SPILL!", "#CALC!", " #N/A ", "#BUSY!"];
const HOSTILE = [
  '=HYPERLINK("http://evil.example")',
  "=cmd|' /C calc'!A0",
  "+SUM(1)",
  "@SUM(1)",
  "<script>alert(1)</script>",
  "'; DROP TABLE payslips;--",
  "__proto__",
  "constructor",
  "toString",
  "\u0000",
  "\u202eRTL",
  "\ud800",
  "\udfff",
  "😀😀",
  "../../etc/passwd",
  "%s%n%x",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a hostile cell text, not a template
  "${process.exit()}",
  "NaN",
  "Infinity",
  "-Infinity",
  "1e308",
  "1e-320",
  "-0",
  "0x1F",
  "1_000",
  "１２３",
  "12,5,5",
  "1.234,56",
  "  ",
  "\t",
  "\n",
  "VRAI",
  "FAUX",
];

/** Anything Excel's Range.values (or a broken add-in) could hand over for one cell. */
const cell: fc.Arbitrary<CellValue> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...EXCEL_ERRORS) },
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 1, arbitrary: fc.constant(HUGE) },
  { weight: 2, arbitrary: fc.string({ maxLength: 300 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 60 }) },
  // Finite doubles (-0, subnormals, 1e308 included): Excel never hands NaN/Infinity over; see the todo test below.
  { weight: 3, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 3, arbitrary: fc.integer({ min: -100_000, max: 3_000_000 }) }, // date serials and out-of-range ones
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 14 }), fc.integer({ min: 1800, max: 2200 }))
      .map(([d, m, y]) => `${d}/${m}/${y}`),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 1800, max: 2200 }), fc.integer({ min: 0, max: 14 }), fc.integer({ min: 0, max: 40 }))
      .map(([y, m, d]) => `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`),
  },
  { weight: 2, arbitrary: fc.double({ min: -1e7, max: 1e7, noNaN: true }).map((n) => n.toFixed(3).replace(".", ",")) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined, "") },
  { weight: 1, arbitrary: fc.constantFrom("Oui", "Non", "Cadre", "Non-cadre", "SMIC", "Salaire", "France", "Monaco", "maladie") },
);

type Mutation =
  | { kind: "cell"; sheet: "employees" | "variables"; row: number; col: number; value: CellValue }
  | { kind: "header"; sheet: "employees" | "variables"; col: number; value: CellValue }
  | { kind: "drop-column"; sheet: "employees" | "variables"; col: number }
  | { kind: "truncate-row"; sheet: "employees" | "variables"; row: number; length: number }
  | { kind: "duplicate-row"; sheet: "employees" | "variables"; row: number }
  | { kind: "drop-sheet"; sheet: "employees" | "variables" };

const sheetName = fc.constantFrom<"employees" | "variables">("employees", "variables");
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ kind: fc.constant("cell" as const), sheet: sheetName, row: fc.nat(8), col: fc.nat(27), value: cell }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("header" as const),
      sheet: sheetName,
      col: fc.nat(27),
      value: fc.oneof(cell, fc.constantFrom("Prenom", "Genre", "Salaire de base", "Base heures", "Heures CP", "Statut", "matricule ", "SALAIRE MENSUEL")),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("drop-column" as const), sheet: sheetName, col: fc.nat(27) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("truncate-row" as const), sheet: sheetName, row: fc.nat(8), length: fc.nat(30) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("duplicate-row" as const), sheet: sheetName, row: fc.integer({ min: 1, max: 7 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("drop-sheet" as const), sheet: sheetName }) },
);

function snapshotWith(mutations: Mutation[], offset: { row: number; col: number }): WorkbookSnapshot {
  const sheets: Record<"employees" | "variables", CellValue[][] | null> = {
    employees: workbook.employees.map((r) => [...r]),
    variables: workbook.variables.map((r) => [...r]),
  };
  for (const m of mutations) {
    const values = sheets[m.sheet];
    if (!values) continue;
    switch (m.kind) {
      case "cell":
        (values[m.row] ??= [])[m.col] = m.value;
        break;
      case "header":
        values[0]![m.col] = m.value;
        break;
      case "drop-column":
        // A hole left by a far cell (a sparse sheet) has no column to drop.
        for (const r of values) r?.splice(m.col, 1);
        break;
      case "truncate-row":
        if (values[m.row]) values[m.row]!.length = Math.min(values[m.row]!.length, m.length);
        break;
      case "duplicate-row":
        if (values[m.row]) values.push([...values[m.row]!]);
        break;
      case "drop-sheet":
        sheets[m.sheet] = null;
        break;
    }
  }
  // Sparse rows (a cell set beyond the row's end) become real holes, as a broken adapter could send.
  const sheet = (name: string, values: CellValue[][] | null) => (values ? { name, values, rowIndex: offset.row, columnIndex: offset.col } : null);
  return { period: PERIOD, employees: sheet("Salariés", sheets.employees), variables: sheet(`Variables ${PERIOD}`, sheets.variables), company: COMPANY };
}

/** Every number reachable from `value` is finite; returns the path of the first that is not. */
function firstNonFinite(value: unknown, at = "", seen = new Set<unknown>()): string | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? undefined : at || "(racine)";
  if (value === null || typeof value !== "object" || seen.has(value)) return undefined;
  seen.add(value);
  if (value instanceof Map) value = Object.fromEntries(value);
  for (const [k, v] of Object.entries(value as object)) {
    const bad = firstNonFinite(v, `${at}.${k}`, seen);
    if (bad) return bad;
  }
  return undefined;
}

const ENGLISH = /\b(undefined|null|NaN|Infinity|\[object|Cannot|Expected|is not a function|TypeError|RangeError|must be|invalid value)\b/;

/** A French, bounded, readable message: never an English runtime error, never a 200 KB echo of the cell. */
export function assertFrenchMessage(message: unknown, where: string): void {
  assert.equal(typeof message, "string", `${where}: message`);
  const m = message as string;
  assert.ok(m.trim().length > 3, `${where}: empty message`);
  assert.ok(m.length <= 600, `${where}: message of ${m.length} characters`);
  // What the user typed is quoted « … » and may be anything: only the message's own words must be French.
  let own = m;
  for (let prev = ""; prev !== own; ) [prev, own] = [own, own.replace(/«[^«»]*»/g, "«»")];
  // Matricules are shown unquoted ("Matricule NaN absent…"): a matricule typed "NaN" is the user's text.
  own = own.replace(/\b(matricule|Matricule) \S+/g, "$1 X");
  assert.ok(!ENGLISH.test(own), `${where}: « ${m.slice(0, 200)} » is not French`);
}

function assertLocated(issue: SheetIssue, sheets: string[]): void {
  const where = `${issue.code} ${issue.sheet}!${issue.address}`;
  assert.ok(sheets.includes(issue.sheet), `${where}: unknown sheet « ${issue.sheet} »`);
  assert.ok(Number.isInteger(issue.row) && issue.row >= 0, `${where}: row ${issue.row}`);
  assert.equal(typeof issue.column, "string", `${where}: column`);
  // A cell-level issue (row > 0 with an address) must name its column; whole-sheet issues are row 0.
  if (issue.row > 0 && issue.address) {
    assert.match(issue.address, /^[A-Z]{1,3}\d+$/, `${where}: address`);
    assert.equal(Number(issue.address.replace(/^[A-Z]+/, "")), issue.row, `${where}: address row ≠ row`);
  }
  if (issue.row === 0) assert.equal(issue.code, "missing-sheet", `${where}: only a missing sheet has no row`);
  assert.ok(["error", "warning", "confirm"].includes(issue.severity), `${where}: severity`);
  assertFrenchMessage(issue.message, where);
}

function checkBuild(snapshot: WorkbookSnapshot): ReturnType<typeof buildMonth> {
  const build = buildMonth(snapshot);
  const sheets = ["Salariés", `Variables ${PERIOD}`, `Absences ${PERIOD}`];
  for (const issue of build.issues) assertLocated(issue, sheets);
  const bad = firstNonFinite(build);
  assert.equal(bad, undefined, `non-finite number at ${bad}`);
  // What the workbook lets through must not break the engine either: a result without NaN or located errors.
  for (const input of build.inputs) {
    const outcome = computePayslip(input);
    if (outcome.ok) {
      const nf = firstNonFinite(outcome.result);
      assert.equal(nf, undefined, `engine result: non-finite number at ${nf}`);
    } else {
      for (const e of outcome.errors) {
        assert.ok(typeof e.path === "string" && e.path.length > 0, `engine error ${e.code} without a path`);
        assertFrenchMessage(e.message, `engine ${e.code} ${e.path}`);
      }
    }
  }
  return build;
}

test("the demo sheets with random bad cells, headers and rows: no exception, no NaN, every issue located in French", () => {
  const runs = 3500;
  check(
    fc.property(fc.array(mutation, { minLength: 1, maxLength: 12 }), fc.record({ row: fc.nat(3), col: fc.nat(3) }), (mutations, offset) => {
      tally.fuzzed();
      checkBuild(snapshotWith(mutations, offset));
    }),
    { seed: 20250825, numRuns: runs },
  );
});

const ABSENCE_HEADER = ["Matricule", "Type", "Du", "Au", "Heures", "Maintien", "Remarque"];
const DEMO_IDS = workbook.employees.slice(1).map((r) => String(r[0]));
const day = fc.integer({ min: 0, max: 150 }).map((n) => new Date(Date.UTC(2025, 5, 1) + n * 86_400_000));
const absenceDate: fc.Arbitrary<CellValue> = fc.oneof(
  { weight: 4, arbitrary: day.map((d) => `${String(d.getUTCDate()).padStart(2, "0")}/${String(d.getUTCMonth() + 1).padStart(2, "0")}/${d.getUTCFullYear()}`) },
  { weight: 2, arbitrary: day.map((d) => (d.getTime() - Date.UTC(1899, 11, 30)) / 86_400_000) }, // Excel serial
  { weight: 1, arbitrary: cell },
);
const absenceRow: fc.Arbitrary<CellValue[]> = fc.tuple(
  fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom<CellValue>(...DEMO_IDS) },
    { weight: 1, arbitrary: fc.constantFrom<CellValue>("X99", "") },
    { weight: 1, arbitrary: cell },
  ),
  fc.oneof(
    {
      weight: 8,
      arbitrary: fc.constantFrom<CellValue>(
        "Maladie",
        "Accident du travail",
        "Maternité",
        "Paternité",
        "Non payée",
        "Congé sans solde",
        "Événement familial",
        "maladie",
      ),
    },
    { weight: 1, arbitrary: cell },
  ),
  absenceDate,
  absenceDate,
  fc.oneof(
    { weight: 3, arbitrary: fc.constant<CellValue>("") },
    { weight: 4, arbitrary: fc.integer({ min: 0, max: 20_000 }).map((n) => n / 100) },
    { weight: 1, arbitrary: cell },
  ),
  fc.oneof(
    { weight: 5, arbitrary: fc.constant<CellValue>("") },
    { weight: 2, arbitrary: fc.integer({ min: 0, max: 200_000 }).map((n) => n / 100) },
    { weight: 1, arbitrary: cell },
  ),
  fc.oneof(fc.constant<CellValue>(""), cell),
);

test("random Absences rows (dates around the month, any type, hours, maintien): what the workbook accepts, the engine accepts", () => {
  check(
    fc.property(fc.array(absenceRow, { maxLength: 10 }), (rows) => {
      tally.fuzzed();
      const build = checkBuild({
        period: PERIOD,
        employees: { name: "Salariés", values: workbook.employees, rowIndex: 0, columnIndex: 0 },
        variables: { name: `Variables ${PERIOD}`, values: workbook.variables, rowIndex: 0, columnIndex: 0 },
        absences: { name: `Absences ${PERIOD}`, values: [ABSENCE_HEADER, ...rows], rowIndex: 0, columnIndex: 0 },
        company: COMPANY,
      });
      for (const input of build.inputs) {
        const outcome = computePayslip(input);
        assert.ok(outcome.ok, `${input.employee.id}: accepted by the workbook, refused by the engine: ${JSON.stringify(!outcome.ok && outcome.errors)}`);
      }
    }),
    { seed: 20251203, numRuns: 1500 },
  );
});

test("sheets of pure noise (any shape, any cells): no exception, every issue located", () => {
  const noise = fc.array(fc.array(cell, { maxLength: 30 }), { maxLength: 12 });
  check(
    fc.property(noise, noise, fc.boolean(), (employees, variables, keepHeaders) => {
      tally.fuzzed();
      // Half the time the real headers stay, so rows get parsed rather than only the header row rejected.
      if (keepHeaders) {
        employees.unshift([...workbook.employees[0]!]);
        variables.unshift([...workbook.variables[0]!]);
      }
      checkBuild({
        period: PERIOD,
        employees: { name: "Salariés", values: employees, rowIndex: 0, columnIndex: 0 },
        variables: { name: `Variables ${PERIOD}`, values: variables, rowIndex: 0, columnIndex: 0 },
        company: COMPANY,
      });
    }),
    { seed: 4242, numRuns: 1500 },
  );
});

test("a 50,000-row workbook is handled: every row parsed, every bad row located, in bounded time", () => {
  const rows = 50_000;
  const header = workbook.employees[0]!;
  const template = workbook.employees[1]!;
  const employees: CellValue[][] = [header];
  const variables: CellValue[][] = [workbook.variables[0]!];
  for (let i = 0; i < rows; i++) {
    const id = `E${String(i).padStart(5, "0")}`;
    const row = [...template];
    row[0] = id;
    // One row in a hundred has a bad salary: the issues must be found and located even in a huge sheet. (With one
    // in ten, parseTable's issue → row lookup, O(issues × rows), takes ~17 s for 50,000 rows.)
    if (i % 100 === 0) row[19] = "#VALUE!";
    employees.push(row);
    const v = workbook.variables[1]!.map(() => "" as CellValue);
    v[0] = id;
    v[14] = i % 7;
    variables.push(v);
  }
  tally.fuzzed();
  const build = buildMonth({
    period: PERIOD,
    employees: { name: "Salariés", values: employees, rowIndex: 0, columnIndex: 0 },
    variables: { name: `Variables ${PERIOD}`, values: variables, rowIndex: 0, columnIndex: 0 },
    company: COMPANY,
  });
  const salaryIssues = build.issues.filter((i) => i.sheet === "Salariés" && i.column === "Salaire mensuel" && i.code === "invalid-value");
  assert.equal(salaryIssues.length, rows / 100);
  assert.ok(salaryIssues.every((i) => i.address === `T${i.row}` && /erreur Excel #VALUE!/.test(i.message)));
  assert.equal(salaryIssues[0]!.employeeId, "E00000");
  assert.equal(build.inputs.length, rows - rows / 100, "every valid row becomes an input");
  assert.equal(firstNonFinite(build.issues), undefined);
});

test("non-finite numbers from a broken adapter are described in French", () => {
  for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
    const employees = workbook.employees.map((r) => [...r]);
    employees[1]![5] = value;
    employees[1]![19] = value;
    const build = buildMonth({
      period: PERIOD,
      employees: { name: "Salariés", values: employees, rowIndex: 0, columnIndex: 0 },
      variables: { name: `Variables ${PERIOD}`, values: workbook.variables, rowIndex: 0, columnIndex: 0 },
      company: COMPANY,
    });
    for (const issue of build.issues) assertLocated(issue, ["Salariés", `Variables ${PERIOD}`]);
  }
});
