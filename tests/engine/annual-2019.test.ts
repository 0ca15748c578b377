/**
 * The 2019 annual recap (Cegid "Récapitulatif de paie", Monaco restaurant) as tests: for every full-year monthly
 * employee whose months the annual totals determine, the twelve monthly payslips computed by the engine (each
 * rounded to the cent, then summed) must give the printed annual bases, amounts and totals.
 *
 * Fixtures: tests/golden/annual-2019/recap-2019.json (the printed pages, transcribed; source and conventions inside)
 * and tests/golden/annual-2019/cases/r2019-NNN.json (12 monthly inputs each, built by build-cases.py beside them).
 *
 * Exactness. An employee whose every rubric is 12 × a monthly amount ("constant") is checked to the cent.
 * For the others the split of the variable pay (holidays, absences…) between Jan–Sep and Oct–Dec is read from the two
 * CAR bases, so every annual BASE is determined and checked to the cent; the month(s) inside a period are not printed,
 * and each printed amount is a sum of monthly roundings (annual_FINDINGS §0 C). The printed amount and the engine's
 * each lie within 0,005 € per month of rate × base, so an amount is checked to 0,01 € × the months of its period
 * (9, 3 or 12) — the same bound the findings measured (largest gap 0,06 over 12 months).
 *
 * Not covered (reasons in recap-2019.json "notCovered" and in the report): 009–015, 017, 021, 023, 029, 031, 032,
 * 051, 059, 067, 068, 070, 075, 081 — variable pay in both rate periods under several rubrics (the per-rubric split
 * is not printed), a seniority bonus or salary that changed during the year, or a month with a long absence.
 */

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { ReferenceCase } from "../../shared/cases/case-format.ts";
import { runCase, validateCase } from "../../shared/cases/run-case.ts";
import type { PayslipResult } from "../../shared/core/result.ts";

const DIR = join(import.meta.dirname, "..", "golden", "annual-2019");

interface RecapLine {
  code: string;
  label: string;
  base: number | null;
  amount?: number;
  employeeRate?: number | null;
  employeeAmount?: number | null;
  employerRate?: number | null;
  employerAmount?: number | null;
}
interface Recap {
  id: string;
  earnings: (RecapLine & { amount: number })[];
  totalHours: number;
  gross: number;
  contributions: RecapLine[];
  totalEmployee: number;
  totalEmployer: number;
  afterNet: { code: string; amount: number }[];
  taxableNet: number;
  netToPay: number;
  reconstruction: { allocation: "constant" | "period"; how: string };
}

const recapFile = JSON.parse(readFileSync(join(DIR, "recap-2019.json"), "utf8")) as { employees: Record<string, Recap>; notCovered: Record<string, string> };
const cents = (euros: number) => Math.round(euros * 100);
const rate4 = (pct: number | null | undefined) => (pct === null || pct === undefined ? undefined : Math.round(pct * 10_000));
const eur = (c: number) => (c / 100).toFixed(2);

function loadCase(id: string): ReferenceCase {
  const raw: unknown = JSON.parse(readFileSync(join(DIR, "cases", `${id}.json`), "utf8"));
  const v = validateCase(raw);
  assert.ok(v.ok, `${id}: invalid case ${JSON.stringify(!v.ok && v.errors)}`);
  return v.value;
}

function runYear(c: ReferenceCase): PayslipResult[] {
  const out = runCase(c);
  assert.deepEqual(out.errors, [], `${c.id}: the engine refused a month`);
  assert.equal(out.results.length, 12);
  return out.results;
}

