/**
 * The month's absences: the rows of `Absences AAAA-MM`, plus the single absence of the old `Variables` columns read
 * as one more row. Checks what needs the rows together (overlaps, the month's hours, the contract dates) and turns
 * each row into the engine's absence, cut to the month.
 *
 * The hours rule, as a payroll accountant keeps it: `Heures` is the hours of absence IN THIS MONTH. Left blank, it is
 * computed from the contract's schedule — the working days (Monday to Friday, Monaco public holidays and the
 * company's conventional holidays excepted, as they are paid anyway) of the part of the absence inside the month × the daily hours (contract hours × 12 / 52 / 5:
 * 7,80 h for 169 h). An absence spanning two months is cut by date: only its days in this month count, and the
 * engine receives the dates of that part; next month's sheet carries the rest. For a schedule that is not five equal
 * days, type the hours.
 */

import { fromHundredths, toCents, toHundredths } from "../../shared/core/fixed.ts";
import { formatEuros, formatHundredths } from "../../shared/core/format.ts";
import { periodBounds } from "../../shared/core/period.ts";
import { conventionalHolidaySet, workingDays } from "../../shared/rules/calendar.ts";
import type { AbsenceInput } from "../../shared/schema/payslip-input.ts";
import { formatIsoFr } from "./cells.ts";
import { ABSENCE_COLUMNS, ABSENCE_VALUES, type AbsenceType, type ColumnDef, VARIABLE_COLUMNS } from "./columns.ts";
import type { ParsedRow, ParsedTable, SheetIssue } from "./table.ts";

/** Where an absence was typed, and which columns hold its fields there. */
interface Origin {
  table: ParsedTable;
  defs: readonly ColumnDef[];
  keys: { kind: string; from: string; to: string; hours: string; maintien: string };
}

export interface AbsenceEntry {
  id: string;
  origin: Origin;
  row: ParsedRow;
  /** The type as shown in the sheet ("Maladie"), and its kind; undefined when the type is missing. */
  label?: string;
  kind?: AbsenceType;
  /** Dates as entered, and cut to the month. */
  from?: string;
  to?: string;
  monthFrom?: string;
  monthTo?: string;
  /** Hours of this month, in hundredths. */
  hours: number;
  computed: boolean;
  /** Employer's complement in euros. */
  maintien?: number;
}

export type IssueAt = (
  t: ParsedTable,
  defs: readonly ColumnDef[],
  row: ParsedRow,
  key: string,
  code: string,
  severity: SheetIssue["severity"],
  message: string,
) => void;

export interface AbsenceContext {
  period: string;
  table: ParsedTable | undefined;
  variables: ParsedTable | undefined;
  variableRows: ReadonlyMap<string, ParsedRow>;
  employees: ReadonlyMap<string, ParsedRow>;
  issue: IssueAt;
  /** The company's conventional holidays, not scheduled like Monaco's legal ones. */
  conventionalHolidays?: readonly { date: string }[];
}

export interface MonthAbsences {
  byEmployee: Map<string, AbsenceEntry[]>;
  /** Employees with an error on one of their absence rows: they are not computed. */
  blocked: Set<string>;
}

const TABLE_KEYS = { kind: "kind", from: "from", to: "to", hours: "hours", maintien: "maintien" };
const VARIABLE_KEYS = { kind: "absenceKind", from: "absenceFrom", to: "absenceTo", hours: "absenceHours", maintien: "maintien" };

const field = <T>(row: ParsedRow, key: string, type: "number" | "string"): T | undefined => {
  const v = row.fields[key];
  return typeof v === type ? (v as T) : undefined;
};
const num = (row: ParsedRow, key: string) => field<number>(row, key, "number");
const str = (row: ParsedRow, key: string) => field<string>(row, key, "string");
const h = (hundredthsValue: number) => `${formatHundredths(hundredthsValue)} h`;

