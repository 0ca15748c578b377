/**
 * One test per payroll rule, with figures worked out by hand (in the comments) rather than taken from the engine.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import type { CarryInput } from "../../shared/core/carry.ts";
import { applyPercent, divRound } from "../../shared/core/fixed.ts";
import { compute, contribution, input, line } from "./helpers.ts";

test("rounding is half-up per line and away from zero for negatives", () => {
  assert.equal(divRound(5, 10), 1);
  assert.equal(divRound(4, 10), 0);
  assert.equal(divRound(-5, 10), -1);
  assert.equal(divRound(-4, 10), 0);
  // 3 947,00 × 6,01 % = 237,2147 → 237,21; 41,57 × 2,40 % = 0,99768 → 1,00 (reference payslips)
  assert.equal(applyPercent(394_700, 60_100), 23_721);
  assert.equal(applyPercent(4_157, 24_000), 100);
  // an exact half cent: 0,50 € × 1 % = 0,005 → 0,01
  assert.equal(applyPercent(50, 10_000), 1);
});

test("overtime at 125/150/200 % from the 4-decimal hourly rate; holidays at 100 % and 200 %; Sundays +100 %", () => {
  // 3 000 / 169 = 17,751479 → 17,7515 €/h; ×1,25 = 22,189375 → 22,1894; ×1,5 = 26,62725 → 26,6273 (half-up)
  const r = compute(input({ variables: { overtime125: 10, overtime150: 2, overtime200: 1, holidayHours: 7, holidayHours200: 1, sundayHours: 3 } }));
  assert.equal(line(r, "2001")?.rate, 221_894);
  assert.equal(line(r, "2001")?.amount, 22_189); // 10 × 22,1894 = 221,894
  assert.equal(line(r, "2013")?.rate, 266_273);
  assert.equal(line(r, "2013")?.amount, 5_325); // 2 × 26,6273 = 53,2546
  assert.equal(line(r, "2011")?.amount, 3_550); // 1 × 35,5030
  assert.equal(line(r, "2081")?.amount, 12_426); // 7 × 17,7515 = 124,2605
  assert.equal(line(r, "2083")?.amount, 3_550);
  assert.equal(line(r, "2091")?.amount, 5_325); // 3 × 17,7515 = 53,2545 → 53,25
  assert.equal(r.hoursPaid, 16_900 + 1_300); // overtime hours are paid hours; holiday hours are within the month
});

test("sick absence is valued with the seniority bonus; the employer's complement is outside CCSS, CAR and unemployment", () => {
  // (3 000 + 10 % × 3 000) / 169 = 19,526627 → 19,5266; 20 h → 390,532 → 390,53
  const r = compute(input({ employee: { seniority: { rate: 10, base: "salary" } }, variables: { absences: [{ kind: "sick", hours: 20, complement: 150 }] } }));
  assert.equal(line(r, "1001")?.amount, 30_000);
  assert.equal(line(r, "2991")?.rate, 195_266);
  assert.equal(line(r, "2991")?.amount, -39_053);
  assert.equal(line(r, "2993")?.amount, 15_000);
  assert.equal(r.gross, 300_000 + 30_000 - 39_053 + 15_000);
  assert.equal(r.bases.monaco, r.gross - 15_000);
  assert.equal(contribution(r, "9301")?.base, r.gross - 15_000);
  assert.equal(contribution(r, "1901")?.base, r.gross - 15_000);
  assert.equal((contribution(r, "7001")?.base ?? 0) + (contribution(r, "7121")?.base ?? 0), r.gross - 15_000);
  assert.equal(r.hoursPaid, 16_900 - 2_000);
});

test("paternity leave is deducted like maternity, earns leave, its complement stays outside the Monaco bases", () => {
  // Loi n° 1.309 (21 days since Loi n° 1.552): 4–24 August 2025 = 14 working days (15 August is a holiday) × 7,80 h
  // = 109,20 h. Hourly rate 3 000 / 169 = 17,751479 → 17,7515; 109,20 × 17,7515 = 1 938,4638 → 1 938,46.
  const r = compute(input({ variables: { absences: [{ kind: "paternity", hours: 109.2, from: "2025-08-04", to: "2025-08-24", complement: 200 }] } }));
  assert.equal(line(r, "3047")?.label, "Absence paternité");
  assert.equal(line(r, "3047")?.rate, 177_515);
  assert.equal(line(r, "3047")?.amount, -193_846);
  assert.equal(line(r, "3049")?.amount, 20_000);
  assert.equal(r.gross, 300_000 - 193_846 + 20_000);
  assert.equal(r.bases.monaco, 300_000 - 193_846);
  assert.equal(r.hoursPaid, 16_900 - 10_920);
  assert.equal(r.leave.current.acquired, 25_000, "paternity counts as effective work (Loi n° 619 art. 3 as applied by monentreprise.gouv.mc)");
  assert.ok(r.warnings.some((w) => w.code === "DSM_PATERNITY_UNDECLARED"));
  assert.deepEqual(r.events, []);
});

test("unpaid leave is deducted from the Monaco bases but not from the complementary-pension base (before 2024)", () => {
  const r = compute(input({ period: "2023-06", variables: { absences: [{ kind: "unpaid-leave", hours: 16.9 }] } }));
  const deduction = -(line(r, "3003")?.amount ?? 0); // 16,9 h × 17,7515 = 299,99 → 300,00
  assert.equal(deduction, 30_000);
  assert.equal(r.bases.monaco, 270_000);
  assert.equal(r.bases.other, 300_000);
  assert.equal(contribution(r, "74N0")?.base, 300_000);
});

/** August 2025 state: 2024/25 closed with 30 days (reference gross 36 000), 2025/26 at 7,5 days after 3 months. */
function leaveCarry(takenLastYear: number) {
  return {
    year: 2025,
    ytd: { gross: 0, baseSS: 0, taxableNet: 0, netPaid: 0, ceilingSS: 0, hours: 0, employeeContributions: 0, employerContributions: 0 },
    ceilings: {},
    leave: {
      yearStart: "2025-05-01",
      current: { acquired: 7.5, taken: 0, months: 3, referenceGross: 9000 },
      previous: { acquired: 30, taken: takenLastYear, months: 12, referenceGross: 36000 },
    },
  };
}

