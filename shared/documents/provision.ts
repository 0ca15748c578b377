/**
 * Paid-leave provision (provision pour congés payés) at a closing date. The formula is Cegid's, verified to
 * the cent on its December 2024 report (FINDINGS.md §H3):
 *   provision = Σ over leave years round2(base ÷ (months × 20)) × remaining days
 * i.e. the daily value is the average monthly leave base ÷ 20, rounded to the cent before multiplying.
 */

import { formatCents, formatDate, formatDays4 } from "../core/format.ts";
import type { PayslipResult } from "../core/result.ts";
import { type Cell, days4, int, money, type Row, type Sheet } from "./spreadsheet.ts";
import { renderTablePdf, type TableRow } from "./table.ts";
import { type CompanyInfo, type EmployeeInfo, employeeIndex, type Fonts, fullName } from "./types.ts";

/** The method, in words: the header is read by an accountant, not a programmer (the formula is in this module's header). */
export const PROVISION_METHOD =
  "Chaque jour restant vaut le vingtième de la base mensuelle moyenne de sa période, arrondi au centime ; charges patronales non comprises.";

/**
 * Cegid totals only the non-negative provisions (« *Les montants négatifs ne sont pas totalisés », statements.json);
 * a negative one (more days taken than acquired) is printed with the mark and left out of the total, and the note says so.
 */
export const NEGATIVE_MARK = "*";
export const NEGATIVE_NOTE = "* Provision négative (plus de jours pris qu'acquis) : affichée, non comprise dans le total.";

const provisionCell = (cents: number) => (cents < 0 ? `${formatCents(cents)} ${NEGATIVE_MARK}` : formatCents(cents));

/** One leave year of one employee. Days are scaled by 10,000 like the engine's leave counters. */
export interface LeaveYearBalance {
  /** Leave-pay base of the period, cents. */
  base: number;
  months: number;
  acquired?: number;
  taken?: number;
  remaining: number;
}

export interface ProvisionEmployee {
  employeeId: string;
  name?: string;
  carryOver?: LeaveYearBalance;
  previous?: LeaveYearBalance;
  current?: LeaveYearBalance;
}

export interface ProvisionInput {
  company: CompanyInfo;
  closingDate: string;
  /** Date of the carry-over column ("Reliquat au …"). */
  carryOverAsOf: string;
  previousPeriod: { start: string; end: string };
  currentPeriod: { start: string; end: string };
  employees: ProvisionEmployee[];
}

export type PeriodKey = "carryOver" | "previous" | "current";
export const PERIOD_KEYS: PeriodKey[] = ["carryOver", "previous", "current"];

export interface ProvisionRow extends ProvisionEmployee {
  /** Daily value per period in cents (round2(base ÷ (months × 20))). */
  dailyValue: Partial<Record<PeriodKey, number>>;
  provision: number;
}

export interface Provision extends Omit<ProvisionInput, "employees"> {
  rows: ProvisionRow[];
  totals: Record<PeriodKey, { base: number; months: number; acquired: number; taken: number; remaining: number }>;
  /** Σ of the non-negative provisions (Cegid does not total negative amounts). */
  total: number;
}

function divRoundHalfUp(numerator: number, denominator: number): number {
  const sign = Math.sign(numerator) * Math.sign(denominator);
  const n = Math.abs(numerator);
  const d = Math.abs(denominator);
  return sign * Math.floor((2 * n + d) / (2 * d));
}

export function dailyValue(balance: LeaveYearBalance): number | undefined {
  if (balance.months <= 0) return undefined;
  return divRoundHalfUp(balance.base, balance.months * 20);
}