/**
 * Hours (hundredths) the contract schedules from `from` to `to`: working days × contract hours × 12 / 52 / 5;
 * `conventional`: the company's conventional holidays (shared/rules/calendar.ts conventionalHolidaySet).
 */
export function scheduledHours(from: string, to: string, contractHours: number, conventional?: ReadonlySet<string>): number {
  const n = workingDays(from, to, conventional) * toHundredths(contractHours) * 12;
  const d = 52 * 5;
  return Math.floor((2 * n + d) / (2 * d)); // half-up, in integers
}

function describe(e: AbsenceEntry): string {
  const dates = e.from && e.to ? ` du ${formatIsoFr(e.from)} au ${formatIsoFr(e.to)}` : "";
  return `${e.label ?? "absence"}${dates}`;
}

function where(e: AbsenceEntry, from: AbsenceEntry): string {
  const address = e.row.address[e.origin.keys.from] ?? e.row.address.id ?? "";
  const sheet = e.origin.table.sheet === from.origin.table.sheet ? "" : ` de « ${e.origin.table.sheet} »`;
  return `en ligne ${e.row.row}${sheet} (${address})`;
}

/** The engine takes 31 absences a month at most (shared/schema/payslip-input.ts). */
const MAX_ABSENCES = 31;

export function readAbsences(ctx: AbsenceContext): MonthAbsences {
  const { start, end } = periodBounds(ctx.period);
  const byEmployee = new Map<string, AbsenceEntry[]>();
  const conventional = conventionalHolidaySet(ctx.conventionalHolidays);
  const say = (e: AbsenceEntry, key: keyof Origin["keys"] | "id", code: string, severity: SheetIssue["severity"], message: string) =>
    ctx.issue(e.origin.table, e.origin.defs, e.row, key === "id" ? "id" : e.origin.keys[key], code, severity, message);

  const add = (id: string, origin: Origin, row: ParsedRow) => {
    const k = origin.keys;
    const label = str(row, k.kind);
    const entry: AbsenceEntry = { id, origin, row, hours: 0, computed: false };
    if (label) {
      entry.label = label;
      entry.kind = ABSENCE_VALUES[label as keyof typeof ABSENCE_VALUES];
    }
    const from = str(row, k.from);
    const to = str(row, k.to);
    if (from) entry.from = from;
    if (to) entry.to = to;
    const maintien = num(row, k.maintien);
    if (maintien) entry.maintien = maintien;
    (byEmployee.get(id) ?? byEmployee.set(id, []).get(id)!).push(entry);
    return entry;
  };

  if (ctx.table) {
    const origin: Origin = { table: ctx.table, defs: ABSENCE_COLUMNS, keys: TABLE_KEYS };
    for (const row of ctx.table.rows) {
      const id = str(row, "id");
      if (!id) continue;
      const master = ctx.employees.get(id);
      const e = add(id, origin, row);
      if (!master) {
        say(e, "id", "unknown-employee", "error", `Matricule ${id} absent de la feuille Salariés.`);
        continue;
      }
      checkDates(e, master);
      const { from, to } = e;
      const contract = num(master, "contractHours");
      const scheduled = e.monthFrom && e.monthTo && contract !== undefined ? scheduledHours(e.monthFrom, e.monthTo, contract, conventional) : undefined;
      const typed = num(row, "hours");
      if (typed !== undefined) {
        e.hours = toHundredths(typed);
        const spans = from !== undefined && to !== undefined && (from < start || to > end);
        if (spans && scheduled !== undefined && e.hours > scheduled) {
          say(
            e,
            "hours",
            "absence-hours-span",
            "confirm",
            `${describe(e)} déborde du mois : ${h(e.hours)} saisies alors que le contrat en prévoit ${h(scheduled)} du ${formatIsoFr(e.monthFrom!)} au ${formatIsoFr(e.monthTo!)}. Les heures de la ligne sont celles de ce mois seulement.`,
          );
        }
      } else if (scheduled !== undefined) {
        e.hours = scheduled;
        e.computed = true;
        if (scheduled === 0) {
          say(
            e,
            "hours",
            "absence-no-working-day",
            "warning",
            `Aucun jour ouvré du ${formatIsoFr(e.monthFrom!)} au ${formatIsoFr(e.monthTo!)} : 0 h d'absence. Saisissez les heures si le salarié devait travailler ces jours-là.`,
          );
        }
      }
      if (typed === 0) say(e, "hours", "absence-zero-hours", "warning", `${describe(e)} : 0 h, cette absence ne change pas la paie.`);
      checkMaintien(e);
    }
  }

  // The old single-absence columns of the month's variables: one more row of the table.
  if (ctx.variables) {
    const origin: Origin = { table: ctx.variables, defs: VARIABLE_COLUMNS, keys: VARIABLE_KEYS };
    for (const [id, row] of ctx.variableRows) {
      const hours = num(row, "absenceHours") ?? 0;
      if (hours <= 0) continue;
      const others = byEmployee.get(id)?.length ?? 0;
      const e = add(id, origin, row);
      e.hours = toHundredths(hours);
      const master = ctx.employees.get(id);
      if (master) checkDates(e, master);
      if (others > 0 && (!e.from || !e.to)) {
        say(
          e,
          e.from ? "to" : "from",
          "absence-undated-with-table",
          "error",
          `Absence saisie ici sans dates alors que « ${ctx.table?.sheet ?? ""} » en contient d'autres pour ${id} : indiquez ses dates (Absence du / au) ou saisissez-la dans « ${ctx.table?.sheet ?? ""} ».`,
        );
      }
      if (e.kind === "family-event" && e.maintien) checkMaintien(e);
    }
  }

  for (const id of new Set([...byEmployee.keys(), ...ctx.variableRows.keys()])) {
    const entries = byEmployee.get(id) ?? [];
    const extra = entries[MAX_ABSENCES];
    if (extra)
      say(
        extra,
        "id",
        "too-many-absences",
        "error",
        `Plus de ${MAX_ABSENCES} absences pour ${id} dans le mois : regroupez les jours qui se suivent sur une ligne.`,
      );
    checkOverlaps(entries);
    const master = ctx.employees.get(id);
    if (master) checkTotal(entries, master, ctx.variableRows.get(id));
  }

  const blocked = new Set<string>();
  for (const [id, entries] of byEmployee) if (entries.some((e) => e.row.invalid && e.origin.table === ctx.table)) blocked.add(id);
  return { byEmployee, blocked };

  function checkDates(e: AbsenceEntry, master: ParsedRow) {
    const { from, to } = e;
    if (from && to && to < from) {
      // The old columns already say it (range-reversed in the builder).
      if (e.origin.table === ctx.table) say(e, "to", "range-reversed", "error", `Au (${formatIsoFr(to)}) avant Du (${formatIsoFr(from)}).`);
      return;
    }
    if (e.origin.table === ctx.table) {
      if (to && to < start)
        return say(
          e,
          "to",
          "date-outside-period",
          "error",
          `Absence terminée le ${formatIsoFr(to)}, avant le mois ${ctx.period} : elle appartient à un autre mois.`,
        );
      if (from && from > end)
        return say(
          e,
          "from",
          "date-outside-period",
          "error",
          `Absence commençant le ${formatIsoFr(from)}, après le mois ${ctx.period} : elle appartient à un autre mois.`,
        );
    }
    const hire = str(master, "hireDate");
    const vrow = ctx.variableRows.get(e.id);
    const exit = (vrow && str(vrow, "exitDate")) ?? str(master, "exitDate");
    if (hire && from && from < hire)
      say(e, "from", "absence-before-hire", "error", `${describe(e)} : commence avant l'entrée du salarié le ${formatIsoFr(hire)}.`);
    if (exit && to && to > exit) say(e, "to", "absence-after-exit", "error", `${describe(e)} : se termine après la sortie du salarié le ${formatIsoFr(exit)}.`);
    if (from && to && to >= start && from <= end) {
      e.monthFrom = from > start ? from : start;
      e.monthTo = to < end ? to : end;
    }
  }

  function checkMaintien(e: AbsenceEntry) {
    if (!e.maintien) return;
    if (e.kind === "family-event") {
      say(
        e,
        "maintien",
        "maintien-family-event",
        "error",
        `Maintien de ${formatEuros(toCents(e.maintien))} sans objet : un événement familial est payé sans retenue.`,
      );
    } else if (e.hours === 0) {
      say(e, "maintien", "maintien-without-hours", "error", `Maintien de ${formatEuros(toCents(e.maintien))} sans heures d'absence.`);
    }
  }

  function checkOverlaps(entries: AbsenceEntry[]) {
    const dated = entries
      .filter((e) => e.from && e.to && e.from <= e.to)
      .sort((a, b) => (a.from! < b.from! ? -1 : a.from! > b.from! ? 1 : a.row.row - b.row.row));
    for (let j = 1; j < dated.length; j++) {
      const b = dated[j]!;
      for (let i = 0; i < j; i++) {
        const a = dated[i]!;
        if (a.from! <= b.to! && b.from! <= a.to!) {
          say(
            b,
            "from",
            "absence-overlap",
            "error",
            `${describe(b)} chevauche ${describe(a)} ${where(a, b)} : une journée ne peut compter que pour une absence.`,
          );
        }
      }
    }
  }

  function checkTotal(entries: AbsenceEntry[], master: ParsedRow, vrow: ParsedRow | undefined) {
    const contract = num(master, "contractHours");
    if (contract === undefined) return;
    const limit = toHundredths(contract);
    const leave = vrow ? toHundredths(num(vrow, "paidLeaveHours") ?? 0) : 0;
    // The old columns first (their row comes first in the sheets' order), then the table in row order.
    const ordered = [...entries].sort((a, b) => (a.origin.table === b.origin.table ? a.row.row - b.row.row : a.origin.table === ctx.variables ? -1 : 1));
    const absent = ordered.reduce((s, e) => s + e.hours, 0);
    if (absent + leave <= limit) return;
    const message =
      leave > 0
        ? `Absences du mois (${h(absent)}) + congés payés (${h(leave)}) = ${h(absent + leave)} : au-delà des ${h(limit)} du contrat.`
        : `Absences du mois : ${h(absent)}, au-delà des ${h(limit)} du contrat.`;
    let running = leave;
    const over = ordered.find((e) => (running += e.hours) > limit) ?? ordered.at(-1);
    if (over) say(over, "hours", "hours-over-contract", "error", message);
    else if (vrow && ctx.variables) ctx.issue(ctx.variables, VARIABLE_COLUMNS, vrow, "paidLeaveHours", "hours-over-contract", "error", message);
  }
}

/** The entries the engine receives, in its order (date, then row): the paid family events and empty rows make none. */
export function engineAbsenceEntries(entries: readonly AbsenceEntry[]): AbsenceEntry[] {
  const at = (e: AbsenceEntry) => e.monthFrom ?? e.from ?? "";
  return entries
    .filter((e) => e.kind && e.kind !== "family-event" && e.hours > 0)
    .sort((x, y) => (at(x) < at(y) ? -1 : at(x) > at(y) ? 1 : x.row.row - y.row.row));
}

/** The engine's absences for one employee, in the order of engineAbsenceEntries (origins.ts maps them back). */
export function toEngineAbsences(entries: readonly AbsenceEntry[]): AbsenceInput[] {
  return engineAbsenceEntries(entries).map((e) => {
    const a: AbsenceInput = { kind: e.kind as AbsenceInput["kind"], hours: fromHundredths(e.hours) };
    const from = e.monthFrom ?? e.from;
    const to = e.monthTo ?? e.to;
    if (from) a.from = from;
    if (to) a.to = to;
    if (e.maintien) a.complement = e.maintien;
    return a;
  });
}