/** Sum of the engine's contribution lines (regularisation lines included) for one printed code and rate pair. */
interface Sum {
  base: number;
  employee: number;
  employer: number;
  months: Set<string>;
}
function contributionSums(results: PayslipResult[]): Map<string, Sum> {
  const sums = new Map<string, Sum>();
  for (const r of results) {
    for (const l of r.contributions) {
      const key = `${l.code}|${l.employeeRate ?? "-"}|${l.employerRate ?? "-"}`;
      const s = sums.get(key) ?? { base: 0, employee: 0, employer: 0, months: new Set<string>() };
      s.base += l.base;
      s.employee += l.employeeAmount ?? 0;
      s.employer += l.employerAmount ?? 0;
      s.months.add(r.period);
      sums.set(key, s);
    }
  }
  return sums;
}

const linesByCode = (results: PayslipResult[], pick: (r: PayslipResult) => { code: string; amount: number }[]) => {
  const m = new Map<string, number>();
  for (const r of results) for (const l of pick(r)) m.set(l.code, (m.get(l.code) ?? 0) + l.amount);
  return m;
};
const total = (results: PayslipResult[], f: (r: PayslipResult) => number) => results.reduce((s, r) => s + f(r), 0);

/** Months of the rate period a printed line belongs to: CAR/CCSS change on 1 Oct 2019, the rest is yearly. */
function periodMonths(code: string, employeeRate: number | null | undefined, employerRate: number | null | undefined): number {
  if (code === "1901") return employeeRate === 6.55 ? 9 : 3;
  if (code === "9301" || code === "9311") return employerRate === 15.05 ? 9 : 3;
  return 12;
}

function checkAnnual(id: string): void {
  const recap = recapFile.employees[id]!;
  const exact = recap.reconstruction.allocation === "constant";
  const results = runYear(loadCase(id));
  const problems: string[] = [];
  const same = (what: string, want: number, got: number, tolerance = 0) => {
    if (Math.abs(want - got) > tolerance)
      problems.push(`${what}: printed ${eur(want)}, engine ${eur(got)}${tolerance ? ` (tolerance ${eur(tolerance)})` : ""}`);
  };

  // Earnings by printed code (3211/4271 left out of the inputs: they cancel, checked here on the print).
  const gross = linesByCode(results, (r) => r.lines);
  const leave = recap.earnings.filter((e) => e.code === "3211" || e.code === "4271");
  assert.equal(
    leave.reduce((s, e) => s + cents(e.amount), 0),
    0,
    "printed 3211 and 4271 cancel",
  );
  for (const e of recap.earnings) {
    if (e.code === "3211" || e.code === "4271") continue;
    same(`earnings ${e.code}`, cents(e.amount), gross.get(e.code) ?? 0);
    gross.delete(e.code);
  }
  for (const [code, amount] of gross) problems.push(`earnings ${code}: not printed, engine ${eur(amount)}`);
  same(
    "gross",
    cents(recap.gross),
    total(results, (r) => r.gross),
  );
  if (exact)
    same(
      "hours",
      cents(recap.totalHours),
      total(results, (r) => r.hoursPaid),
    );

  // Contribution lines: base to the cent; amounts to the cent when the months are all equal.
  const sums = contributionSums(results);
  let tolEmployee = 0;
  let tolEmployer = 0;
  for (const c of recap.contributions) {
    const key = `${c.code}|${rate4(c.employeeRate) ?? "-"}|${rate4(c.employerRate) ?? "-"}`;
    const s = sums.get(key);
    if (!s) {
      problems.push(`contribution ${key}: printed base ${c.base}, no engine line`);
      continue;
    }
    sums.delete(key);
    const months = periodMonths(c.code, c.employeeRate, c.employerRate);
    const tol = exact ? 0 : months; // 0,01 € per month of the period, in cents
    same(`${key} base`, cents(c.base!), s.base);
    if (c.employeeAmount !== null && c.employeeAmount !== undefined) {
      same(`${key} employee`, cents(c.employeeAmount), s.employee, tol);
      tolEmployee += tol;
    } else if (s.employee !== 0) problems.push(`${key}: employee amount ${eur(s.employee)} not printed`);
    if (c.employerAmount !== null && c.employerAmount !== undefined) {
      same(`${key} employer`, cents(c.employerAmount), s.employer, tol);
      tolEmployer += tol;
    }
  }
  for (const [key, s] of sums) problems.push(`contribution ${key}: not printed, engine base ${eur(s.base)}`);

  // After the contribution total: 9995 (5 % on minimum wages, monthly rounding), 7005 meals, 7131 acompte.
  const allowance = linesByCode(results, (r) => r.netAdditions);
  const after = linesByCode(results, (r) => r.afterNet);
  const tolAllowance = exact ? 0 : 12;
  for (const a of recap.afterNet) {
    if (a.code === "9995") {
      same("9995 MC Prime 5%", cents(a.amount), allowance.get("9995") ?? 0, tolAllowance);
      allowance.delete("9995");
    } else {
      same(`after net ${a.code}`, cents(a.amount), after.get(a.code) ?? 0); // linear in the inputs: exact
      after.delete(a.code);
    }
  }
  for (const [code, amount] of [...allowance, ...after]) problems.push(`after net ${code}: not printed, engine ${eur(amount)}`);

  same(
    "total employee",
    cents(recap.totalEmployee),
    total(results, (r) => r.employeeTotal),
    tolEmployee,
  );
  same(
    "total employer",
    cents(recap.totalEmployer),
    total(results, (r) => r.employerTotal),
    tolEmployer,
  );
  same(
    "taxable net",
    cents(recap.taxableNet),
    total(results, (r) => r.taxableNet),
    tolEmployee + tolAllowance,
  );
  same(
    "net to pay",
    cents(recap.netToPay),
    total(results, (r) => r.netPaid),
    tolEmployee + tolAllowance,
  );
  // The year-to-date figures carried month to month agree with the sum of the months.
  same(
    "ytd gross",
    total(results, (r) => r.gross),
    results[11]!.ytd.gross,
  );

  assert.deepEqual(problems, [], `${id} (${recap.reconstruction.how}):\n  ${problems.join("\n  ")}`);
}