test("paid leave: the absence at salary maintenance, the indemnity at the larger of maintenance and the tenth", () => {
  // ouvrables: daily value 3 000 / 26 = 115,3846; 5 days = 576,92
  const carry = leaveCarry(0);
  const maintained = compute(input({ carry, variables: { paidLeave: [{ days: 5, from: "2025-08-04", to: "2025-08-08" }] } }));
  // tenth: 36 000 × 10 % × 5 / 30 = 600,00 > 576,92
  assert.equal(line(maintained, "3201")?.amount, -57_692);
  assert.equal(line(maintained, "4271")?.amount, 60_000);
  assert.equal(maintained.gross, 300_000 - 57_692 + 60_000);
  assert.equal(maintained.leave.previous.taken, 50_000);
  assert.equal(maintained.leave.previous.remaining, 250_000);
  const lowReference = { ...carry, leave: { ...carry.leave, previous: { acquired: 30, taken: 0, months: 12, referenceGross: 30000 } } };
  const r = compute(input({ carry: lowReference, variables: { paidLeave: [{ days: 5 }] } }));
  // tenth 500,00 < maintenance 576,92
  assert.equal(line(r, "4271")?.amount, 57_692);
  assert.equal(r.gross, 300_000);
  // jours ouvrés: 3 000 / 21,67 = 138,4402 → 5 days 692,20
  const ouvres = compute(input({ company: { paidLeaveSystem: "ouvres" }, variables: { paidLeave: [{ days: 5 }] } }));
  assert.equal(line(ouvres, "3201")?.amount, -69_220);
  assert.ok(ouvres.warnings.some((w) => w.code === "LEAVE_TENTH_UNKNOWN"));
});

test("leave counters: 2,5 days a month (ouvrables) or 25/12 (ouvrés), roll over on 1 May, sickness does not earn leave", () => {
  const april = compute(input({ period: "2025-04" }));
  assert.equal(april.leave.current.label, "2024/25");
  assert.equal(april.leave.current.acquired, 25_000);
  const may = compute(input({ period: "2025-05", carry: april.carry }));
  assert.equal(may.leave.previous.label, "2024/25");
  assert.equal(may.leave.previous.acquired, 25_000);
  assert.equal(may.leave.current.label, "2025/26");
  assert.equal(may.leave.current.acquired, 25_000);
  const ouvres = compute(input({ company: { paidLeaveSystem: "ouvres" } }));
  assert.equal(ouvres.leave.current.acquired, 20_833);
  // 84,5 sick hours out of 169: half a month of effective work → 1,25 days
  const sick = compute(input({ variables: { absences: [{ kind: "sick", hours: 84.5, from: "2025-08-01", to: "2025-08-14" }] } }));
  assert.equal(sick.leave.current.acquired, 12_500);
  // maternity counts as effective work
  const maternity = compute(input({ variables: { absences: [{ kind: "maternity", hours: 84.5 }] } }));
  assert.equal(maternity.leave.current.acquired, 25_000);
});

