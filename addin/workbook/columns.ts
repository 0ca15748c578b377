/**
 * Column definitions of the input tables, as data: the adapters build headers, validation lists and number
 * formats from them, and the parser maps headers back to keys. Headers are what the firm types today
 * (original-system.md §1.3); aliases accept the unaccented and legacy spellings so a renamed column is recognised.
 */

import type { TSchema } from "@sinclair/typebox";
import {
  Absence,
  type AbsenceInput,
  Employee,
  ExtraLine,
  PaidLeave,
  Recall,
  type RecallInput,
  SeniorityRule,
  Variables,
} from "../../shared/schema/payslip-input.ts";

export type ColumnType =
  | "text"
  | "matricule"
  | "email"
  | "date"
  | "money"
  | "hours"
  | "days"
  | "count"
  | "percent"
  | "yesno"
  | "list"
  | "seniorityBase"
  | "period";

export interface ColumnDef {
  key: string;
  header: string;
  aliases?: readonly string[];
  type: ColumnType;
  required?: boolean;
  /** Allowed values (shown as an in-cell drop-down); for "list" columns the parser maps them to `listValues`. */
  list?: readonly string[];
  min?: number;
  max?: number;
  maxLength?: number;
  numberFormat: string;
}

/**
 * The bounds of the engine's field a column fills (minimum, maximum, maxLength): the workbook refuses a cell at the
 * engine's own limit, named by its cell, rather than keeping a second number that would drift from the schema.
 */
export function schemaLimits(schema: TSchema): Pick<ColumnDef, "min" | "max" | "maxLength"> {
  const s = schema as { minimum?: unknown; maximum?: unknown; maxLength?: unknown };
  const out: Pick<ColumnDef, "min" | "max" | "maxLength"> = {};
  if (typeof s.minimum === "number") out.min = s.minimum;
  if (typeof s.maximum === "number") out.max = s.maximum;
  if (typeof s.maxLength === "number") out.maxLength = s.maxLength;
  return out;
}
const E = Employee.properties;
const V = Variables.properties;
const A = Absence.properties;
const L = ExtraLine.properties;
const LEAVE = PaidLeave.properties;
const SENIORITY_RATE = (SeniorityRule.anyOf[0] as { properties: { rate: TSchema } }).properties.rate;

const TEXT = "@";
const MONEY = "#,##0.00";
const QTY = "0.00";
const DATE = "dd/mm/yyyy";
const GENERAL = "General";
export const YES_NO = ["Oui", "Non"] as const;

export const CATEGORY_VALUES = { Cadre: "cadre", "Non-cadre": "non-cadre" } as const;
export const SEX_VALUES = { M: "M", F: "F" } as const;
export const ALLOWANCE_VALUES = { Non: "none", Minimum: "minimum", "Au-delà du minimum": "above-minimum" } as const;
/**
 * Absence type → the engine's absence kind, for the `Absences` sheet and the old `Type absence` column alike.
 * "Événement familial" (marriage, birth, death in the family…) is paid without deduction, so it makes no payslip line
 * and is not sent to the engine; the workbook still checks its dates and hours against the other absences. Its
 * Monegasque source is à confirmer: Loi n° 619 (congés payés) does not grant it in the articles consulted, the days
 * come from the collective agreement or the contract.
 */
export const ABSENCE_VALUES = {
  Maladie: "sick",
  "Accident du travail": "work-accident",
  Maternité: "maternity",
  Paternité: "paternity",
  "Non payée": "unpaid",
  "Congé sans solde": "unpaid-leave",
  "Événement familial": "family-event",
} as const satisfies Record<string, AbsenceInput["kind"] | "family-event">;
export type AbsenceType = (typeof ABSENCE_VALUES)[keyof typeof ABSENCE_VALUES];
/** Bonus type → rubric code of the firm's catalogue (REMUNERATIONS, original-system.md §1.5). */
export const BONUS_VALUES = {
  Prime: "2041",
  "Prime exceptionnelle": "2023",
  "13e mois": "2031",
  "14e mois": "2033",
  Commissions: "2061",
} as const;
/**
 * Rubric recalled → catalogue code (REMUNERATIONS): the earnings a past month can have missed, the set the engine
 * accepts for a recall (RecallRubric).
 */
