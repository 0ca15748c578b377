/**
 * From the raw values of the month's sheets to engine inputs and issues. Pure: the Excel adapter reads the sheets,
 * this decides. Business checks here are the ones that need the workbook's shape (rows, duplicates, other sheets,
 * last month); the engine's validator re-checks each input on its own.
 */

import type { CarryInput } from "../../shared/core/carry.ts";
import { divRound, toCents, toHundredths } from "../../shared/core/fixed.ts";
import { formatEuros, formatNumber } from "../../shared/core/format.ts";
import { periodBounds } from "../../shared/core/period.ts";
import { resolveParameter } from "../../shared/rates/parameters.ts";
import { completenessIssues, type StaffRow } from "../../shared/schema/master-data.ts";
import type { CompanyInput, EmployeeInput, ExtraLineInput, PayslipInput, VariablesInput } from "../../shared/schema/payslip-input.ts";
import { type AbsenceEntry, type IssueAt, type MonthAbsences, readAbsences, toEngineAbsences } from "./absences.ts";
import { formatIsoFr, shorten } from "./cells.ts";
import {
  ABSENCE_COLUMNS,
  ALLOWANCE_VALUES,
  BONUS_VALUES,
  CATEGORY_VALUES,
  type ColumnDef,
  EMPLOYEE_COLUMNS,
  LINE_COLUMNS,
  RECALL_COLUMNS,
  VARIABLE_COLUMNS,
} from "./columns.ts";
import { type InputOrigins, inputOrigins } from "./origins.ts";
import { EMPLOYEES_SHEET, previousPeriod, variablesSheet } from "./period.ts";
import { type MonthRecalls, readRecalls } from "./recalls.ts";
import { parseRemarks, type RemarkFinding } from "./remarks.ts";
import { type MonthReprise, readReprise } from "./reprise.ts";
import { type ParsedRow, type ParsedTable, parseTable, type SheetData, type SheetIssue } from "./table.ts";

export interface WorkbookSnapshot {
  period: string;
  employees: SheetData | null;
  variables: SheetData | null;
  previousVariables?: SheetData | null;
  lines?: SheetData | null;
  /** `Absences AAAA-MM`: absent in workbooks prepared before the sheet existed (the old columns still work). */
  absences?: SheetData | null;
  recalls?: SheetData | null;
  company?: CompanyInput;
  /** The company's CCSS employer number when the server is known ("" when it has none); undefined: not checked. */
  employerNumber?: string;
  /** Last month's year-to-date state per matricule. */
  carries?: ReadonlyMap<string, CarryInput>;
  /** `Reprise`: the opening state of a company taken over mid-year, for employees without last month's carry. */
  reprise?: SheetData | null;
}

export interface EmployeeRef {
  id: string;
  name: string;
  /** Where the employee's row is, for "go to" links. */
  employeeRow?: { sheet: string; row: number; address: string };
  variablesRow?: { sheet: string; row: number; address: string };
}

export interface MonthBuild {
  period: string;
  inputs: PayslipInput[];
  issues: SheetIssue[];
  employees: EmployeeRef[];
  /** The `Salariés` rows of the employees in `inputs`, submitted with the month (shared/schema/master-data.ts). */
  staff: StaffRow[];
  /** Per matricule, the cell each field of its input came from (engine issues are shown on it). */
  origins: Record<string, InputOrigins>;
}

/** Relative move above which a variable is a case to confirm (the firm's rule, original-system.md §1.4). */
export const MOVE_THRESHOLD = 0.15;
/** Variables compared with last month. */
export const MONITORED: readonly string[] = [
  "paidLeaveHours",
  "absenceHours",
  "bonus",
  "overtime125",
  "overtime150",
  "holidayHours",
  "sundayHours",
  "mealTickets",
  "housing",
  "car",
  "meals",
  "deposit",
  "advance",
];
/** Remark kinds that may explain a move of a given variable (mentioned in the case, never used to hide it). */
const EXPLAINS: Record<string, readonly string[]> = {
  bonus: ["bonus", "salary-change"],
  absenceHours: ["sick", "unpaid-leave", "range", "entry", "exit"],
  paidLeaveHours: ["range"],
  mealTickets: ["sick", "unpaid-leave", "range", "entry", "exit"],
};

const DAY_HOURS_LIMIT = 744; // 31 days × 24 h: no month holds more hours.

function header(defs: readonly ColumnDef[], key: string): string {
  return defs.find((d) => d.key === key)?.header ?? key;
}

function num(row: ParsedRow, key: string): number | undefined {
  const v = row.fields[key];
  return typeof v === "number" ? v : undefined;
}
function str(row: ParsedRow, key: string): string | undefined {
  const v = row.fields[key];
  return typeof v === "string" ? v : undefined;
}
function bool(row: ParsedRow, key: string): boolean | undefined {
  const v = row.fields[key];
  return typeof v === "boolean" ? v : undefined;
}