const covered = readdirSync(join(DIR, "cases"))
  .filter((f) => f.endsWith(".json"))
  .map((f) => f.slice(0, -5))
  .sort();

test("every case has its printed page and vice versa", () => {
  assert.deepEqual(covered, Object.keys(recapFile.employees).sort());
  assert.ok(covered.length >= 10);
});

for (const id of covered) {
  test(`${id}: 12 months summed = the printed annual recap (${recapFile.employees[id]!.reconstruction.how})`, () => checkAnnual(id));
}

test("r2019-002 director: monthly salary, seniority and 2053 derived from the annual totals", () => {
  const recap = recapFile.employees["r2019-002"]!;
  const by = (code: string) => recap.earnings.find((e) => e.code === code)!;
  // Each annual figure is 12 × a monthly figure in cents (the months are identical).
  for (const code of ["0011", "1011", "2053", "3135"]) assert.equal(cents(by(code).amount) % 12, 0, `${code} divisible by 12`);
  const salary = cents(by("0011").amount) / 12; // 4 463,16
  const seniority = cents(by("1011").amount) / 12; // 194,42 = 15 % × 1 296,10 (base 15 553,20 / 12)
  assert.equal(Math.round((cents(by("1011").base!) / 12) * 0.15), seniority);
  assert.equal(cents(by("2053").amount) / 12, Math.round((salary + seniority) * 0.12)); // 2053 = 12 % (findings §7)
  assert.equal(by("3135").base, 360); // 30 meals a month
  const c = loadCase("r2019-002");
  assert.equal(cents(c.employee.monthlySalary), salary);
  assert.equal(c.employee.director, true);
  assert.equal(c.employee.contractHours * 12, by("0011").base);
});