test("entry and exit are prorated on calendar days by default, or on working days", () => {
  // entry on 11 August 2025: 10 of 31 calendar days not worked → 3 000 × 10 / 31 = 967,74
  const entry = compute(input({ employee: { hireDate: "2025-08-11" } }));
  assert.equal(line(entry, "0021")?.amount, -96_774);
  assert.equal(entry.gross, 300_000 - 96_774);
  assert.equal(entry.hoursPaid, divRound(16_900 * 21, 31));
  assert.ok(entry.events.some((e) => e.kind === "entreeDuSalarie" && e.from === "2025-08-11"));
  // ceilings are prorated too: CMRC TA 3 947 × 21/31 = 2 673,77
  const high = compute(input({ employee: { hireDate: "2025-08-11", monthlySalary: 9000 } }));
  assert.equal(contribution(high, "1911")?.base, 267_377);
  // working days: August 2025 has 20 Monday–Friday days, 15 August (Friday) is a Monaco holiday → 20 days;
  // 1–8 August holds 6 working days → 6/20 not worked
  const working = compute(input({ company: { prorata: "working-days" }, employee: { hireDate: "2025-08-11" } }));
  assert.equal(line(working, "0021")?.amount, -90_000);
  // exit on 20 August: 11 days after → 3 000 × 11 / 31 = 1 064,52
  const exit = compute(input({ employee: { exitDate: "2025-08-20" } }));
  assert.equal(line(exit, "0023")?.amount, -106_452);
  assert.ok(exit.events.some((e) => e.kind === "sortieDuSalarie"));
});

test("on exit the remaining leave is paid as a compensatory indemnity, N-1 and N separately", () => {
  const carry = leaveCarry(20);
  const r = compute(input({ carry, employee: { exitDate: "2025-08-31" } }));
  // N-1: 10 days; maintenance 10 × 115,3846 = 1 153,85; tenth 36 000 / 10 × 10 / 30 = 1 200,00
  assert.equal(line(r, "4303")?.amount, 120_000);
  // N: 7,5 + 2,5 = 10 days; reference 9 000 + 3 000 = 12 000 → tenth 12 000 / 10 × 10 / 10 = 1 200,00 > 1 153,85
  assert.equal(line(r, "4311")?.amount, 120_000);
  assert.equal(r.leave.previous.remaining, 0);
  assert.equal(r.leave.current.remaining, 0);
  const refused = compute(input({ carry, employee: { exitDate: "2025-08-31" }, variables: { compensatoryLeave: false } }));
  assert.equal(line(refused, "4303"), undefined);
});

test("benefits in kind are in gross and every base, then recovered after net; meal tickets and advances after net", () => {
  const r = compute(
    input({
      period: "2019-06",
      variables: { meals: 22, mealsDeducted: 10, housing: 500, car: 200, mealTickets: 10, mealTicketEmployeeShare: 3.6, advance: 300, deposit: 100 },
    }),
  );
  assert.equal(line(r, "5011")?.amount, 7_964); // 22 × 3,62
  assert.equal(line(r, "7005")?.amount, -3_620); // 10 × 3,62
  assert.equal(line(r, "5021")?.amount, 50_000);
  assert.equal(line(r, "7006")?.amount, -50_000);
  assert.equal(line(r, "5023")?.amount, 20_000);
  assert.equal(line(r, "7061")?.amount, -3_600);
  assert.equal(r.gross, 300_000 + 7_964 + 50_000 + 20_000);
  assert.equal(contribution(r, "9301")?.base, r.gross);
  assert.equal(r.netPaid, r.net - 3_620 - 50_000 - 20_000 - 3_600 - 30_000 - 10_000);
  assert.equal(r.taxableNet, r.gross - r.employeeTotal);
  assert.equal(r.employerCost, r.gross + r.employerTotal);
});