/** The SMIC in force at the end of the month (the engine's own dated parameter); only used for a warning. */
function smicHourly(date: string): number | undefined {
  const r = resolveParameter("smic.hourly", date);
  return r.kind === "value" && typeof r.resolved.value === "number" ? r.resolved.value : undefined;
}

function missingSheet(name: string, required: boolean): SheetIssue {
  return {
    sheet: name,
    row: 0,
    column: "",
    address: "",
    code: "missing-sheet",
    severity: required ? "error" : "warning",
    message: required ? `Feuille « ${name} » introuvable : lancez « Préparer ».` : `Feuille « ${name} » introuvable.`,
  };
}

/** The month's sheets, parsed, and what every step below shares: the issues found so far and the matricules' rows. */
interface Month {
  snapshot: WorkbookSnapshot;
  period: string;
  start: string;
  end: string;
  varSheet: string;
  issues: SheetIssue[];
  /** Records an issue on a cell; an error marks its row invalid (not computed). */
  issue: IssueAt;
  emp: ParsedTable | undefined;
  vars: ParsedTable | undefined;
  lines: ParsedTable | undefined;
  absenceTable: ParsedTable | undefined;
  recallTable: ParsedTable | undefined;
  prev: ParsedTable | undefined;
  /** The first `Salariés` / `Variables` row of each matricule. */
  employees: Map<string, ParsedRow>;
  variables: Map<string, ParsedRow>;
}

/** The `Lignes` rows kept, per matricule: the engine's extra lines and the rows they came from (same order). */
interface MonthLines {
  extra: Map<string, ExtraLineInput[]>;
  rows: Map<string, ParsedRow[]>;
}

type AbsencesOf = (id: string) => readonly AbsenceEntry[];

/**
 * The month's inputs from the workbook, in steps whose order is the order of the issues: the sheets, Salariés,
 * Variables, Absences, Reprise, Lignes, the cases to confirm (remarks, last month), completeness, then the inputs.
 */
export function buildMonth(snapshot: WorkbookSnapshot): MonthBuild {
  const m = readMonth(snapshot);
  readEmployees(m);
  readVariables(m);
  const absences = readAbsences({
    period: m.period,
    table: m.absenceTable,
    variables: m.vars,
    variableRows: m.variables,
    employees: m.employees,
    issue: m.issue,
    ...(snapshot.company?.conventionalHolidays ? { conventionalHolidays: snapshot.company.conventionalHolidays } : {}),
  });
  const absencesOf: AbsencesOf = (id) => absences.byEmployee.get(id) ?? [];
  const reprise = snapshot.reprise
    ? readReprise({ period: m.period, data: snapshot.reprise, known: new Set(m.employees.keys()), carried: new Set(snapshot.carries?.keys() ?? []) })
    : undefined;
  if (reprise) m.issues.push(...reprise.issues);
  warnWithoutVariables(m);
  const lines = readLines(m);
  const recalls = readRecalls({ period: m.period, table: m.recallTable, employees: m.employees, issue: m.issue });
  const remarkFindings = confirmRemarks(m, absencesOf, lines);
  compareWithLastMonth(m, remarkFindings);
  const staffRows = checkCompleteness(m);
  return assembleInputs(m, { absences, absencesOf, reprise, lines, recalls, staffRows });
}

/** Parses the sheets (their own issues first) and makes the month's shared state. */
function readMonth(snapshot: WorkbookSnapshot): Month {
  const { period } = snapshot;
  const { start, end } = periodBounds(period);
  const issues: SheetIssue[] = [];
  const varSheet = variablesSheet(period);

  if (!snapshot.employees) issues.push(missingSheet(EMPLOYEES_SHEET, true));
  if (!snapshot.variables) issues.push(missingSheet(varSheet, true));
  const emp = snapshot.employees ? parseTable(snapshot.employees, EMPLOYEE_COLUMNS) : undefined;
  const vars = snapshot.variables ? parseTable(snapshot.variables, VARIABLE_COLUMNS) : undefined;
  const lines = snapshot.lines ? parseTable(snapshot.lines, LINE_COLUMNS) : undefined;
  const absenceTable = snapshot.absences ? parseTable(snapshot.absences, ABSENCE_COLUMNS) : undefined;
  const recallTable = snapshot.recalls ? parseTable(snapshot.recalls, RECALL_COLUMNS) : undefined;
  const prev = snapshot.previousVariables ? parseTable(snapshot.previousVariables, VARIABLE_COLUMNS) : undefined;
  for (const t of [emp, vars, lines, absenceTable, recallTable]) if (t) issues.push(...t.issues);

  const issue = (t: ParsedTable, defs: readonly ColumnDef[], row: ParsedRow, key: string, code: string, severity: SheetIssue["severity"], message: string) => {
    const i: SheetIssue = {
      sheet: t.sheet,
      row: row.row,
      column: key ? header(defs, key) : "",
      address: row.address[key] ?? row.address.id ?? "",
      code,
      severity,
      message,
    };
    const id = str(row, "id");
    if (id) i.employeeId = id;
    issues.push(i);
    if (severity === "error") row.invalid = true;
  };
  return {
    snapshot,
    period,
    start,
    end,
    varSheet,
    issues,
    issue,
    emp,
    vars,
    lines,
    absenceTable,
    recallTable,
    prev,
    employees: new Map(),
    variables: new Map(),
  };
}