export function computeProvision(input: ProvisionInput): Provision {
  const rows: ProvisionRow[] = input.employees.map((e) => {
    const daily: Partial<Record<PeriodKey, number>> = {};
    // Σ daily value × days in cent·1e-4 units, rounded once per employee so fractional days stay exact.
    let exact = 0;
    for (const key of PERIOD_KEYS) {
      const b = e[key];
      if (!b) continue;
      const v = dailyValue(b);
      if (v === undefined) continue;
      daily[key] = v;
      exact += v * b.remaining;
    }
    return { ...e, dailyValue: daily, provision: divRoundHalfUp(exact, 10_000) };
  });
  const zero = () => ({ base: 0, months: 0, acquired: 0, taken: 0, remaining: 0 });
  const totals = { carryOver: zero(), previous: zero(), current: zero() };
  for (const r of rows) {
    for (const key of PERIOD_KEYS) {
      const b = r[key];
      if (!b) continue;
      const t = totals[key];
      t.base += b.base;
      t.months += b.months;
      t.acquired += b.acquired ?? 0;
      t.taken += b.taken ?? 0;
      t.remaining += b.remaining;
    }
  }
  const total = rows.reduce((s, r) => s + (r.provision > 0 ? r.provision : 0), 0);
  const { employees: _omit, ...rest } = input;
  void _omit;
  return { ...rest, rows, totals, total };
}

/**
 * Rows from engine results (each result's `carry.leave` after the closing month). The carry holds two leave
 * years (previous, current); a carry-over older than that is not in the engine result and must be added by
 * the caller. The carry is in the JSON boundary units (euros, days), converted once here.
 */
export function provisionEmployeesFromResults(results: readonly PayslipResult[], employees?: EmployeeInfo[]): ProvisionEmployee[] {
  const names = employees ? employeeIndex(employees) : undefined;
  const toBalance = (y: { acquired: number; taken: number; months: number; referenceGross: number }): LeaveYearBalance => ({
    base: Math.round(y.referenceGross * 100),
    months: y.months,
    acquired: Math.round(y.acquired * 10_000),
    taken: Math.round(y.taken * 10_000),
    remaining: Math.round(y.acquired * 10_000) - Math.round(y.taken * 10_000),
  });
  return [...results]
    .sort((a, b) => (a.employeeId < b.employeeId ? -1 : a.employeeId > b.employeeId ? 1 : 0))
    .map((r) => {
      const who = names?.get(r.employeeId);
      return {
        employeeId: r.employeeId,
        ...(who ? { name: fullName(who) } : {}),
        previous: toBalance(r.carry.leave.previous),
        current: toBalance(r.carry.leave.current),
      };
    });
}

const blankIfZero = (v: number | undefined, f: (n: number) => string) => (v === undefined || v === 0 ? "" : f(v));

function periodCells(b: LeaveYearBalance | undefined, withCounts: boolean): string[] {
  if (!b) return withCounts ? ["", "", "", "", ""] : ["", "", ""];
  const base = [blankIfZero(b.base, formatCents), b.months ? String(b.months) : ""];
  return withCounts
    ? [...base, blankIfZero(b.acquired, formatDays4), blankIfZero(b.taken, formatDays4), blankIfZero(b.remaining, formatDays4)]
    : [...base, blankIfZero(b.remaining, formatDays4)];
}

