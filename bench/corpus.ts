/**
 * `npm run corpus -- hash`: the behaviour fingerprint of the engine. Computes 10,000 deterministic, varied engine
 * inputs (a seeded generator: every month from 2019-03 to 2026-12, chains of consecutive months carrying their state,
 * company overrides, household employers, working-day prorata, both 5 % allowances, directors, entries and exits,
 * absences, paid leave, overtime, entered rubrics, parameter overrides and some invalid inputs) and then every golden
 * case month by month, each with computePayslip, and prints one JSON line: the sha256 of the canonical JSON (keys
 * sorted) of every outcome, results and errors alike, with the counts.
 *
 * A refactoring that must not change behaviour keeps this hash: record it before, compare after. The generator is
 * part of the fingerprint — changing it changes the hash, so change it only in a commit of its own that says so.
 * `npm run corpus -- dump FILE` writes the canonical outcomes one per line, to find what moved when the hash differs.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { caseMonthInput, validateCase } from "../shared/cases/run-case.ts";
import type { CarryInput } from "../shared/core/carry.ts";
import type { ComputeOutcome } from "../shared/core/result.ts";
import { computePayslip } from "../shared/engine/compute.ts";
import type { PayslipInput } from "../shared/schema/payslip-input.ts";

const COUNT = 10_000;
const SEED = 0x5eed_2019;
const FIRST = { year: 2019, month: 3 };
const LAST = { year: 2026, month: 12 };
const GOLDEN_DIRS = ["tests/golden/cases", "tests/golden/annual-2019/cases"];

/** mulberry32: a small, well-known 32-bit generator; the same seed gives the same corpus on every machine. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  return {
    int,
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    /** An amount in euros with at most 2 decimals, from integer cents. */
    euros: (loCents: number, hiCents: number) => int(loCents, hiCents) / 100,
    hundredths: (lo: number, hi: number) => int(lo, hi) / 100,
  };
}
type Rng = ReturnType<typeof prng>;

const pad = (n: number) => String(n).padStart(2, "0");
const monthIndex = (y: number, m: number) => y * 12 + (m - 1);
const periodOf = (index: number) => `${Math.floor(index / 12)}-${pad((index % 12) + 1)}`;
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const dayOf = (period: string, day: number) => `${period}-${pad(day)}`;

const CONTRACTS: NonNullable<PayslipInput["company"]["contracts"]> = [
  { code: "8517", label: "Prévoyance non cadre", appliesTo: "non-cadre", base: { kind: "gross" }, employerRate: 2.55 },
  { code: "8525", label: "Mutuelle cadre", appliesTo: "cadre", base: { kind: "pmss-percent", percent: 100 }, employerRate: 7.67 },
  { code: "8507", label: "Prévoyance cadre plafond CCSS", appliesTo: "cadre", base: { kind: "ccss-capped" }, employerRate: 2.54 },
  {
    code: "8601",
    label: "Mutuelle tous salariés",
    organism: "MUTUELLE",
    appliesTo: "all",
    base: { kind: "flat", amount: 120 },
    employeeRate: 50,
    employerRate: 50,
  },
  { code: "8611", label: "Prévoyance TA", appliesTo: "all", base: { kind: "ta" }, employeeRate: 0.8, employerRate: 1.2 },
];
const AMOUNT_RUBRICS = ["2023", "2031", "2033", "2041", "2053", "2061", "2881", "4283", "4301", "4401", "4403", "9861", "9873", "9893", "9851", "0501"];
const QUANTITY_RUBRICS = ["0005", "1031", "1041", "1061", "1063"];
const FAMILIES = ["CAR", "CCSS", "CMRC", "AC", "RC"] as const;
const ABSENCES = ["sick", "unpaid", "unpaid-leave", "maternity", "work-accident"] as const;

