/**
 * The engine's input for one employee and one month, as a schema (TypeBox = JSON Schema + static type).
 * Workbook rows, API bodies and golden case files are all converted to this shape, validated here,
 * then computed. Amounts in euros, hours in hours, rates in percent: the engine converts to integers.
 */
import { type Static, Type } from "@sinclair/typebox";
import { Carry } from "../core/carry.ts";
import { IsoDate, Money, Percent, PeriodString, PositiveMoney, Quantity, UnitPrice } from "../core/primitives.ts";

const Code = (description: string) => Type.String({ pattern: "^[0-9A-Z]{3,6}$", description });
const Text = (max: number, description: string) => Type.String({ maxLength: max, description });

export const RegularisationMode = Type.Union([Type.Literal("monthly"), Type.Literal("progressive")], {
  description: "monthly: each month capped at its own ceiling; progressive: year-to-date base against year-to-date ceiling",
});

export const ContractBase = Type.Union([
  Type.Object({ kind: Type.Literal("gross") }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal("ta") }, { additionalProperties: false, description: "gross capped at the French PMSS" }),
  Type.Object({ kind: Type.Literal("ccss-capped") }, { additionalProperties: false, description: "gross capped at the CCSS ceiling" }),
  Type.Object({ kind: Type.Literal("pmss-percent"), percent: Percent() }, { additionalProperties: false, description: "flat base: a percentage of the PMSS" }),
  Type.Object({ kind: Type.Literal("flat"), amount: PositiveMoney() }, { additionalProperties: false, description: "flat base amount" }),
]);

export const ContractLine = Type.Object(
  {
    code: Code("contribution code printed on the payslip, e.g. 8517"),
    label: Text(60, "label printed on the payslip"),
    organism: Type.Optional(Text(40, "organism shown on the contributions statement (default PREVOYANCE)")),
    appliesTo: Type.Union([Type.Literal("all"), Type.Literal("cadre"), Type.Literal("non-cadre")]),
    base: ContractBase,
    employeeRate: Type.Optional(Percent()),
    employerRate: Type.Optional(Percent()),
  },
  { additionalProperties: false },
);

export const SeniorityRule = Type.Union([
  Type.Object(
    {
      rate: Percent({ description: "rate applied to the base, e.g. 12 for 12 %" }),
      base: Type.Union([Type.Literal("smic"), Type.Literal("salary"), PositiveMoney()], {
        description: "smic: monthly SMIC on 169 h; salary: the monthly salary; or a fixed reference amount",
      }),
    },
    { additionalProperties: false },
  ),
  Type.Object({ amount: PositiveMoney({ description: "fixed monthly amount" }) }, { additionalProperties: false }),
]);

/**
 * A higher CMRC tranche-A rate the company pays (monaco-rules §1.3: AM 2023-699 sets one TA rate, 10,02 % split
 * 60 % employer / 40 % employee). The texts we hold do not say which higher rates the CSM accepts, nor their split:
 * both sides are given, and shared/rules/company-settings.ts only checks a plausible range (not below the legal rate
 * of the side, at most twice it: the factor beyond which a parameter change needs confirmation).
 */
export const CmrcTrancheARate = Type.Object(
  {
    validFrom: IsoDate("date from which the company's rate replaces the legal one (a period whose last day is on or after it)"),
    employeeRate: Percent({ description: "employee TA rate, in %, at least the legal one (4,01 % since 2024)" }),
    employerRate: Percent({ description: "employer TA rate, in %, at least the legal one (6,01 % since 2024)" }),
    reference: Type.Optional(Text(200, "the CSM agreement or company decision that sets it")),
  },
  { additionalProperties: false },
);

/** A holiday of the company's collective agreement (e.g. 3 September under the CCNT), added to Monaco's legal holidays. */
export const ConventionalHoliday = Type.Object(
  { date: IsoDate("jour férié conventionnel (AAAA-MM-JJ)"), label: Type.String({ minLength: 1, maxLength: 60, description: "libellé" }) },
  { additionalProperties: false },
);