export const RECALL_VALUES = {
  "Salaire de base": "0003",
  "Prime d'ancienneté": "1001",
  "Heures supplémentaires 125 %": "2001",
  "Heures supplémentaires 150 %": "2013",
  "Heures complémentaires": "2021",
  Prime: "2041",
  "Prime exceptionnelle": "2023",
  "13e mois": "2031",
  Commissions: "2061",
} as const satisfies Record<string, RecallInput["rubric"]>;
export const COUNTRY_VALUES = ["Monaco", "France", "Italie", "Autre"] as const;

export const EMPLOYEE_COLUMNS: readonly ColumnDef[] = [
  { key: "id", header: "Matricule", type: "matricule", required: true, numberFormat: TEXT },
  { key: "lastName", header: "Nom", type: "text", required: true, ...schemaLimits(E.lastName), numberFormat: TEXT },
  { key: "firstName", header: "Prénom", aliases: ["Prenom"], type: "text", ...schemaLimits(E.firstName), numberFormat: TEXT },
  { key: "sex", header: "Sexe", aliases: ["Genre"], type: "list", list: Object.keys(SEX_VALUES), numberFormat: TEXT },
  { key: "email", header: "Email", aliases: ["E-mail", "Courriel"], type: "email", numberFormat: TEXT },
  { key: "birthDate", header: "Date de naissance", type: "date", numberFormat: DATE },
  { key: "hireDate", header: "Date d'entrée", aliases: ["Date entrée", "Date d entree", "Date d'entree"], type: "date", required: true, numberFormat: DATE },
  { key: "exitDate", header: "Date de sortie", type: "date", numberFormat: DATE },
  { key: "job", header: "Emploi", type: "text", maxLength: 80, numberFormat: TEXT },
  { key: "qualification", header: "Qualification", type: "text", maxLength: 80, numberFormat: TEXT },
  {
    key: "category",
    header: "Catégorie",
    aliases: ["Categorie", "Statut"],
    type: "list",
    required: true,
    list: Object.keys(CATEGORY_VALUES),
    numberFormat: TEXT,
  },
  { key: "director", header: "Administrateur salarié", aliases: ["Administrateur salarie"], type: "yesno", list: YES_NO, numberFormat: TEXT },
  { key: "residence", header: "Pays de résidence", aliases: ["Pays résidence", "Pays residence"], type: "list", list: COUNTRY_VALUES, numberFormat: TEXT },
  { key: "telework", header: "Télétravail", aliases: ["Teletravail"], type: "yesno", list: YES_NO, numberFormat: TEXT },
  {
    key: "teleworkCountry",
    header: "Pays de télétravail",
    aliases: ["Pays télétravail", "Pays teletravail"],
    type: "list",
    list: COUNTRY_VALUES,
    numberFormat: TEXT,
  },
  { key: "ac", header: "Affiliation AC", type: "yesno", list: YES_NO, numberFormat: TEXT },
  { key: "rc", header: "Affiliation RC", type: "yesno", list: YES_NO, numberFormat: TEXT },
  { key: "car", header: "Affiliation CAR", type: "yesno", list: YES_NO, numberFormat: TEXT },
  { key: "ccss", header: "N° CCSS", aliases: ["No CCSS", "Numéro CCSS", "Matricule CCSS"], type: "text", maxLength: 20, numberFormat: TEXT },
  {
    key: "monthlySalary",
    header: "Salaire mensuel",
    aliases: ["Salaire de base"],
    type: "money",
    required: true,
    ...schemaLimits(E.monthlySalary),
    numberFormat: MONEY,
  },
  {
    key: "contractHours",
    header: "Heures contrat",
    aliases: ["Base heures"],
    type: "hours",
    required: true,
    ...schemaLimits(E.contractHours),
    numberFormat: QTY,
  },
  {
    key: "seniorityRate",
    header: "Prime d'ancienneté taux",
    aliases: ["Taux ancienneté"],
    type: "percent",
    ...schemaLimits(SENIORITY_RATE),
    numberFormat: QTY,
  },
  {
    key: "seniorityBase",
    header: "Prime d'ancienneté base",
    aliases: ["Base ancienneté"],
    type: "seniorityBase",
    list: ["SMIC", "Salaire"],
    numberFormat: GENERAL,
  },
  {
    key: "monacoAllowance",
    header: "Indemnité 5 % Monaco",
    aliases: ["Prime 5 % MC", "Indemnité 5%"],
    type: "list",
    list: Object.keys(ALLOWANCE_VALUES),
    numberFormat: TEXT,
  },
  // Last, so that workbooks prepared before it keep their columns where they were.
  { key: "paper", header: "Remise papier", aliases: ["Bulletin papier", "Papier"], type: "yesno", list: YES_NO, numberFormat: TEXT },
];