function company(r: Rng): PayslipInput["company"] {
  const c: PayslipInput["company"] = {};
  if (r.chance(0.3)) c.name = r.pick(["Société A", "SAM Riviera", "Monte-Carlo Services"]);
  const leave = r.int(0, 2);
  if (leave === 1) c.paidLeaveSystem = "ouvrables";
  if (leave === 2) c.paidLeaveSystem = "ouvres";
  if (r.chance(0.25)) c.prorata = r.pick(["calendar-days", "working-days"] as const);
  if (r.chance(0.08)) {
    c.employerKind = "household";
    if (r.chance(0.5)) c.householdReducedBase = true;
  } else if (r.chance(0.1)) c.employerKind = "professional";
  if (r.chance(0.2)) {
    const modes: NonNullable<PayslipInput["company"]["regularisation"]> = {};
    for (const f of FAMILIES) if (r.chance(0.4)) modes[f] = r.pick(["monthly", "progressive"] as const);
    c.regularisation = modes;
  }
  if (r.chance(0.6)) c.contracts = CONTRACTS.filter(() => r.chance(0.45));
  if (r.chance(0.3)) c.codes = { "0003": "0011", "1001": "9891", ...(r.chance(0.5) ? { "2001": "2101" } : {}) };
  if (r.chance(0.15)) c.mealValue = r.euros(300, 600);
  if (r.chance(0.2)) c.mealTicketEmployeeShare = r.euros(200, 600);
  return c;
}

interface Person {
  employee: PayslipInput["employee"];
  /** First month of the chain (an entry falls in it) and last (an exit may fall in it). */
  first: number;
  last: number;
}

function person(r: Rng, id: number, first: number, last: number): Person {
  const salary = r.pick([
    r.euros(150_000, 250_000),
    r.euros(250_000, 450_000),
    r.euros(450_000, 900_000),
    r.euros(900_000, 2_500_000),
    r.euros(2_500_000, 6_000_000),
  ]);
  const firstPeriod = periodOf(first);
  const [fy, fm] = [Math.floor(first / 12), (first % 12) + 1];
  const entering = r.chance(0.12);
  const hireDate = entering ? dayOf(firstPeriod, r.int(1, lastDay(fy, fm))) : `${r.int(2000, fy - 1)}-${pad(r.int(1, 12))}-${pad(r.int(1, 28))}`;
  const employee: PayslipInput["employee"] = {
    id: `C${id}`,
    category: salary >= 5000 ? (r.chance(0.85) ? "cadre" : "non-cadre") : r.chance(0.1) ? "cadre" : "non-cadre",
    hireDate,
    contractHours: r.pick([169, 169, 169, 169, 151.67, 130, 104, 86.67, 43.33, 20.5]),
    monthlySalary: salary,
  };
  if (r.chance(0.3)) {
    employee.lastName = r.pick(["Rossi", "Martin", "Garcia", "Dupont"]);
    employee.firstName = r.pick(["Anna", "Luca", "Marie", "Paul"]);
    employee.sex = r.pick(["M", "F"] as const);
  }
  if (r.chance(0.05)) employee.director = true;
  else if (r.chance(0.1)) employee.director = false;
  if (r.chance(0.1)) employee.affiliations = { ac: r.chance(0.5), car: r.chance(0.7), rc: r.chance(0.7) };
  const seniority = r.int(0, 5);
  if (seniority === 1) employee.seniority = { rate: r.pick([3, 6, 9, 12, 15, 18]), base: "smic" };
  if (seniority === 2) employee.seniority = { rate: r.pick([2, 5, 10]), base: "salary" };
  if (seniority === 3) employee.seniority = { rate: r.pick([4, 8]), base: r.euros(150_000, 300_000) };
  if (seniority === 4) employee.seniority = { amount: r.euros(2_000, 40_000) };
  const allowance = r.int(0, 5);
  if (allowance === 1) employee.monacoAllowance = "minimum";
  if (allowance === 2) employee.monacoAllowance = "above-minimum";
  if (allowance === 3) employee.monacoAllowance = "none";
  return { employee, first, last };
}