/** `Salariés`: one row per matricule, each checked on its own. */
function readEmployees(m: Month): void {
  const { emp, employees, issue } = m;
  if (!emp) return;
  for (const row of emp.rows) {
    const id = str(row, "id");
    if (!id) continue;
    const first = employees.get(id);
    if (first) {
      issue(emp, EMPLOYEE_COLUMNS, row, "id", "duplicate-id", "error", `Matricule ${id} en double (déjà ligne ${first.row}).`);
      first.invalid = true;
      continue;
    }
    employees.set(id, row);
    checkEmployeeRow(m, emp, row);
  }
}

function checkEmployeeRow(m: Month, emp: ParsedTable, row: ParsedRow): void {
  const { issue, end } = m;
  const hire = str(row, "hireDate");
  const exit = str(row, "exitDate");
  if (hire && exit && exit < hire)
    issue(
      emp,
      EMPLOYEE_COLUMNS,
      row,
      "exitDate",
      "exit-before-hire",
      "error",
      `Date de sortie (${formatIsoFr(exit)}) antérieure à la date d'entrée (${formatIsoFr(hire)}).`,
    );
  const birth = str(row, "birthDate");
  if (birth && hire) {
    const age = Number(hire.slice(0, 4)) - Number(birth.slice(0, 4));
    if (age < 14 || age > 90)
      issue(emp, EMPLOYEE_COLUMNS, row, "birthDate", "implausible-age", "warning", `Âge à l'entrée de ${age} ans : vérifiez la date de naissance.`);
  }
  const ccss = str(row, "ccss")?.replace(/\s+/g, "");
  if (ccss && !/^[0-9A-Za-z]{1,20}$/.test(ccss))
    issue(emp, EMPLOYEE_COLUMNS, row, "ccss", "bad-ccss-number", "error", `N° CCSS « ${shorten(ccss)} » : chiffres et lettres seulement.`);
  const rate = num(row, "seniorityRate");
  const base = row.fields.seniorityBase;
  if (rate !== undefined && rate > 0 && base === undefined)
    issue(
      emp,
      EMPLOYEE_COLUMNS,
      row,
      "seniorityBase",
      "seniority-base-missing",
      "error",
      "Prime d'ancienneté : taux saisi sans base (SMIC, Salaire ou montant).",
    );
  if (base !== undefined && rate === undefined)
    issue(emp, EMPLOYEE_COLUMNS, row, "seniorityRate", "seniority-rate-missing", "error", "Prime d'ancienneté : base saisie sans taux.");
  if (str(row, "teleworkCountry") && bool(row, "telework") === false)
    issue(emp, EMPLOYEE_COLUMNS, row, "teleworkCountry", "telework-country", "warning", "Pays de télétravail renseigné alors que Télétravail = Non.");
  const salary = num(row, "monthlySalary");
  const hours = num(row, "contractHours");
  const smic = smicHourly(end);
  if (salary !== undefined && hours !== undefined && hours > 0 && smic !== undefined && salary / hours < smic - 1e-9) {
    issue(
      emp,
      EMPLOYEE_COLUMNS,
      row,
      "monthlySalary",
      "below-smic",
      "warning",
      `Taux horaire ${formatEuros(divRound(toCents(salary) * 100, toHundredths(hours)))} inférieur au SMIC (${formatNumber(smic)} €/h) : à vérifier.`,
    );
  }
  if (hours === 0 && salary !== undefined && salary > 0)
    issue(emp, EMPLOYEE_COLUMNS, row, "contractHours", "zero-hours", "error", "Heures contrat à 0 avec un salaire : le taux horaire serait infini.");
}