test("r2019-002 director: 9311 flat base 9 × 8 600 + 3 × 8 700 above gross, CAR at the ceiling in both periods, no unemployment", () => {
  const results = runYear(loadCase("r2019-002"));
  for (const r of results) {
    const ccss = r.contributions.filter((l) => l.code === "9311");
    assert.equal(ccss.length, 1);
    assert.equal(ccss[0]!.base, r.period <= "2019-09" ? 860_000 : 870_000, r.period);
    const car = r.contributions.filter((l) => l.code === "1901");
    assert.equal(
      car.reduce((s, l) => s + l.base, 0),
      r.period <= "2019-09" ? 489_600 : 498_800,
      r.period,
    );
    assert.ok(!r.contributions.some((l) => l.code === "7001" || l.code === "7121" || l.code === "9301"));
    assert.ok(r.gross < 860_000);
  }
});

test("r2019-056: CAR running ceiling 1 Oct 2018 – 30 Sep 2019 reproduces 44 374,38 and restarts on 1 Oct (14 824,68)", () => {
  const c = loadCase("r2019-056");
  const results = runYear(c);
  const car = (rs: PayslipResult[], from: string, to: string) =>
    rs.flatMap((r) => (r.period >= from && r.period <= to ? r.contributions.filter((l) => l.code === "1901") : []));
  const sum = (ls: { base: number; employeeAmount?: number; employerAmount?: number }[], k: "base" | "employeeAmount" | "employerAmount") =>
    ls.reduce((s, l) => s + (l[k] ?? 0), 0);
  const js = car(results, "2019-01", "2019-09");
  const od = car(results, "2019-10", "2019-12");
  assert.equal(sum(js, "base"), 4_437_438);
  // Amounts: the findings' month-by-month rebuilds give 2 906,52–2 906,54 and 3 563,26–3 563,27, i.e. within 0,02 of the
  // print (2 906,54 / 3 563,27); the months of the 7 holidays are not printed (here all in September, the regularisation
  // month), so the amounts are held to that 0,02 and not to the cent. The engine gives 2 906,53 / 3 563,25.
  assert.ok(Math.abs(sum(js, "employeeAmount") - 290_654) <= 2, `employee ${eur(sum(js, "employeeAmount"))}`);
  assert.ok(Math.abs(sum(js, "employerAmount") - 356_327) <= 2, `employer ${eur(sum(js, "employerAmount"))}`);
  assert.ok(Math.abs(sum(od, "employeeAmount") - 101_548) <= 3 && Math.abs(sum(od, "employerAmount") - 125_121) <= 3);
  assert.equal(sum(od, "base"), 1_482_468); // = the Oct–Dec gross: the running total restarted on 1 Oct
  assert.equal(results[11]!.carry.ceilings.CAR!.windowStart, "2019-10-01");
  // Each month's CAR carry: the window that opened on 1 Oct 2018 runs until September.
  assert.equal(results[8]!.carry.ceilings.CAR!.windowStart, "2018-10-01");
  assert.equal(results[8]!.carry.ceilings.CAR!.ta, 14_377.62 + 44_374.38);

  // The opening carry is what produces the excess over 9 × 4 896: without it the engine gives 44 064 (calendar-year cap),
  // with monthly capping less still — both differ from the print, so the test discriminates between the rules.
  const { opening: _opening, ...noOpening } = c;
  assert.equal(sum(car(runYear(noOpening as ReferenceCase), "2019-01", "2019-09"), "base"), 4_406_400);
  const monthly = { ...c, company: { ...c.company, regularisation: { CAR: "monthly" as const } } };
  assert.ok(sum(car(runYear(monthly), "2019-01", "2019-09"), "base") < 4_437_438);
});

test("reconstruction does not hide pay: the inputs re-add to the printed gross without 3211/4271", () => {
  for (const id of covered) {
    const recap = recapFile.employees[id]!;
    const printed = recap.earnings.filter((e) => e.code !== "3211" && e.code !== "4271").reduce((s, e) => s + cents(e.amount), 0);
    assert.equal(printed, cents(recap.gross), id);
  }
});