function variables(r: Rng, period: string, p: Person, companyShare: boolean): PayslipInput["variables"] | undefined {
  if (r.chance(0.2)) return undefined;
  const [y, m] = [Number(period.slice(0, 4)), Number(period.slice(5, 7))];
  const end = lastDay(y, m);
  const start = p.employee.hireDate > dayOf(period, 1) ? Number(p.employee.hireDate.slice(8, 10)) : 1;
  const stop = p.employee.exitDate && p.employee.exitDate < dayOf(period, end) ? Number(p.employee.exitDate.slice(8, 10)) : end;
  const v: NonNullable<PayslipInput["variables"]> = {};
  if (r.chance(0.3)) v.overtime125 = r.hundredths(25, 3000);
  if (r.chance(0.1)) v.overtime150 = r.hundredths(25, 2000);
  if (r.chance(0.05)) v.overtime200 = r.hundredths(25, 800);
  if (r.chance(0.08)) v.complementaryHours = r.hundredths(100, 1500);
  if (r.chance(0.08)) v.holidayHours = r.hundredths(100, 1600);
  if (r.chance(0.04)) v.holidayHours200 = r.hundredths(100, 800);
  if (r.chance(0.06)) v.sundayHours = r.hundredths(100, 2400);
  const within = () => {
    const a = r.int(start, stop);
    const b = r.int(a, Math.min(stop, a + 6));
    return [dayOf(period, a), dayOf(period, b)] as const;
  };
  if (r.chance(0.25)) {
    // Within the hours under contract this month: more (allowed by the validator) makes the carried hours negative,
    // which next month's input refuses — kept rare (below) so that chains go on.
    const employed = r.chance(0.02) ? 1 : (stop - start + 1) / end;
    let budget = Math.floor(p.employee.contractHours * 100 * employed);
    const absences: NonNullable<typeof v.absences> = [];
    for (let i = r.int(1, 3); i > 0 && budget > 100; i--) {
      const hours = r.int(100, Math.min(budget, 8000));
      budget -= hours;
      const a: (typeof absences)[number] = { kind: r.pick(ABSENCES), hours: hours / 100 };
      if (r.chance(0.7)) [a.from, a.to] = within();
      if (r.chance(0.4)) a.complement = r.euros(1000, 150_000);
      absences.push(a);
    }
    v.absences = absences;
  }
  if (r.chance(0.25)) {
    const leaves: NonNullable<typeof v.paidLeave> = [];
    for (let i = r.int(1, 2); i > 0; i--) {
      const l: (typeof leaves)[number] = { days: r.pick([0.5, 1, 2, 3, 5, 6, 10, 12.5]) };
      if (r.chance(0.3)) l.hours = r.hundredths(350, 8000);
      if (r.chance(0.7)) [l.from, l.to] = within();
      leaves.push(l);
    }
    v.paidLeave = leaves;
  }
  if (r.chance(0.2)) {
    const lines: NonNullable<typeof v.lines> = [];
    for (let i = r.int(1, 3); i > 0; i--) {
      if (r.chance(0.75)) {
        const line: (typeof lines)[number] = { code: r.pick(AMOUNT_RUBRICS), amount: r.euros(1_000, 500_000) };
        if (r.chance(0.2)) line.label = "Prime sur objectifs";
        lines.push(line);
      } else {
        lines.push({ code: r.pick(QUANTITY_RUBRICS), quantity: r.hundredths(100, 2500), rate: r.int(5000, 300_000) / 10_000 });
      }
    }
    v.lines = lines;
  }
  if (r.chance(0.1)) {
    v.meals = r.int(1, 22);
    if (r.chance(0.3)) v.mealsDeducted = r.int(0, v.meals);
  } else if (r.chance(0.01)) v.mealsDeducted = r.int(1, 5);
  if (r.chance(0.05)) v.housing = r.euros(10_000, 150_000);
  if (r.chance(0.05)) v.car = r.euros(5_000, 60_000);
  if (r.chance(0.12)) {
    v.mealTickets = r.int(1, 22);
    if (!companyShare || r.chance(0.5)) v.mealTicketEmployeeShare = r.euros(200, 600);
  }
  if (r.chance(0.05)) v.advance = r.euros(5_000, 100_000);
  if (r.chance(0.05)) v.deposit = r.euros(5_000, 100_000);
  const leaving = p.employee.exitDate !== undefined && p.employee.exitDate <= dayOf(period, end);
  if (leaving && r.chance(0.3)) v.notice = r.euros(100_000, 800_000);
  if (leaving && r.chance(0.2)) v.dismissal = r.euros(100_000, 1_500_000);
  if (leaving && r.chance(0.2)) v.compensatoryLeave = false;
  else if (r.chance(0.02)) v.compensatoryLeave = true;
  return v;
}