/** `Variables AAAA-MM`: one row per matricule of `Salariés`, its dates and its amounts checked. */
function readVariables(m: Month): void {
  const { vars, variables, employees, emp, issue } = m;
  if (!vars) return;
  for (const row of vars.rows) {
    const id = str(row, "id");
    if (!id) continue;
    const first = variables.get(id);
    if (first) {
      issue(vars, VARIABLE_COLUMNS, row, "id", "duplicate-id", "error", `Matricule ${id} en double (déjà ligne ${first.row}).`);
      first.invalid = true;
      continue;
    }
    variables.set(id, row);
    const master = employees.get(id);
    if (emp && !master) {
      issue(vars, VARIABLE_COLUMNS, row, "id", "unknown-employee", "error", `Matricule ${id} absent de la feuille ${EMPLOYEES_SHEET}.`);
      continue;
    }
    checkVariableDates(m, vars, row, master);
    checkVariableAmounts(m, vars, row, master);
  }
}

/** Exit date against the period and `Salariés`, hire and exit against the month, leave and absence ranges. */
function checkVariableDates(m: Month, vars: ParsedTable, row: ParsedRow, master: ParsedRow | undefined): void {
  const { issue, start, end, period } = m;
  const hire = master && str(master, "hireDate");
  const masterExit = master && str(master, "exitDate");
  const exit = str(row, "exitDate");
  if (exit && (exit < start || exit > end))
    issue(
      vars,
      VARIABLE_COLUMNS,
      row,
      "exitDate",
      "exit-outside-period",
      "error",
      `Date de sortie ${formatIsoFr(exit)} hors de la période ${formatIsoFr(start)} – ${formatIsoFr(end)}.`,
    );
  if (exit && masterExit && exit !== masterExit)
    issue(
      vars,
      VARIABLE_COLUMNS,
      row,
      "exitDate",
      "exit-mismatch",
      "error",
      `Date de sortie ${formatIsoFr(exit)} différente de celle de ${EMPLOYEES_SHEET} (${formatIsoFr(masterExit)}).`,
    );
  if (exit && hire && exit < hire)
    issue(vars, VARIABLE_COLUMNS, row, "exitDate", "exit-before-hire", "error", `Date de sortie antérieure à la date d'entrée (${formatIsoFr(hire)}).`);
  if (hire && hire > end)
    issue(
      vars,
      VARIABLE_COLUMNS,
      row,
      "id",
      "hired-after-period",
      "error",
      `Entrée le ${formatIsoFr(hire)}, après la fin du mois : ce salarié n'a pas de paie en ${period}.`,
    );
  if (masterExit && masterExit < start)
    issue(vars, VARIABLE_COLUMNS, row, "id", "left-before-period", "error", `Sorti le ${formatIsoFr(masterExit)}, avant le début du mois.`);

  for (const [fromKey, toKey] of [
    ["paidLeaveFrom", "paidLeaveTo"],
    ["absenceFrom", "absenceTo"],
  ] as const) {
    const from = str(row, fromKey);
    const to = str(row, toKey);
    if (from && to && to < from)
      issue(
        vars,
        VARIABLE_COLUMNS,
        row,
        toKey,
        "range-reversed",
        "error",
        `${header(VARIABLE_COLUMNS, toKey)} (${formatIsoFr(to)}) avant ${header(VARIABLE_COLUMNS, fromKey)} (${formatIsoFr(from)}).`,
      );
    for (const [key, d] of [
      [fromKey, from],
      [toKey, to],
    ] as const) {
      // A leave may start the month before; it cannot lie wholly outside the month it is paid in.
      if (d && (d > end || (key === toKey && d < start)))
        issue(vars, VARIABLE_COLUMNS, row, key, "date-outside-period", "error", `${header(VARIABLE_COLUMNS, key)} ${formatIsoFr(d)} hors du mois ${period}.`);
    }
  }
}

/** The old absence columns, paid leave, bonus and the month's hours. */
function checkVariableAmounts(m: Month, vars: ParsedTable, row: ParsedRow, master: ParsedRow | undefined): void {
  const { issue } = m;
  const absenceHours = num(row, "absenceHours") ?? 0;
  const kind = str(row, "absenceKind");
  if (absenceHours > 0 && !kind) issue(vars, VARIABLE_COLUMNS, row, "absenceKind", "absence-kind-missing", "error", "Heures d'absence sans type d'absence.");
  if (kind && absenceHours === 0)
    issue(vars, VARIABLE_COLUMNS, row, "absenceHours", "absence-hours-missing", "warning", `Type d'absence « ${kind} » sans heures d'absence.`);
  if ((num(row, "maintien") ?? 0) > 0 && absenceHours === 0)
    issue(vars, VARIABLE_COLUMNS, row, "maintien", "maintien-without-absence", "error", "Maintien de salaire sans absence.");
  const leaveHours = num(row, "paidLeaveHours") ?? 0;
  const leaveDays = num(row, "paidLeaveDays");
  if (leaveHours > 0 && leaveDays === undefined)
    issue(vars, VARIABLE_COLUMNS, row, "paidLeaveDays", "leave-days-missing", "error", "Heures de congés payés sans nombre de jours CP : saisissez les jours.");
  const bonus = num(row, "bonus");
  if (bonus !== undefined && bonus !== 0 && !str(row, "bonusKind"))
    issue(vars, VARIABLE_COLUMNS, row, "bonusKind", "bonus-kind-missing", "error", "Prime sans type de prime.");
  const contract = master ? num(master, "contractHours") : undefined;
  const worked = (contract ?? 0) + ["overtime125", "overtime150", "holidayHours", "sundayHours"].reduce((s, k) => s + (num(row, k) ?? 0), 0);
  if (worked > DAY_HOURS_LIMIT)
    issue(
      vars,
      VARIABLE_COLUMNS,
      row,
      "overtime125",
      "impossible-hours",
      "error",
      `${worked} heures dans le mois : impossible (${DAY_HOURS_LIMIT} h au plus).`,
    );
}