test("the 5 % Monaco allowance: outside the bases on the minimum wage, contributory above it; exceptional bonus excluded", () => {
  const minimum = compute(input({ employee: { monthlySalary: 2007.72, monacoAllowance: "minimum" }, variables: { lines: [{ code: "2023", amount: 500 }] } }));
  const allowance = line(minimum, "7301");
  assert.equal(allowance?.amount, 10_039); // 5 % × 2 007,72 = 100,386
  assert.equal(minimum.gross, 200_772 + 50_000);
  assert.equal(minimum.net, minimum.gross - minimum.employeeTotal + 10_039);
  assert.equal(minimum.taxableNet, minimum.gross - minimum.employeeTotal + 10_039);
  assert.equal(contribution(minimum, "9301")?.base, minimum.gross);
  const above = compute(input({ employee: { monacoAllowance: "above-minimum" } }));
  assert.equal(line(above, "9993")?.amount, 15_000);
  assert.equal(above.gross, 315_000);
  assert.equal(contribution(above, "9301")?.base, 315_000);
});

test("directors: CCSS on the ceiling whatever the salary, no unemployment insurance; affiliation flags drop lines", () => {
  const r = compute(input({ employee: { category: "cadre", director: true, monthlySalary: 4000 } }));
  assert.equal(contribution(r, "9311")?.base, 960_000);
  assert.equal(contribution(r, "9311")?.employerAmount, 129_120);
  assert.equal(contribution(r, "9301"), undefined);
  assert.equal(contribution(r, "7001"), undefined);
  assert.ok(contribution(r, "1901"));
  const noCar = compute(input({ employee: { affiliations: { car: false, ac: false } } }));
  assert.equal(contribution(noCar, "1901"), undefined);
  assert.equal(contribution(noCar, "7001"), undefined);
  assert.ok(contribution(noCar, "1911"));
});

test("household employers: CCSS at the household rate, on 33 % of gross when entitled", () => {
  const r = compute(input({ period: "2025-11", company: { employerKind: "household", householdReducedBase: true } }));
  assert.equal(contribution(r, "9301")?.base, 99_000);
  assert.equal(contribution(r, "9301")?.employerRate, 134_000);
});

test("company contracts on gross, TA, CCSS-capped, a percentage of the PMSS, or a flat base, per category", () => {
  const company = {
    contracts: [
      { code: "8517", label: "Prévoyance", appliesTo: "non-cadre" as const, base: { kind: "gross" as const }, employerRate: 2.55 },
      { code: "8515", label: "Prévoyance TA", appliesTo: "all" as const, base: { kind: "ta" as const }, employeeRate: 0.5, employerRate: 1.5 },
      { code: "8507", label: "Prév cadre", appliesTo: "cadre" as const, base: { kind: "ccss-capped" as const }, employerRate: 2.54 },
      { code: "8525", label: "Mutuelle", appliesTo: "all" as const, base: { kind: "pmss-percent" as const, percent: 50 }, employerRate: 7.67 },
      { code: "8529", label: "Forfait", appliesTo: "all" as const, base: { kind: "flat" as const, amount: 100 }, employerRate: 10 },
    ],
  };
  const r = compute(input({ company, employee: { monthlySalary: 12000 } }));
  assert.equal(contribution(r, "8517")?.base, 1_200_000);
  assert.equal(contribution(r, "8515")?.base, 392_500);
  assert.equal(contribution(r, "8515")?.employeeAmount, 1_963); // 3 925 × 0,5 % = 19,625 → 19,63
  assert.equal(contribution(r, "8507"), undefined);
  assert.equal(contribution(r, "8525")?.base, 196_250);
  assert.equal(contribution(r, "8529")?.employerAmount, 1_000);
  const cadre = compute(input({ company, employee: { monthlySalary: 12000, category: "cadre" } }));
  assert.equal(contribution(cadre, "8507")?.base, 960_000);
  assert.equal(contribution(cadre, "8517"), undefined);
});

