/**
 * One `Salariés` row as the month was calculated with it: the master data the submission carries so the server
 * runs, prints and mails the version with exactly the staff the workbook had (new hires and exits included).
 * `row` is the row's Excel number, kept so the server's refusals name the cell ("Salariés G6 Date de naissance").
 */
import { type Static, Type } from "@sinclair/typebox";
import { IsoDate } from "../core/primitives.ts";

const CELL = "^[A-Z]{1,3}[0-9]{1,7}$";
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });

export const StaffRow = Type.Object(
  {
    employeeId: Type.String({ minLength: 1, maxLength: 32 }),
    /** Excel row number in `Salariés` (1-based; the header is row 1). */
    row: Type.Integer({ minimum: 2, maximum: 1_048_576 }),
    lastName: Text(80),
    firstName: Type.Optional(Type.String({ maxLength: 80 })),
    sex: Type.Optional(Type.Union([Type.Literal("M"), Type.Literal("F")])),
    email: Type.Optional(Type.String({ minLength: 3, maxLength: 254, pattern: "^[^\\s@<>\"',;]+@[^\\s@<>\"',;]+\\.[A-Za-z]{2,}$" })),
    /** The payslip is handed over on paper: no e-mail needed. */
    paper: Type.Optional(Type.Boolean()),
    birthDate: Type.Optional(IsoDate("date de naissance")),
    hireDate: IsoDate("date d'entrée"),
    exitDate: Type.Optional(IsoDate("date de sortie")),
    job: Type.Optional(Text(80)),
    qualification: Type.Optional(Text(80)),
    ccssNumber: Type.Optional(Type.String({ pattern: "^[0-9A-Za-z]{1,20}$" })),
    teleworkCountry: Type.Optional(Text(40)),
    /** A1 addresses of the row's cells that a completeness issue may point at (absent columns are absent). */
    cells: Type.Optional(
      Type.Partial(
        Type.Object({
          email: Type.String({ pattern: CELL }),
          paper: Type.String({ pattern: CELL }),
          birthDate: Type.String({ pattern: CELL }),
          ccssNumber: Type.String({ pattern: CELL }),
        }),
        { additionalProperties: false },
      ),
    ),
    affiliations: Type.Optional(
      Type.Object(
        { ac: Type.Optional(Type.Boolean()), rc: Type.Optional(Type.Boolean()), car: Type.Optional(Type.Boolean()) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type StaffRow = Static<typeof StaffRow>;

/** Headers of the `Salariés` columns a completeness issue points at (the same as addin/workbook/columns.ts). */
export const STAFF_HEADERS = {
  email: "Email",
  paper: "Remise papier",
  birthDate: "Date de naissance",
  ccssNumber: "N° CCSS",
} as const;

export type StaffField = keyof typeof STAFF_HEADERS;

export interface CompletenessIssue {
  employeeId?: string;
  /** Excel row in `Salariés`, 0 for the company. */
  row: number;
  field: StaffField | "employerNumber" | "employeeId";
  /** Header of the column (or the company setting) the issue is about. */
  column: string;
  /** A1 address when known. */
  address: string;
  severity: "error" | "warning";
  /** Located French message: "Salariés F6 Date de naissance : …". */
  message: string;
  /** The same without the sheet and cell, for a list that shows them already: "Date de naissance : …". */
  detail: string;
}

/**
 * What the payroll run will need, checked before the month is accepted: where each payslip goes (an e-mail address or
 * the paper choice), the birth date the DSM declares for every employee, the employee's CCSS number and the company's
 * employer number. A CCSS number may not be attributed yet to someone hired this month (the caisse registers the new
 * hire from the declaration itself): a warning then, an error for everyone else. The same rule runs at Validate
 * (addin/workbook/build.ts) and at Submit (functions/payroll/master-data.ts).
 */
export function completenessIssues(rows: readonly StaffRow[], context: { period: string; employerNumber?: string | undefined }): CompletenessIssue[] {
  const issues: CompletenessIssue[] = [];
  if (context.employerNumber !== undefined && !context.employerNumber.trim()) {
    issues.push({
      row: 0,
      field: "employerNumber",
      column: "N° employeur CCSS",
      address: "",
      severity: "error",
      message: "Société : N° employeur CCSS absent — il figure sur chaque bulletin et identifie la déclaration DSM (fiche de la société).",
      detail: "N° employeur CCSS de la société absent — il figure sur chaque bulletin et identifie la déclaration DSM (fiche de la société).",
    });
  }
  const monthStart = `${context.period}-01`;
  for (const r of rows) {
    const say = (field: StaffField, severity: CompletenessIssue["severity"], text: string) => {
      const address = r.cells?.[field] ?? "";
      const detail = `${STAFF_HEADERS[field]} : ${text} (matricule ${r.employeeId}).`;
      issues.push({
        employeeId: r.employeeId,
        row: r.row,
        field,
        column: STAFF_HEADERS[field],
        address,
        severity,
        message: `Salariés ${address || (r.row ? `ligne ${r.row}` : "(fiche enregistrée)")} ${detail}`,
        detail,
      });
    };
    if (!r.email && r.paper !== true)
      say("email", "error", "adresse e-mail absente — saisissez-la, ou « Oui » dans « Remise papier » pour un bulletin remis sur papier");
    if (!r.birthDate) say("birthDate", "error", "absente — la DSM la déclare pour chaque salarié");
    if (!r.ccssNumber) {
      if (r.hireDate >= monthStart)
        say("ccssNumber", "warning", "absent pour une entrée du mois — la DSM déclare le salarié sans numéro, à saisir dès que la CCSS l'attribue");
      else say("ccssNumber", "error", "absent — la DSM déclare chaque salarié par son numéro CCSS");
    }
  }
  return issues;
}