// Active employees with no row this month are still paid their salary: say so rather than skip them.
function warnWithoutVariables(m: Month): void {
  const { emp, vars, employees, variables, issue, start, end, varSheet } = m;
  if (emp && vars) {
    for (const [id, row] of employees) {
      if (variables.has(id)) continue;
      const hire = str(row, "hireDate");
      const exit = str(row, "exitDate");
      if (hire && hire <= end && (!exit || exit >= start)) {
        issue(emp, EMPLOYEE_COLUMNS, row, "id", "no-variables", "warning", `Salarié actif sans ligne dans « ${varSheet} » : il sera payé sans variables.`);
      }
    }
  }
}

/** `Lignes AAAA-MM`: each row checked; the valid ones become the employee's extra lines. */
function readLines(m: Month): MonthLines {
  const { lines, employees, issue } = m;
  const extra = new Map<string, ExtraLineInput[]>();
  const extraRows = new Map<string, ParsedRow[]>();
  if (lines) {
    for (const row of lines.rows) {
      const id = str(row, "id");
      const code = str(row, "code")?.toUpperCase();
      if (!id || !code) continue;
      if (!employees.has(id)) issue(lines, LINE_COLUMNS, row, "id", "unknown-employee", "error", `Matricule ${id} absent de la feuille ${EMPLOYEES_SHEET}.`);
      if (!/^[0-9A-Z]{3,6}$/.test(code))
        issue(lines, LINE_COLUMNS, row, "code", "unknown-code", "error", `Code rubrique « ${shorten(code)} » invalide (3 à 6 chiffres ou lettres).`);
      const amount = num(row, "amount");
      const quantity = num(row, "quantity");
      if (amount === undefined && quantity === undefined) issue(lines, LINE_COLUMNS, row, "amount", "line-empty", "error", "Ligne sans montant ni quantité.");
      if (row.invalid) continue;
      const line: ExtraLineInput = { code };
      const label = str(row, "label");
      if (label) line.label = label;
      if (amount !== undefined) line.amount = amount;
      if (quantity !== undefined) line.quantity = quantity;
      const rate = num(row, "rate");
      if (rate !== undefined) line.rate = rate;
      extra.set(id, [...(extra.get(id) ?? []), line]);
      extraRows.set(id, [...(extraRows.get(id) ?? []), row]);
    }
  }
  return { extra, rows: extraRows };
}

/** The month's remarks, read and confirmed against what is typed; the findings per matricule (for last month's moves). */
function confirmRemarks(m: Month, absencesOf: AbsencesOf, lines: MonthLines): Map<string, RemarkFinding[]> {
  const { vars, variables, employees, period } = m;
  const remarkFindings = new Map<string, RemarkFinding[]>();
  if (vars) {
    for (const [id, row] of variables) {
      const text = str(row, "remarks");
      if (!text) continue;
      const findings = parseRemarks(text, period);
      remarkFindings.set(id, findings);
      const master = employees.get(id);
      for (const f of findings) confirmRemark(m, absencesOf, lines, f, row, master);
    }
  }
  return remarkFindings;
}