export async function renderProvisionPdf(p: Provision, fonts: Fonts): Promise<Uint8Array> {
  const rows: TableRow[] = p.rows.map((r) => ({
    cells: [
      r.name ? `${r.employeeId} ${r.name}` : r.employeeId,
      ...periodCells(r.carryOver, false),
      ...periodCells(r.previous, true),
      ...periodCells(r.current, true),
      provisionCell(r.provision),
    ],
  }));
  const t = p.totals;
  rows.push({
    // biome-ignore format: one line per group of columns, as the table shows them
    cells: [
      "Total établissement",
      formatCents(t.carryOver.base), String(t.carryOver.months), formatDays4(t.carryOver.remaining),
      formatCents(t.previous.base), String(t.previous.months), formatDays4(t.previous.acquired), formatDays4(t.previous.taken), formatDays4(t.previous.remaining),
      formatCents(t.current.base), String(t.current.months), formatDays4(t.current.acquired), formatDays4(t.current.taken), formatDays4(t.current.remaining),
      formatCents(p.total),
    ],
    bold: true,
    shade: true,
    ruleAbove: true,
  });
  const n = (header: string, width = 5) => ({ header, width, align: "right" as const });
  return renderTablePdf(
    {
      title: "Provision pour congés payés",
      subtitle: [p.company.name, `Date d'arrêté : ${formatDate(p.closingDate)}`, PROVISION_METHOD],
      groups: [
        { label: "", span: 1 },
        { label: `Reliquat au ${formatDate(p.carryOverAsOf)}`, span: 3 },
        { label: `Période du ${formatDate(p.previousPeriod.start)} au ${formatDate(p.previousPeriod.end)}`, span: 5 },
        { label: `Période du ${formatDate(p.currentPeriod.start)} au ${formatDate(p.currentPeriod.end)}`, span: 5 },
        { label: "", span: 1 },
      ],
      // biome-ignore format: one line per group of columns, as the table shows them
      columns: [
        { header: "Salarié", width: 13 },
        n("Base", 9), n("Mois", 4), n("Restants"),
        n("Base", 9), n("Mois", 4), n("Acquis"), n("Pris"), n("Restants"),
        n("Base", 9), n("Mois", 4), n("Acquis"), n("Pris"), n("Restants"),
        n("Provisions", 9),
      ],
      rows,
      notes: [NEGATIVE_NOTE],
      landscape: true,
      date: p.closingDate,
      fontSize: 7,
    },
    fonts,
  );
}

/** The sheet of the `.xlsx` export (written by functions/documents/xlsx.ts). */
export function provisionSheets(p: Provision): Sheet[] {
  const bal = (b: LeaveYearBalance | undefined, withCounts: boolean): Cell[] => {
    if (!b) return withCounts ? [null, null, null, null, null, null] : [null, null, null, null];
    const v = dailyValue(b);
    const head: Cell[] = [money(b.base), int(b.months)];
    const counts: Cell[] = withCounts ? [days4(b.acquired ?? 0), days4(b.taken ?? 0)] : [];
    return [...head, ...counts, days4(b.remaining), v === undefined ? null : money(v)];
  };
  const rows: Row[] = [
    { cells: [`Provision pour congés payés — ${p.company.name}`], bold: true },
    { cells: [`Date d'arrêté : ${formatDate(p.closingDate)}`] },
    { cells: [PROVISION_METHOD] },
    { cells: [] },
    {
      // biome-ignore format: one line per group of columns, as the sheet shows them
      cells: [
        "Matricule", "Salarié",
        "Reliquat base", "Reliquat mois", "Reliquat restants", "Reliquat valeur jour",
        "N-1 base", "N-1 mois", "N-1 acquis", "N-1 pris", "N-1 restants", "N-1 valeur jour",
        "N base", "N mois", "N acquis", "N pris", "N restants", "N valeur jour",
        "Provision",
      ],
      bold: true,
    },
  ];
  for (const r of p.rows) {
    rows.push({ cells: [r.employeeId, r.name ?? "", ...bal(r.carryOver, false), ...bal(r.previous, true), ...bal(r.current, true), money(r.provision)] });
  }
  const t = p.totals;
  rows.push({
    // biome-ignore format: one line per group of columns, as the sheet shows them
    cells: [
      "Total établissement", "",
      money(t.carryOver.base), int(t.carryOver.months), days4(t.carryOver.remaining), null,
      money(t.previous.base), int(t.previous.months), days4(t.previous.acquired), days4(t.previous.taken), days4(t.previous.remaining), null,
      money(t.current.base), int(t.current.months), days4(t.current.acquired), days4(t.current.taken), days4(t.current.remaining), null,
      money(p.total),
    ],
    bold: true,
  });
  rows.push({ cells: [] }, { cells: [NEGATIVE_NOTE] });
  return [{ name: "Provision CP", rows }];
}
