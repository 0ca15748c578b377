/**
 * Validation of the engine's input: the schema first (types, ranges, patterns), then the rules a schema cannot say
 * (real calendar dates, dates against the period and the contract, impossible hour totals, unknown rubric codes).
 * Every problem is an Issue { code, path, message } with a French message naming the field — never an exception.
 */
import { Kind, type TSchema } from "@sinclair/typebox";
import { type ValueError, ValueErrorType } from "@sinclair/typebox/errors";
import { findRubric } from "../catalogue/catalogue.ts";
import { toCents, toHundredths } from "../core/fixed.ts";
import type { Issue } from "../core/issue.ts";
import { remember } from "../core/memo.ts";
import { addDays, daysInMonth, isRealDate, periodBounds } from "../core/period.ts";
import type { TDecimal } from "../core/primitives.ts";
import { compileChecker } from "./checker.ts";
import { PayslipInput } from "./payslip-input.ts";

const compiled = compileChecker(PayslipInput);
const MAX_ERRORS = 50;

/** "/variables/absences/0/hours" → "variables.absences[0].hours" */
export function toFieldPath(pointer: string): string {
  if (pointer === "" || pointer === "/") return "(racine)";
  return pointer
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), "");
}

function describe(value: unknown): string {
  if (value === undefined) return "absent";
  if (value === null) return "vide (null)";
  if (typeof value === "string") return `le texte « ${value.length > 40 ? `${value.slice(0, 40)}…` : value} »`;
  if (typeof value === "number") return Number.isFinite(value) ? `le nombre ${value}` : "un nombre invalide";
  if (typeof value === "boolean") return value ? "vrai" : "faux";
  if (Array.isArray(value)) return "une liste";
  return "un objet";
}

function literalChoices(schema: TSchema): string[] | undefined {
  const anyOf = (schema as { anyOf?: TSchema[] }).anyOf;
  if (!anyOf) return undefined;
  const consts = anyOf.map((s) => (s as { const?: unknown }).const);
  return consts.every((c) => typeof c === "string") ? (consts as string[]) : undefined;
}

function frenchMessage(error: ValueError): { code: string; message: string } {
  const schema = error.schema as TSchema & Record<string, unknown>;
  const got = describe(error.value);
  if (error.value === undefined) return { code: "REQUIRED", message: "champ obligatoire manquant" };
  if (schema[Kind] === "Decimal") {
    const d = schema as unknown as TDecimal;
    return { code: "INVALID_NUMBER", message: `doit être ${d.unitLabel}, entre ${d.minimum} et ${d.maximum} ; reçu ${got}` };
  }
  switch (error.type) {
    case ValueErrorType.ObjectAdditionalProperties:
      return { code: "UNKNOWN_FIELD", message: `champ inconnu (${got})` };
    case ValueErrorType.String:
      return { code: "INVALID_TYPE", message: `doit être un texte ; reçu ${got}` };
    case ValueErrorType.Number:
    case ValueErrorType.Integer:
      return { code: "INVALID_TYPE", message: `doit être un nombre ; reçu ${got}` };
    case ValueErrorType.Boolean:
      return { code: "INVALID_TYPE", message: `doit être vrai ou faux ; reçu ${got}` };
    case ValueErrorType.Array:
      return { code: "INVALID_TYPE", message: `doit être une liste ; reçu ${got}` };
    case ValueErrorType.Object:
      return { code: "INVALID_TYPE", message: `doit être un objet ; reçu ${got}` };
    case ValueErrorType.StringPattern: {
      const pattern = String(schema.pattern ?? "");
      if (pattern.includes("(0[1-9]|[12]\\d|3[01])")) return { code: "INVALID_DATE", message: `date invalide (format AAAA-MM-JJ attendu) ; reçu ${got}` };
      if (pattern.includes("(19|20)")) return { code: "INVALID_PERIOD", message: `période invalide (format AAAA-MM attendu) ; reçu ${got}` };
      return { code: "INVALID_FORMAT", message: `format invalide ; reçu ${got}` };
    }
    case ValueErrorType.StringMaxLength:
      return { code: "TOO_LONG", message: `texte trop long (${schema.maxLength} caractères au plus)` };
    case ValueErrorType.StringMinLength:
      return { code: "REQUIRED", message: "ne doit pas être vide" };
    case ValueErrorType.ArrayMaxItems:
      return { code: "TOO_MANY", message: `trop d'éléments (${schema.maxItems} au plus)` };
    case ValueErrorType.NumberMinimum:
    case ValueErrorType.IntegerMinimum:
      return { code: "OUT_OF_RANGE", message: `doit être au moins ${schema.minimum} ; reçu ${got}` };
    case ValueErrorType.NumberMaximum:
    case ValueErrorType.IntegerMaximum:
      return { code: "OUT_OF_RANGE", message: `doit être au plus ${schema.maximum} ; reçu ${got}` };
    case ValueErrorType.Union: {
      const choices = literalChoices(schema);
      if (choices) return { code: "INVALID_CHOICE", message: `valeur non autorisée (${got}) ; valeurs possibles : ${choices.join(", ")}` };
      return { code: "INVALID_VALUE", message: `valeur invalide (${got})` };
    }
    default:
      return { code: "INVALID_VALUE", message: `valeur invalide (${got})` };
  }
}