function confirmRemark(m: Month, absencesOf: AbsencesOf, lines: MonthLines, f: RemarkFinding, row: ParsedRow, master: ParsedRow | undefined): void {
  const { vars, issue } = m;
  const extra = lines.extra;
  const kindsOf = (r: ParsedRow): string[] => absencesOf(str(r, "id") ?? "").map((a) => a.label ?? "");
  if (!vars) return;
  const say = (message: string, key = "remarks") =>
    issue(vars, VARIABLE_COLUMNS, row, key, `remark-${f.kind}`, "confirm", `Remarque « ${shorten(f.excerpt)} » : ${message}`);
  const hire = master && str(master, "hireDate");
  const exit = str(row, "exitDate") ?? (master && str(master, "exitDate"));
  switch (f.kind) {
    case "entry": {
      const d = f.dates[0];
      if (!d) say(`vérifiez la date d'entrée${hire ? ` (${formatIsoFr(hire)} dans ${EMPLOYEES_SHEET})` : ""}.`);
      else if (d !== hire) say(`entrée le ${formatIsoFr(d)} alors que ${EMPLOYEES_SHEET} indique ${hire ? formatIsoFr(hire) : "aucune date"}.`);
      break;
    }
    case "exit": {
      const d = f.dates[0];
      if (!exit) say(d ? `sortie le ${formatIsoFr(d)} mais aucune date de sortie saisie.` : "sortie mentionnée mais aucune date de sortie saisie.", "exitDate");
      else if (d && d !== exit) say(`sortie le ${formatIsoFr(d)} alors que la date de sortie saisie est ${formatIsoFr(exit)}.`, "exitDate");
      break;
    }
    case "salary-change":
      say(
        `vérifiez le salaire mensuel dans ${EMPLOYEES_SHEET}${master && num(master, "monthlySalary") !== undefined ? ` (${formatEuros(toCents(num(master, "monthlySalary")!))})` : ""} : il n'est pas modifié automatiquement.`,
      );
      break;
    case "bonus":
      if (!num(row, "bonus") && !extra.has(str(row, "id") ?? "")) say("une prime est mentionnée mais aucune prime n'est saisie.", "bonus");
      break;
    case "range": {
      const [from, to] = f.dates;
      const pairs = [...absencesOf(str(row, "id") ?? "").map((a) => [a.from, a.to]), [str(row, "paidLeaveFrom"), str(row, "paidLeaveTo")]];
      if (from && to && !pairs.some(([a, b]) => a === from && b === to)) {
        say(`période du ${formatIsoFr(from)} au ${formatIsoFr(to)} : elle ne correspond à aucune absence ni aucun congé saisi.`);
      }
      break;
    }
    case "unpaid-leave":
      if (!kindsOf(row).includes("Congé sans solde")) say("congé sans solde mentionné : vérifiez le type et les heures d'absence.", "absenceKind");
      break;
    case "sick":
      if (!kindsOf(row).some((k) => k === "Maladie" || k === "Accident du travail"))
        say("arrêt mentionné : vérifiez le type et les heures d'absence.", "absenceKind");
      break;
    case "prorata":
      say("prorata mentionné : saisissez la date d'entrée ou de sortie, le calcul fait le prorata.");
      break;
  }
}

/** Last month's `Variables`: who appears or disappears, and the monitored variables that moved, are cases to confirm. */
function compareWithLastMonth(m: Month, remarkFindings: ReadonlyMap<string, RemarkFinding[]>): void {
  const { vars, prev, variables, employees, issue, issues, start, period, varSheet } = m;
  if (!vars || !prev) return;
  const previous = new Map<string, ParsedRow>();
  for (const row of prev.rows) {
    const id = str(row, "id");
    if (id && !previous.has(id)) previous.set(id, row);
  }
  for (const [id, row] of variables) {
    const before = previous.get(id);
    if (!before) {
      const hire = employees.get(id) && str(employees.get(id)!, "hireDate");
      if (!hire || hire < start)
        issue(
          vars,
          VARIABLE_COLUMNS,
          row,
          "id",
          "new-this-month",
          "confirm",
          `Absent de « ${variablesSheet(previousPeriod(period))} » et entré avant ce mois : à confirmer.`,
        );
      continue;
    }
    const kinds = (remarkFindings.get(id) ?? []).map((f) => f.kind);
    for (const key of MONITORED) {
      const cur = num(row, key) ?? 0;
      const old = num(before, key) ?? 0;
      if (cur === old) continue;
      const label = header(VARIABLE_COLUMNS, key);
      const hint = (EXPLAINS[key] ?? []).some((k) => kinds.includes(k as RemarkFinding["kind"])) ? " La remarque du mois peut l'expliquer." : "";
      if (old === 0) {
        issue(vars, VARIABLE_COLUMNS, row, key, "move-from-zero", "confirm", `${label} : ${formatNumber(cur)} ce mois, 0 le mois précédent.${hint}`);
        continue;
      }
      const ratio = cur / old;
      const move = Math.abs(ratio - 1);
      if (move <= MOVE_THRESHOLD + 1e-12) continue;
      const typo = (ratio >= 9.5 && ratio <= 10.5) || (ratio >= 0.095 && ratio <= 0.105) ? " Erreur de saisie d'un facteur 10 ?" : "";
      issue(
        vars,
        VARIABLE_COLUMNS,
        row,
        key,
        "large-move",
        "confirm",
        `${label} : ${formatNumber(cur)} contre ${formatNumber(old)} le mois précédent (${ratio > 1 ? "+" : "−"}${Math.round(move * 100)} %).${typo}${hint}`,
      );
    }
  }
  for (const [id, before] of previous) {
    if (variables.has(id)) continue;
    const master = employees.get(id);
    const exit = (master && str(master, "exitDate")) ?? str(before, "exitDate");
    if (!exit || exit >= start) {
      issues.push({
        sheet: prev.sheet,
        row: before.row,
        column: "Matricule",
        address: before.address.id ?? "",
        code: "missing-this-month",
        severity: "confirm",
        employeeId: id,
        message: `Matricule ${id} présent le mois précédent, absent de « ${varSheet} » sans date de sortie : à confirmer.`,
      });
    }
  }
}