/** A plausible opening state, as a firm taking over a dossier types it in. */
function opening(r: Rng, first: number, p: Person): CarryInput {
  const prev = periodOf(first - 1);
  const year = Number(prev.slice(0, 4));
  const month = Number(prev.slice(5, 7));
  const salary = p.employee.monthlySalary;
  const ytdMonths = month;
  const gross = Math.round(salary * ytdMonths * 100) / 100;
  const leaveStartYear = month >= 5 ? year : year - 1;
  const leaveMonths = month >= 5 ? month - 4 : month + 8;
  const acquired = Math.round(leaveMonths * 2.5 * 100) / 100;
  const carry: CarryInput = {
    year,
    ytd: {
      gross,
      baseSS: gross,
      taxableNet: Math.round(gross * 78) / 100,
      netPaid: Math.round(gross * 77) / 100,
      ceilingSS: 0,
      hours: Math.round(p.employee.contractHours * ytdMonths * 100) / 100,
      employeeContributions: Math.round(gross * 22) / 100,
      employerContributions: Math.round(gross * 38) / 100,
    },
    ceilings: {},
    leave: {
      yearStart: `${leaveStartYear}-05-01`,
      current: { acquired, taken: Math.min(acquired, r.int(0, 8)), months: leaveMonths, referenceGross: Math.round(salary * leaveMonths * 100) / 100 },
      previous: r.chance(0.5)
        ? { acquired: 30, taken: r.int(10, 30), months: 12, referenceGross: Math.round(salary * 12 * 100) / 100 }
        : { acquired: 0, taken: 0, months: 0, referenceGross: 0 },
    },
  };
  if (r.chance(0.6)) {
    const carMonths = month >= 10 ? month - 9 : month + 3;
    const base = Math.round(salary * carMonths * 100) / 100;
    const ceiling = 6028 * carMonths;
    carry.ceilings.CAR = { windowStart: `${month >= 10 ? year : year - 1}-10-01`, base, ceiling, ta: Math.min(base, ceiling), tb: 0 };
  }
  return carry;
}

/**
 * Values the parameter files do not know (CCSS and CAR from October 2021 to September 2022, the household rate
 * before October 2023), as a firm types them in: corpus figures with a source, not data.
 */
const GAP_OVERRIDES: NonNullable<PayslipInput["parameterOverrides"]> = [
  { id: "ccss.ceiling", from: "2020-10-01", value: 8700, source: "corpus: plafond CCSS saisi par le cabinet" },
  { id: "ccss.ceiling", from: "2021-10-01", value: 8900, source: "corpus: plafond CCSS saisi par le cabinet" },
  { id: "ccss.employer_rate", from: "2021-10-01", value: 14.75, source: "corpus: taux CCSS saisi par le cabinet" },
  { id: "car.ceiling", from: "2021-10-01", value: 5248, source: "corpus: plafond CAR saisi par le cabinet" },
  { id: "car.employer_rate", from: "2021-10-01", value: 8.35, source: "corpus: taux CAR saisi par le cabinet" },
  { id: "ccss.household_rate", from: "2018-10-01", value: 13.1, source: "corpus: taux CCSS employeur particulier saisi" },
];
const inGap = (from: number, to: number, household: boolean) =>
  (household && from < monthIndex(2023, 10)) || (to >= monthIndex(2020, 10) && from < monthIndex(2022, 10));

