/**
 * A company's chart of accounts for the pay journal (shared/documents/journal.ts): which account each family of
 * amounts is booked to. A schema, because it is stored with the company and sent by the API.
 */
import { type Static, Type } from "@sinclair/typebox";

export const Account = Type.Object(
  { number: Type.String({ pattern: "^[0-9A-Za-z]{1,20}$" }), label: Type.String({ maxLength: 80 }) },
  { additionalProperties: false },
);

/** Funds a contribution is paid to, as the journal books them. RC = complementary pension before 2024. */
export const Fund = Type.Union([
  Type.Literal("CAR"),
  Type.Literal("CCSS"),
  Type.Literal("CMRC"),
  Type.Literal("AC"),
  Type.Literal("RC"),
  Type.Literal("PREVOYANCE"),
]);
export const GrossNature = Type.Union([Type.Literal("salary"), Type.Literal("bonus"), Type.Literal("indemnity")]);

const byFund = (description: string) =>
  Type.Object(
    {
      CAR: Type.Optional(Account),
      CCSS: Type.Optional(Account),
      CMRC: Type.Optional(Account),
      AC: Type.Optional(Account),
      RC: Type.Optional(Account),
      PREVOYANCE: Type.Optional(Account),
    },
    { additionalProperties: false, description },
  );

export const ChartOfAccounts = Type.Object(
  {
    netPay: { ...Account, description: "net pay, one line per employee with the matricule as auxiliary account" },
    advances: { ...Account, description: "advances (acomptes) deducted after net" },
    otherDeductions: { ...Account, description: "other deductions after net (meal-voucher shares…)" },
    gross: Type.Object({ salary: Account, bonus: Account, indemnity: Account }, { additionalProperties: false }),
    netAdditions: { ...Account, description: "non-contributory additions to net" },
    employeeShare: byFund("employee contributions, by fund"),
    employerCredit: byFund("employer contributions owed, by fund"),
    employerDebit: byFund("employer contributions as a charge, by fund"),
    grossNature: Type.Optional(
      Type.Record(Type.String({ maxLength: 20 }), GrossNature, { description: "rubric or printed code → nature, when the label-based guess is wrong" }),
    ),
    advanceRubrics: Type.Optional(
      Type.Array(Type.String({ maxLength: 20 }), { maxItems: 100, description: "rubrics or codes of after-net lines that are advances" }),
    ),
  },
  { additionalProperties: false },
);
export type ChartOfAccounts = Static<typeof ChartOfAccounts>;
export type Account = Static<typeof Account>;
export type Fund = Static<typeof Fund>;
export type GrossNature = Static<typeof GrossNature>;