/** What the run will need (checked again at Submit): the staff rows of the month's employees and their gaps. */
function checkCompleteness(m: Month): Map<string, StaffRow> {
  const { emp, employees, variables, issue, issues, start, end, period, snapshot } = m;
  const staffRows = new Map<string, StaffRow>();
  for (const [id, master] of employees) {
    const vrow = variables.get(id);
    const hire = str(master, "hireDate");
    const exit = (vrow && str(vrow, "exitDate")) ?? str(master, "exitDate");
    if (!hire || hire > end || (exit && exit < start)) continue;
    staffRows.set(id, toStaffRow(master, exit));
  }
  for (const c of completenessIssues([...staffRows.values()], { period, employerNumber: snapshot.employerNumber })) {
    const master = c.employeeId ? employees.get(c.employeeId) : undefined;
    if (master && emp) {
      const key = c.field === "ccssNumber" ? "ccss" : c.field;
      issue(emp, EMPLOYEE_COLUMNS, master, key, `missing-${c.field}`, c.severity, c.detail);
    } else issues.push({ sheet: "", row: 0, column: c.column, address: "", code: `missing-${c.field}`, severity: c.severity, message: c.message });
  }
  return staffRows;
}

/** One input per active employee whose rows are valid, with its staff row and the cells its fields came from. */
function assembleInputs(
  m: Month,
  read: {
    absences: MonthAbsences;
    absencesOf: AbsencesOf;
    reprise: MonthReprise | undefined;
    lines: MonthLines;
    recalls: MonthRecalls;
    staffRows: ReadonlyMap<string, StaffRow>;
  },
): MonthBuild {
  const { snapshot, period, start, end, issues, emp, vars, lines, employees, variables } = m;
  const { absences, absencesOf, reprise, recalls, staffRows } = read;
  const { extra, rows: extraRows } = read.lines;
  const inputs: PayslipInput[] = [];
  const staff: StaffRow[] = [];
  const refs: EmployeeRef[] = [];
  const origins: Record<string, InputOrigins> = {};
  for (const [id, master] of employees) {
    const vrow = variables.get(id);
    const hire = str(master, "hireDate");
    const exit = (vrow && str(vrow, "exitDate")) ?? str(master, "exitDate");
    if (!hire || hire > end || (exit && exit < start)) continue;
    const name = [str(master, "lastName"), str(master, "firstName")].filter(Boolean).join(" ");
    const ref: EmployeeRef = { id, name, employeeRow: { sheet: EMPLOYEES_SHEET, row: master.row, address: master.address.id ?? "" } };
    if (vrow && vars) ref.variablesRow = { sheet: vars.sheet, row: vrow.row, address: vrow.address.id ?? "" };
    refs.push(ref);
    const lineIssues = issues.some((i) => i.severity === "error" && i.employeeId === id && i.sheet === lines?.sheet);
    if (master.invalid || vrow?.invalid || lineIssues || absences.blocked.has(id) || recalls.blocked.has(id) || reprise?.blocked.has(id)) continue;
    const input: PayslipInput = {
      period,
      company: snapshot.company ?? {},
      employee: toEmployee(master, exit),
    };
    const v = toVariables(vrow, extra.get(id), toEngineAbsences(absencesOf(id)), recalls.byEmployee.get(id));
    if (v) input.variables = v;
    const carry = snapshot.carries?.get(id) ?? reprise?.carries.get(id);
    if (carry) input.carry = carry;
    inputs.push(input);
    staff.push(staffRows.get(id)!);
    if (emp)
      origins[id] = inputOrigins({
        input,
        employees: emp,
        master,
        variables: vars,
        vrow,
        lines,
        lineRows: extraRows.get(id) ?? [],
        absences: absencesOf(id),
        recalls: m.recallTable,
        recallRows: recalls.rows.get(id) ?? [],
      });
  }
  return { period, inputs, issues, employees: refs, staff, origins };
}