function overrides(r: Rng, period: string): PayslipInput["parameterOverrides"] {
  const year = Number(period.slice(0, 4));
  const from = `${year}-01-01`;
  const pick = r.int(0, 3);
  if (pick === 0) return [{ id: "pmss", from, value: r.int(3500, 4200), source: "corpus: PMSS saisi par le cabinet" }];
  if (pick === 1) return [{ id: "car.employer_rate", from: `${period}-01`, value: 8.35, source: "corpus: taux CAR employeur confirmé par la caisse" }];
  if (pick === 2) return [{ id: "ccss.ceiling", from: `${period}-01`, value: r.int(8500, 10_000), source: "corpus: plafond CCSS saisi" }];
  return [{ id: "smic.hourly", from, value: r.int(100_000, 130_000) / 10_000, source: "corpus: SMIC horaire saisi" }];
}

/** A deliberately invalid input: the validator's located French errors are behaviour too. */
function spoil(r: Rng, input: PayslipInput): unknown {
  // An input broken on purpose has no type: each case below writes one wrong field into a plain JSON object.
  const bad = structuredClone(input) as unknown as {
    period: unknown;
    company: Record<string, unknown>;
    employee: Record<string, unknown>;
    variables?: Record<string, unknown>;
  };
  switch (r.int(0, 9)) {
    case 0:
      bad.period = r.pick(["2025-13", "1899-12", "25-08", "2025-8"]);
      break;
    case 1:
      bad.employee.exitDate = "1999-01-01";
      break;
    case 2:
      bad.employee.monthlySalary = r.pick([-5, 12.345, 20_000_000, "3000"]);
      break;
    case 3:
      bad.variables = { ...(bad.variables ?? {}), lines: [{ code: r.pick(["ZZZ9", "0003", "2041"]) }] };
      break;
    case 4:
      bad.variables = { ...(bad.variables ?? {}), absences: [{ kind: "sick", hours: 400 }] };
      break;
    case 5:
      bad.employee.hireDate = r.pick(["2025-02-30", "2030-01-01", "01/02/2020"]);
      break;
    case 6:
      bad.company.unknownField = true;
      break;
    case 7:
      bad.variables = { ...(bad.variables ?? {}), paidLeave: [{ days: 31 }, { days: 31 }] };
      break;
    case 8:
      bad.variables = { ...(bad.variables ?? {}), mealTickets: 5 };
      delete bad.variables.mealTicketEmployeeShare;
      delete bad.company.mealTicketEmployeeShare;
      break;
    default:
      bad.variables = { ...(bad.variables ?? {}), overtime125: 150, overtime150: 150 };
      break;
  }
  return bad;
}