/** Every schema error of `value`, located and in French (one per field, at most 50): for any boundary's checker. */
export function schemaIssues(value: unknown, checker: { Errors(value: unknown): Iterable<ValueError> } = compiled): Issue[] {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  for (const error of checker.Errors(value)) {
    // For an unknown field TypeBox reports the object's path; name the field itself.
    let path = error.path;
    if (error.type === ValueErrorType.ObjectAdditionalProperties) {
      const known = Object.keys((error.schema as { properties?: object }).properties ?? {});
      const extra = Object.keys((error.value ?? {}) as object).find((k) => !known.includes(k));
      if (extra) path = `${path}/${extra}`;
    }
    const field = toFieldPath(path);
    if (seen.has(field)) continue;
    seen.add(field);
    const { code, message } = frenchMessage(error);
    issues.push({ code, path: field, message: `${field} : ${message}` });
    if (issues.length >= MAX_ERRORS) break;
  }
  return issues;
}

const earliestCache = new Map<string, string>();
const earliestOf = (period: string) => addDays(periodBounds(period).start, -92);

/** Rules the schema cannot express. Runs only on a value that already matches the schema. */
function ruleIssues(input: PayslipInput): Issue[] {
  const issues: Issue[] = [];
  const add = (code: string, path: string, message: string) => issues.push({ code, path, message: `${path} : ${message}` });
  const { start, end } = periodBounds(input.period);
  const earliest = remember(earliestCache, input.period, earliestOf); // an absence may be paid one to three months late, as on the reference slips

  const dateFields: [string, string | undefined][] = [
    ["employee.hireDate", input.employee.hireDate],
    ["employee.exitDate", input.employee.exitDate],
    ["payDate", input.payDate],
  ];
  for (const [path, value] of dateFields) if (value && !isRealDate(value)) add("INVALID_DATE", path, `la date ${value} n'existe pas`);
  if (issues.length) return issues;

  const { hireDate, exitDate } = input.employee;
  if (hireDate > end) add("NOT_HIRED_YET", "employee.hireDate", `entrée le ${hireDate}, après la fin de la période ${input.period}`);
  if (exitDate && exitDate < hireDate) add("EXIT_BEFORE_HIRE", "employee.exitDate", `sortie le ${exitDate}, avant l'entrée le ${hireDate}`);
  if (exitDate && exitDate < start) add("LEFT_BEFORE_PERIOD", "employee.exitDate", `sortie le ${exitDate}, avant le début de la période ${input.period}`);
  // Judged in the engine's unit (hundredths of an hour): a stray 1e-9 passes "2 decimals" but would divide by zero.
  if (toHundredths(input.employee.contractHours) <= 0) add("OUT_OF_RANGE", "employee.contractHours", "doit être d'au moins 0,01 h");

  const v = input.variables ?? {};
  const checkRange = (path: string, from?: string, to?: string) => {
    for (const [p, d] of [
      [`${path}.from`, from],
      [`${path}.to`, to],
    ] as const) {
      if (!d) continue;
      if (!isRealDate(d)) add("INVALID_DATE", p, `la date ${d} n'existe pas`);
      else if (d > end) add("DATE_OUTSIDE_PERIOD", p, `le ${d} est après la fin de la période ${input.period}`);
      else if (d < earliest) add("DATE_OUTSIDE_PERIOD", p, `le ${d} est plus de trois mois avant la période ${input.period}`);
      else if (d < hireDate) add("DATE_OUTSIDE_CONTRACT", p, `le ${d} est avant l'entrée du salarié (${hireDate})`);
    }
    if (from && to && from > to) add("INVALID_RANGE", path, `du ${from} au ${to} : la date de fin précède la date de début`);
  };
  let absenceHours = 0;
  (v.absences ?? []).forEach((a, i) => {
    checkRange(`variables.absences[${i}]`, a.from, a.to);
    absenceHours += a.hours;
  });
  (v.paidLeave ?? []).forEach((l, i) => {
    checkRange(`variables.paidLeave[${i}]`, l.from, l.to);
  });
  const contract = input.employee.contractHours;
  if (absenceHours > contract + 1e-9) {
    add("IMPOSSIBLE_HOURS", "variables.absences", `${absenceHours} h d'absence pour un contrat de ${contract} h par mois`);
  }
  const overtime = (v.overtime125 ?? 0) + (v.overtime150 ?? 0) + (v.overtime200 ?? 0);
  // 60 h a week is the legal maximum with the labour inspector's approval: 21 h over 39 h, × 52 / 12.
  const maxOvertime = Math.round((21 * 52 * 100) / 12) / 100;
  if (overtime > maxOvertime) {
    add(
      "IMPOSSIBLE_HOURS",
      "variables.overtime125",
      `${overtime} h supplémentaires dans le mois : plus que le maximum légal (${maxOvertime} h, 60 h par semaine)`,
    );
  }
  const days = daysInMonth(input.period);
  const leaveDays = (v.paidLeave ?? []).reduce((s, l) => s + l.days, 0);
  if (leaveDays > days) add("IMPOSSIBLE_DAYS", "variables.paidLeave", `${leaveDays} jours de congés payés dans un mois de ${days} jours`);

  (v.recalls ?? []).forEach((recall, i) => {
    const path = `variables.recalls[${i}]`;
    if (recall.period >= input.period)
      add("RECALL_NOT_PAST", `${path}.period`, `un rappel porte sur une période antérieure à ${input.period}, pas sur ${recall.period}`);
    else if (recall.period < hireDate.slice(0, 7))
      add("DATE_OUTSIDE_CONTRACT", `${path}.period`, `${recall.period} est avant l'entrée du salarié (${hireDate})`);
    if (toCents(recall.amount) === 0) add("RECALL_EMPTY", `${path}.amount`, "un rappel de 0,00 € ne paie rien");
  });
  (v.lines ?? []).forEach((line, i) => {
    const path = `variables.lines[${i}]`;
    const rubric = findRubric(line.code);
    if (!rubric) {
      add("UNKNOWN_RUBRIC", `${path}.code`, `rubrique inconnue « ${line.code} » (absente du catalogue)`);
    } else if (rubric.entry === "auto") {
      add("COMPUTED_RUBRIC", `${path}.code`, `la rubrique ${rubric.code} (${rubric.label}) est calculée par le moteur : saisissez la variable correspondante`);
    } else if (line.amount === undefined && (line.quantity === undefined || line.rate === undefined)) {
      add("MISSING_AMOUNT", path, `la rubrique ${rubric.code} demande un montant, ou une quantité et un taux`);
    }
  });
  if ((v.mealTickets ?? 0) > 0 && v.mealTicketEmployeeShare === undefined && input.company.mealTicketEmployeeShare === undefined) {
    add(
      "REQUIRED",
      "variables.mealTicketEmployeeShare",
      "part salariale d'un ticket restaurant obligatoire quand des tickets sont saisis (ou dans les paramètres de la société)",
    );
  }
  if (input.carry) {
    const year = Number(input.period.slice(0, 4));
    if (input.carry.year > year) add("CARRY_FROM_FUTURE", "carry.year", `cumuls de ${input.carry.year}, postérieurs à la période ${input.period}`);
    if (!isRealDate(input.carry.leave.yearStart) || !input.carry.leave.yearStart.endsWith("-05-01")) {
      add("INVALID_DATE", "carry.leave.yearStart", "doit être un 1er mai (début de l'année de congés)");
    }
    for (const [family, c] of Object.entries(input.carry.ceilings)) {
      if (!isRealDate(c.windowStart)) add("INVALID_DATE", `carry.ceilings.${family}.windowStart`, `la date ${c.windowStart} n'existe pas`);
    }
  }
  (input.parameterOverrides ?? []).forEach((o, i) => {
    if (!isRealDate(o.from)) add("INVALID_DATE", `parameterOverrides[${i}].from`, `la date ${o.from} n'existe pas`);
  });
  return issues;
}

export type Validation = { ok: true; value: PayslipInput } | { ok: false; errors: Issue[] };

export function validatePayslipInput(value: unknown): Validation {
  if (!compiled.Check(value)) return { ok: false, errors: schemaIssues(value) };
  const errors = ruleIssues(value);
  return errors.length ? { ok: false, errors } : { ok: true, value };
}