/** The row as the server stores it with the version; `exit` is the month's exit date (Variables or Salariés). */
function toStaffRow(row: ParsedRow, exit: string | undefined): StaffRow {
  const s: StaffRow = { employeeId: str(row, "id")!, row: row.row, lastName: str(row, "lastName") ?? "", hireDate: str(row, "hireDate")! };
  for (const [from, to] of [
    ["firstName", "firstName"],
    ["email", "email"],
    ["birthDate", "birthDate"],
    ["job", "job"],
    ["qualification", "qualification"],
    ["ccss", "ccssNumber"],
    ["teleworkCountry", "teleworkCountry"],
  ] as const) {
    // CCSS numbers are often typed in groups ("412 345"): the number is the characters without the spaces.
    const v = from === "ccss" ? str(row, from)?.replace(/\s+/g, "") : str(row, from);
    if (v) s[to] = v;
  }
  const sex = str(row, "sex");
  if (sex === "M" || sex === "F") s.sex = sex;
  if (bool(row, "paper")) s.paper = true;
  if (exit) s.exitDate = exit;
  const aff: NonNullable<StaffRow["affiliations"]> = {};
  for (const k of ["ac", "rc", "car"] as const) {
    const b = bool(row, k);
    if (b !== undefined) aff[k] = b;
  }
  if (Object.keys(aff).length > 0) s.affiliations = aff;
  const cells: NonNullable<StaffRow["cells"]> = {};
  for (const [from, to] of [
    ["email", "email"],
    ["paper", "paper"],
    ["birthDate", "birthDate"],
    ["ccss", "ccssNumber"],
  ] as const) {
    const a = row.address[from];
    if (a) cells[to] = a;
  }
  if (Object.keys(cells).length > 0) s.cells = cells;
  return s;
}

function toEmployee(row: ParsedRow, exit: string | undefined): EmployeeInput {
  const e: EmployeeInput = {
    id: str(row, "id")!,
    category: CATEGORY_VALUES[str(row, "category") as keyof typeof CATEGORY_VALUES],
    hireDate: str(row, "hireDate")!,
    contractHours: num(row, "contractHours")!,
    monthlySalary: num(row, "monthlySalary")!,
  };
  const last = str(row, "lastName");
  if (last) e.lastName = last;
  const first = str(row, "firstName");
  if (first) e.firstName = first;
  const sex = str(row, "sex");
  if (sex === "M" || sex === "F") e.sex = sex;
  if (exit) e.exitDate = exit;
  const director = bool(row, "director");
  if (director !== undefined) e.director = director;
  const aff: NonNullable<EmployeeInput["affiliations"]> = {};
  for (const k of ["ac", "rc", "car"] as const) {
    const b = bool(row, k);
    if (b !== undefined) aff[k] = b;
  }
  if (Object.keys(aff).length > 0) e.affiliations = aff;
  const rate = num(row, "seniorityRate");
  const base = row.fields.seniorityBase;
  if (rate !== undefined && rate > 0 && (base === "smic" || base === "salary" || typeof base === "number")) e.seniority = { rate, base };
  const allowance = str(row, "monacoAllowance");
  if (allowance) e.monacoAllowance = ALLOWANCE_VALUES[allowance as keyof typeof ALLOWANCE_VALUES];
  return e;
}

function toVariables(
  row: ParsedRow | undefined,
  lines: ExtraLineInput[] | undefined,
  absences: VariablesInput["absences"],
  recalls: VariablesInput["recalls"],
): VariablesInput | undefined {
  const v: VariablesInput = {};
  if (row) {
    for (const [from, to] of [
      ["overtime125", "overtime125"],
      ["overtime150", "overtime150"],
      ["holidayHours", "holidayHours"],
      ["sundayHours", "sundayHours"],
      ["mealTickets", "mealTickets"],
      ["housing", "housing"],
      ["car", "car"],
      ["meals", "meals"],
      ["deposit", "deposit"],
      ["advance", "advance"],
    ] as const) {
      const n = num(row, from);
      if (n !== undefined && n !== 0) v[to] = n;
    }
    const days = num(row, "paidLeaveDays");
    if (days !== undefined && days > 0) {
      const pl: NonNullable<VariablesInput["paidLeave"]>[number] = { days };
      const h = num(row, "paidLeaveHours");
      if (h) pl.hours = h;
      const from = str(row, "paidLeaveFrom");
      const to = str(row, "paidLeaveTo");
      if (from) pl.from = from;
      if (to) pl.to = to;
      v.paidLeave = [pl];
    }
    const bonus = num(row, "bonus");
    const kind2 = str(row, "bonusKind");
    if (bonus && kind2) (v.lines ??= []).push({ code: BONUS_VALUES[kind2 as keyof typeof BONUS_VALUES], amount: bonus });
  }
  if (lines?.length) (v.lines ??= []).push(...lines);
  if (absences?.length) v.absences = absences;
  if (recalls?.length) v.recalls = recalls;
  return Object.keys(v).length > 0 ? v : undefined;
}