/** The corpus in order: chains of 1–6 consecutive months of one employee, each month's carry feeding the next. */
export function* corpusOutcomes(count = COUNT): Generator<ComputeOutcome> {
  const r = prng(SEED);
  const first = monthIndex(FIRST.year, FIRST.month);
  const last = monthIndex(LAST.year, LAST.month);
  let produced = 0;
  let chain = 0;
  while (produced < count) {
    const length = Math.min(r.int(1, 6), count - produced);
    const start = r.int(first, last - length + 1);
    const end = start + length - 1;
    const p = person(r, chain++, start, end);
    const c = company(r);
    if (r.chance(0.1)) {
      const endPeriod = periodOf(end);
      const d = r.int(1, lastDay(Number(endPeriod.slice(0, 4)), Number(endPeriod.slice(5, 7))));
      const exit = dayOf(endPeriod, d);
      if (exit >= p.employee.hireDate) p.employee.exitDate = exit;
    }
    let carry: CarryInput | undefined = r.chance(0.3) && p.employee.hireDate < dayOf(periodOf(start), 1) ? opening(r, start, p) : undefined;
    let chainOverrides = r.chance(0.06) ? overrides(r, periodOf(start)) : undefined;
    // Most chains in a gap get the missing values (the rest keep the engine's located PARAM_MISSING errors).
    if (inGap(start, end, c.employerKind === "household") && r.chance(0.85)) chainOverrides = [...(chainOverrides ?? []), ...GAP_OVERRIDES];
    for (let k = start; k <= end; k++) {
      const period = periodOf(k);
      const input: PayslipInput = { period, company: c, employee: p.employee };
      if (r.chance(0.3)) input.payDate = dayOf(period, r.int(25, 28));
      const v = variables(r, period, p, c.mealTicketEmployeeShare !== undefined);
      if (v) input.variables = v;
      if (carry) input.carry = carry;
      if (chainOverrides) input.parameterOverrides = chainOverrides;
      const raw = r.chance(0.03) ? spoil(r, input) : input;
      const outcome = computePayslip(raw);
      if (outcome.ok) carry = outcome.result.carry;
      yield outcome;
      produced++;
      if (r.chance(0.03)) p.employee = { ...p.employee, monthlySalary: Math.round(p.employee.monthlySalary * 103) / 100 };
    }
  }
}

/** Every golden case, month by month as `paie golden` runs them (each month's carry feeds the next). */
export function* goldenOutcomes(root: string): Generator<ComputeOutcome> {
  for (const dir of GOLDEN_DIRS) {
    const folder = path.join(root, dir);
    for (const file of readdirSync(folder)
      .filter((f) => f.endsWith(".json"))
      .sort()) {
      const valid = validateCase(JSON.parse(readFileSync(path.join(folder, file), "utf8")));
      if (!valid.ok) throw new Error(`${dir}/${file} : ${valid.errors[0]?.message}`);
      let carry = valid.value.opening;
      for (let index = 0; index < valid.value.months.length; index++) {
        const outcome = computePayslip(caseMonthInput(valid.value, index, carry));
        if (outcome.ok) carry = outcome.result.carry;
        yield outcome;
      }
    }
  }
}

/** JSON with every object's keys sorted, so that the hash depends on values only, not on construction order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  const keys = Object.keys(value).sort();
  const parts: string[] = [];
  for (const k of keys) {
    const v = (value as Record<string, unknown>)[k];
    if (v === undefined) continue;
    parts.push(`${JSON.stringify(k)}:${canonicalJson(v)}`);
  }
  return `{${parts.join(",")}}`;
}

function main(args: string[]): number {
  const [command, file] = args;
  if (command !== "hash" && command !== "dump") {
    console.error("usage: npm run corpus -- hash | dump FILE");
    return 2;
  }
  const root = path.resolve(import.meta.dirname, "..");
  const hash = createHash("sha256");
  const lines: string[] = [];
  let inputs = 0;
  let golden = 0;
  let ok = 0;
  const add = (o: ComputeOutcome) => {
    const text = canonicalJson(o);
    hash.update(text);
    hash.update("\n");
    if (command === "dump") lines.push(text);
    if (o.ok) ok++;
  };
  for (const o of corpusOutcomes()) {
    add(o);
    inputs++;
  }
  for (const o of goldenOutcomes(root)) {
    add(o);
    golden++;
  }
  if (command === "dump") writeFileSync(file ?? "corpus.jsonl", `${lines.join("\n")}\n`);
  console.log(
    JSON.stringify({ corpus: "engine", inputs, goldenMonths: golden, total: inputs + golden, ok, errors: inputs + golden - ok, sha256: hash.digest("hex") }),
  );
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = main(process.argv.slice(2));