export const Company = Type.Object(
  {
    id: Type.Optional(Text(64, "company identifier")),
    name: Type.Optional(Text(120, "company name")),
    employerKind: Type.Optional(Type.Union([Type.Literal("professional"), Type.Literal("household")])),
    householdReducedBase: Type.Optional(Type.Boolean({ description: "household employer entitled to the 33 % CCSS base" })),
    paidLeaveSystem: Type.Optional(
      Type.Union([Type.Literal("ouvrables"), Type.Literal("ouvres")], {
        description: "ouvrables: 2.5 days a month (30 a year), maintien on 26 days; ouvrés: 25 days a year, maintien on 21.67 days",
      }),
    ),
    prorata: Type.Optional(Type.Union([Type.Literal("calendar-days"), Type.Literal("working-days")])),
    regularisation: Type.Optional(
      Type.Object(
        {
          CAR: Type.Optional(RegularisationMode),
          CCSS: Type.Optional(RegularisationMode),
          CMRC: Type.Optional(RegularisationMode),
          AC: Type.Optional(RegularisationMode),
          RC: Type.Optional(RegularisationMode),
        },
        { additionalProperties: false },
      ),
    ),
    contracts: Type.Optional(Type.Array(ContractLine, { maxItems: 40 })),
    codes: Type.Optional(
      Type.Record(Type.String({ pattern: "^[0-9A-Z]{3,6}$" }), Code("display code"), {
        description: "the company's own numbering: catalogue code → code printed on its payslips",
      }),
    ),
    mealValue: Type.Optional(UnitPrice({ description: "value of one meal in kind (default: the dated parameter)" })),
    mealTicketEmployeeShare: Type.Optional(UnitPrice({ description: "employee share of one meal ticket (a month may override it)" })),
    cmrcTrancheARate: Type.Optional(CmrcTrancheARate),
    conventionalHolidays: Type.Optional(Type.Array(ConventionalHoliday, { maxItems: 60 })),
  },
  { additionalProperties: false },
);

export const Employee = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 32, description: "matricule" }),
    lastName: Type.Optional(Text(80, "nom")),
    firstName: Type.Optional(Text(80, "prénom")),
    sex: Type.Optional(Type.Union([Type.Literal("M"), Type.Literal("F")])),
    category: Type.Union([Type.Literal("cadre"), Type.Literal("non-cadre")]),
    director: Type.Optional(Type.Boolean({ description: "administrateur salarié: flat CCSS base, no unemployment insurance" })),
    hireDate: IsoDate("date d'entrée"),
    exitDate: Type.Optional(IsoDate("date de sortie")),
    contractHours: Quantity({ maximum: 260, description: "monthly contract hours (169 for 39 h a week)" }),
    monthlySalary: PositiveMoney({ description: "monthly salary for the contract hours" }),
    affiliations: Type.Optional(
      Type.Object(
        { ac: Type.Optional(Type.Boolean()), car: Type.Optional(Type.Boolean()), rc: Type.Optional(Type.Boolean()) },
        { additionalProperties: false },
      ),
    ),
    seniority: Type.Optional(SeniorityRule),
    monacoAllowance: Type.Optional(
      Type.Union([Type.Literal("none"), Type.Literal("minimum"), Type.Literal("above-minimum")], {
        description: "5 % Monaco allowance: minimum = paid on minimum wages, outside the bases; above-minimum = contributory",
      }),
    ),
  },
  { additionalProperties: false },
);

export const AbsenceKind = Type.Union([
  Type.Literal("sick"),
  Type.Literal("unpaid"),
  Type.Literal("unpaid-leave"),
  Type.Literal("maternity"),
  Type.Literal("work-accident"),
  Type.Literal("paternity"),
]);

export const Absence = Type.Object(
  {
    kind: AbsenceKind,
    hours: Quantity({ maximum: 400, description: "hours of absence deducted" }),
    from: Type.Optional(IsoDate("first day")),
    to: Type.Optional(IsoDate("last day")),
    complement: Type.Optional(PositiveMoney({ description: "employer's salary complement (maintien) for this absence" })),
  },
  { additionalProperties: false },
);

export const PaidLeave = Type.Object(
  {
    days: Quantity({ maximum: 31, description: "days of paid leave taken" }),
    hours: Type.Optional(Quantity({ maximum: 400, description: "the same leave in hours (for the DSM)" })),
    from: Type.Optional(IsoDate("first day")),
    to: Type.Optional(IsoDate("last day")),
  },
  { additionalProperties: false },
);

export const ExtraLine = Type.Object(
  {
    code: Code("rubric code from the catalogue (or a known alias)"),
    label: Type.Optional(Text(60, "label to print instead of the catalogue's")),
    amount: Type.Optional(Money()),
    quantity: Type.Optional(Quantity()),
    rate: Type.Optional(UnitPrice()),
  },
  { additionalProperties: false },
);