export const VARIABLE_COLUMNS: readonly ColumnDef[] = [
  { key: "id", header: "Matricule", type: "matricule", required: true, numberFormat: TEXT },
  { key: "lastName", header: "Nom", type: "text", numberFormat: TEXT },
  { key: "firstName", header: "Prénom", aliases: ["Prenom"], type: "text", numberFormat: TEXT },
  {
    key: "paidLeaveHours",
    header: "Heures congés payés",
    aliases: ["Heures conges payes", "Heures CP"],
    type: "hours",
    ...schemaLimits(LEAVE.hours),
    numberFormat: QTY,
  },
  { key: "paidLeaveDays", header: "Jours CP", aliases: ["Jours congés payés"], type: "days", ...schemaLimits(LEAVE.days), numberFormat: QTY },
  { key: "paidLeaveFrom", header: "CP du", aliases: ["CP Date début", "CP Date debut"], type: "date", numberFormat: DATE },
  { key: "paidLeaveTo", header: "CP au", aliases: ["CP Date fin"], type: "date", numberFormat: DATE },
  { key: "absenceHours", header: "Heures absence", type: "hours", ...schemaLimits(A.hours), numberFormat: QTY },
  { key: "absenceKind", header: "Type absence", type: "list", list: Object.keys(ABSENCE_VALUES), numberFormat: TEXT },
  { key: "absenceFrom", header: "Absence du", aliases: ["Maladie Date début", "Maladie Date debut"], type: "date", numberFormat: DATE },
  { key: "absenceTo", header: "Absence au", aliases: ["Maladie Date fin"], type: "date", numberFormat: DATE },
  { key: "maintien", header: "Maintien", aliases: ["Maintien salaire"], type: "money", ...schemaLimits(A.complement), numberFormat: MONEY },
  { key: "bonus", header: "Prime", type: "money", ...schemaLimits(L.amount), numberFormat: MONEY },
  { key: "bonusKind", header: "Type de prime", aliases: ["Type prime"], type: "list", list: Object.keys(BONUS_VALUES), numberFormat: TEXT },
  { key: "overtime125", header: "HS 125", aliases: ["Heures Sup 125", "HS 125 %"], type: "hours", ...schemaLimits(V.overtime125), numberFormat: QTY },
  { key: "overtime150", header: "HS 150", aliases: ["Heures Sup 150", "HS 150 %"], type: "hours", ...schemaLimits(V.overtime150), numberFormat: QTY },
  { key: "holidayHours", header: "Heures jours fériés", aliases: ["Heures jours feries"], type: "hours", ...schemaLimits(V.holidayHours), numberFormat: QTY },
  { key: "sundayHours", header: "Heures dimanche", type: "hours", ...schemaLimits(V.sundayHours), numberFormat: QTY },
  { key: "mealTickets", header: "Tickets restaurant", type: "count", ...schemaLimits(V.mealTickets), numberFormat: "0" },
  { key: "housing", header: "Avantage logement", aliases: ["AN logement"], type: "money", ...schemaLimits(V.housing), numberFormat: MONEY },
  {
    key: "car",
    header: "Avantage transport (voiture)",
    aliases: ["Avantage transport", "AN transports", "Avantage voiture"],
    type: "money",
    ...schemaLimits(V.car),
    numberFormat: MONEY,
  },
  { key: "meals", header: "Avantage repas (nombre)", aliases: ["Avantage repas", "Repas"], type: "count", ...schemaLimits(V.meals), numberFormat: "0" },
  { key: "exitDate", header: "Date de sortie", type: "date", numberFormat: DATE },
  { key: "deposit", header: "Acompte", type: "money", ...schemaLimits(V.deposit), numberFormat: MONEY },
  { key: "advance", header: "Avance", aliases: ["Avance sur salaire"], type: "money", ...schemaLimits(V.advance), numberFormat: MONEY },
  { key: "remarks", header: "Remarques", type: "text", maxLength: 1000, numberFormat: TEXT },
];