test("progressive ceilings reproduce the firm's worked example, with explicit regularisation lines", () => {
  // REMUNERATIONS.xlsx, sheet COTISATIONS: ceiling 3 500; salaries 2 500, 2 500, 10 000, 2 500.
  const overrides = [{ id: "cmrc.ta_ceiling", from: "2025-01-01", value: 3500, source: "exemple du classeur REMUNERATIONS" }];
  let carry: CarryInput | undefined;
  const months: ReturnType<typeof compute>[] = [];
  for (const [period, salary] of [
    ["2025-01", 2500],
    ["2025-02", 2500],
    ["2025-03", 10000],
    ["2025-04", 2500],
  ] as const) {
    const r = compute(input({ period, parameterOverrides: overrides, employee: { monthlySalary: salary }, ...(carry ? { carry } : {}) }));
    months.push(r);
    carry = r.carry;
  }
  const march = months[2]!;
  // monthly cap: TA 3 500, TB 6 500; running totals: TA 5 500, TB 4 500 → regularisation +2 000 / −2 000
  assert.equal(contribution(march, "1911")?.base, 350_000);
  assert.equal(contribution(march, "1911", true)?.base, 200_000);
  assert.equal(contribution(march, "1913")?.base, 650_000);
  assert.equal(contribution(march, "1913", true)?.base, -200_000);
  const april = months[3]!;
  // April: TA 3 500 (2 500 + 1 000), TB −1 000
  assert.equal(contribution(april, "1911")?.base, 250_000);
  assert.equal(contribution(april, "1911", true)?.base, 100_000);
  assert.equal(contribution(april, "1913"), undefined);
  assert.equal(contribution(april, "1913", true)?.base, -100_000);
  assert.equal(contribution(april, "1913", true)?.employeeAmount, -9_720);
  assert.match(contribution(april, "1913", true)!.label, /^Régul/);
  // monthly mode: no regularisation
  const monthly = compute(
    input({
      period: "2025-03",
      parameterOverrides: overrides,
      company: { regularisation: { CMRC: "monthly" } },
      employee: { monthlySalary: 10000 },
      carry: months[1]!.carry,
    }),
  );
  assert.equal(contribution(monthly, "1911", true), undefined);
  assert.equal(contribution(monthly, "1913")?.base, 650_000);
});

test("the CAR running ceiling restarts on 1 October, unemployment's on 1 January", () => {
  const sep = compute(input({ period: "2025-09", employee: { monthlySalary: 5000 } }));
  assert.equal(sep.carry.ceilings.CAR?.windowStart, "2024-10-01");
  const oct = compute(input({ period: "2025-10", employee: { monthlySalary: 5000 }, carry: sep.carry }));
  assert.equal(oct.carry.ceilings.CAR?.windowStart, "2025-10-01");
  assert.equal(oct.carry.ceilings.CAR?.base, 5000);
  assert.equal(oct.carry.ceilings.AC?.windowStart, "2025-01-01");
  assert.equal(oct.carry.ceilings.AC?.base, 10000);
});

test("results: totals are sums of rounded lines, year-to-date figures carry over and restart in January", () => {
  const jan = compute(input({ period: "2025-01" }));
  assert.equal(
    jan.employeeTotal,
    jan.contributions.reduce((s, c) => s + (c.employeeAmount ?? 0), 0),
  );
  assert.equal(
    jan.employerTotal,
    jan.contributions.reduce((s, c) => s + (c.employerAmount ?? 0), 0),
  );
  assert.equal(jan.net, jan.gross - jan.employeeTotal);
  const feb = compute(input({ period: "2025-02", carry: jan.carry }));
  assert.equal(feb.ytd.gross, 600_000);
  assert.equal(feb.ytd.ceilingSS, 785_000);
  assert.equal(feb.ytd.hours, 33_800);
  assert.equal(feb.ytd.employerContributions, jan.employerTotal + feb.employerTotal);
  const nextYear = compute(input({ period: "2026-01", carry: feb.carry }));
  assert.equal(nextYear.ytd.gross, 300_000);
  for (const l of [...jan.lines, ...jan.contributions]) assert.ok(l.explanation.length > 10, `explained: ${l.code}`);
  assert.ok(jan.parameters.some((p) => p.id === "car.ceiling" && p.source.length > 5));
});

test("a salary below the SMIC is flagged", () => {
  const r = compute(input({ employee: { monthlySalary: 1500 } }));
  assert.ok(r.warnings.some((w) => w.code === "BELOW_SMIC"));
  assert.ok(!compute(input()).warnings.some((w) => w.code === "BELOW_SMIC"));
});