/**
 * The rubrics a recall (rappel) may pay for a past period: the earnings a month can have missed. Catalogue codes
 * (REMUNERATIONS): 0003 salaire de base, 1001 prime d'ancienneté, 2001/2013 heures supplémentaires 125/150 %, 2021
 * heures complémentaires, 2041 prime, 2023 prime exceptionnelle, 2031 13e mois, 2061 commissions.
 */
export const RecallRubric = Type.Union(
  ["0003", "1001", "2001", "2013", "2021", "2041", "2023", "2031", "2061"].map((code) => Type.Literal(code)),
  { description: "catalogue code of the rubric recalled" },
);

export const Recall = Type.Object(
  {
    period: PeriodString({ description: "the past period the recall is for (YYYY-MM), before the pay period" }),
    rubric: RecallRubric,
    amount: Money({ description: "amount recalled in euros; negative for a regularisation in the employer's favour" }),
    label: Type.Optional(Text(60, "reason printed in the line's explanation")),
  },
  { additionalProperties: false },
);

export const Variables = Type.Object(
  {
    overtime125: Type.Optional(Quantity({ maximum: 200 })),
    overtime150: Type.Optional(Quantity({ maximum: 200 })),
    overtime200: Type.Optional(Quantity({ maximum: 200 })),
    complementaryHours: Type.Optional(Quantity({ maximum: 200 })),
    holidayHours: Type.Optional(Quantity({ maximum: 200, description: "public-holiday hours paid at 100 %" })),
    holidayHours200: Type.Optional(Quantity({ maximum: 200, description: "public-holiday hours paid at 200 %" })),
    sundayHours: Type.Optional(Quantity({ maximum: 200, description: "Sunday hours: +100 % premium" })),
    absences: Type.Optional(Type.Array(Absence, { maxItems: 31 })),
    paidLeave: Type.Optional(Type.Array(PaidLeave, { maxItems: 31 })),
    lines: Type.Optional(Type.Array(ExtraLine, { maxItems: 100 })),
    recalls: Type.Optional(Type.Array(Recall, { maxItems: 60, description: "rappels: earnings of past periods paid this month" })),
    meals: Type.Optional(Quantity({ maximum: 100, description: "meals in kind (added to gross)" })),
    mealsDeducted: Type.Optional(Quantity({ maximum: 100, description: "meals recovered after net (default: meals)" })),
    housing: Type.Optional(PositiveMoney({ description: "housing in kind" })),
    car: Type.Optional(PositiveMoney({ description: "car in kind" })),
    mealTickets: Type.Optional(Quantity({ maximum: 31 })),
    mealTicketEmployeeShare: Type.Optional(UnitPrice()),
    advance: Type.Optional(PositiveMoney({ description: "avance sur salaire" })),
    deposit: Type.Optional(PositiveMoney({ description: "acompte" })),
    notice: Type.Optional(PositiveMoney({ description: "indemnité compensatrice de préavis" })),
    dismissal: Type.Optional(PositiveMoney({ description: "indemnité de licenciement" })),
    compensatoryLeave: Type.Optional(Type.Boolean({ description: "pay the remaining paid-leave days on exit (default true when the employee leaves)" })),
  },
  { additionalProperties: false },
);

export const ParameterOverride = Type.Object(
  {
    id: Type.String({ pattern: "^[a-z0-9_.]+$" }),
    from: IsoDate("valid from"),
    value: Type.Number(),
    source: Type.String({ minLength: 3, maxLength: 300, description: "where the value comes from" }),
  },
  { additionalProperties: false },
);

export const PayslipInput = Type.Object(
  {
    period: PeriodString({ description: "YYYY-MM" }),
    payDate: Type.Optional(IsoDate("date de paiement")),
    company: Company,
    employee: Employee,
    variables: Type.Optional(Variables),
    carry: Type.Optional(Carry),
    parameterOverrides: Type.Optional(Type.Array(ParameterOverride, { maxItems: 50 })),
  },
  { additionalProperties: false },
);

export type PayslipInput = Static<typeof PayslipInput>;
export type CompanyInput = Static<typeof Company>;
export type EmployeeInput = Static<typeof Employee>;
export type VariablesInput = Static<typeof Variables>;
export type ContractLineInput = Static<typeof ContractLine>;
export type AbsenceInput = Static<typeof Absence>;
export type ExtraLineInput = Static<typeof ExtraLine>;
export type RecallInput = Static<typeof Recall>;