export const LINE_COLUMNS: readonly ColumnDef[] = [
  { key: "id", header: "Matricule", type: "matricule", required: true, numberFormat: TEXT },
  { key: "code", header: "Code rubrique", aliases: ["Rubrique", "Code"], type: "text", required: true, maxLength: 6, numberFormat: TEXT },
  { key: "label", header: "Libellé", aliases: ["Libelle"], type: "text", ...schemaLimits(L.label), numberFormat: TEXT },
  { key: "quantity", header: "Quantité", aliases: ["Quantite", "Base"], type: "hours", ...schemaLimits(L.quantity), numberFormat: QTY },
  { key: "rate", header: "Taux", type: "percent", ...schemaLimits(L.rate), numberFormat: "0.0000" },
  { key: "amount", header: "Montant", type: "money", ...schemaLimits(L.amount), numberFormat: MONEY },
];

/** One row per absence, any number per employee (`Absences AAAA-MM`); see absences.ts for the hours rule. */
export const ABSENCE_COLUMNS: readonly ColumnDef[] = [
  { key: "id", header: "Matricule", type: "matricule", required: true, numberFormat: TEXT },
  {
    key: "kind",
    header: "Type",
    aliases: ["Type absence", "Type d'absence"],
    type: "list",
    required: true,
    list: Object.keys(ABSENCE_VALUES),
    numberFormat: TEXT,
  },
  { key: "from", header: "Du", aliases: ["Date début", "Date debut", "Début", "Absence du"], type: "date", required: true, numberFormat: DATE },
  { key: "to", header: "Au", aliases: ["Date fin", "Fin", "Absence au"], type: "date", required: true, numberFormat: DATE },
  { key: "hours", header: "Heures", aliases: ["Heures absence", "Heures du mois"], type: "hours", ...schemaLimits(A.hours), numberFormat: QTY },
  { key: "maintien", header: "Maintien", aliases: ["Maintien salaire"], type: "money", ...schemaLimits(A.complement), numberFormat: MONEY },
  { key: "remark", header: "Remarque", aliases: ["Remarques", "Commentaire"], type: "text", maxLength: 500, numberFormat: TEXT },
];

const R = Recall.properties;
/** One row per recall (`Rappels AAAA-MM`): earnings of a past month paid with this one (see shared/rules/recall.ts). */
export const RECALL_COLUMNS: readonly ColumnDef[] = [
  { key: "id", header: "Matricule", type: "matricule", required: true, numberFormat: TEXT },
  {
    key: "period",
    header: "Période concernée",
    aliases: ["Période", "Periode concernee", "Mois concerné"],
    type: "period",
    required: true,
    numberFormat: TEXT,
  },
  { key: "rubric", header: "Rubrique", aliases: ["Rubrique rappelée"], type: "list", required: true, list: Object.keys(RECALL_VALUES), numberFormat: TEXT },
  { key: "amount", header: "Montant", type: "money", required: true, ...schemaLimits(R.amount), numberFormat: MONEY },
  { key: "label", header: "Libellé", aliases: ["Libelle", "Motif"], type: "text", ...schemaLimits(R.label), numberFormat: TEXT },
];

/** Variables carried over when a month is pre-filled from the previous one: identity and recurring benefits only. */
export const PREFILL_KEYS = ["id", "lastName", "firstName", "housing", "car"] as const;

export function normaliseHeader(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[’`]/g, "'")
    .replace(/[^a-z0-9%']+/g, " ")
    .trim();
}
