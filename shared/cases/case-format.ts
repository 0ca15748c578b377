/**
 * The reference-case format: a company, an employee, an optional opening state, one or more consecutive months
 * of variables, and what the printed payslip shows. Written by hand from a printed payslip (see README,
 * "Reference cases"); `paie golden DIR` runs every case of a folder and prints each difference.
 */
import { type Static, Type } from "@sinclair/typebox";
import { Carry } from "../core/carry.ts";
import { ISO_DATE_PATTERN, PERIOD_PATTERN } from "../core/period.ts";
import { Money, Percent, Quantity, UnitPrice } from "../core/primitives.ts";
import { Company, Employee, ParameterOverride, Variables } from "../schema/payslip-input.ts";

const ExpectedLine = Type.Object(
  {
    code: Type.String(),
    label: Type.Optional(Type.String()),
    quantity: Type.Optional(Type.Number()),
    rate: Type.Optional(UnitPrice()),
    amount: Money(),
    deduct: Type.Optional(Type.Boolean({ description: "printed in the deduction column (amount is then the absolute value)" })),
    detail: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

const ExpectedContribution = Type.Object(
  {
    code: Type.String(),
    label: Type.Optional(Type.String()),
    base: Money(),
    employeeRate: Type.Optional(Percent()),
    employeeAmount: Type.Optional(Money()),
    employerRate: Type.Optional(Percent()),
    employerAmount: Type.Optional(Money()),
  },
  { additionalProperties: false },
);

const LeaveCounter = Type.Object({ acquired: Type.Number(), taken: Type.Number(), remaining: Type.Number() }, { additionalProperties: false });

export const Expected = Type.Object(
  {
    lines: Type.Optional(Type.Array(ExpectedLine)),
    gross: Type.Optional(Money()),
    contributions: Type.Optional(Type.Array(ExpectedContribution)),
    employeeTotal: Type.Optional(Money()),
    employerTotal: Type.Optional(Money()),
    net: Type.Optional(Money()),
    afterNet: Type.Optional(Type.Array(ExpectedLine)),
    netPaid: Type.Optional(Money()),
    taxableNet: Type.Optional(Money()),
    employerCost: Type.Optional(Money()),
    hoursPaid: Type.Optional(Quantity({ maximum: 1000 })),
    ytd: Type.Optional(
      Type.Object(
        {
          gross: Type.Optional(Money()),
          baseSS: Type.Optional(Money()),
          taxableNet: Type.Optional(Money()),
          netPaid: Type.Optional(Money()),
          ceilingSS: Type.Optional(Money()),
          hours: Type.Optional(Quantity({ maximum: 10_000 })),
          employeeContributions: Type.Optional(Money()),
          employerContributions: Type.Optional(Money()),
        },
        { additionalProperties: false },
      ),
    ),
    paidLeave: Type.Optional(Type.Record(Type.String({ pattern: "^\\d{4}/\\d{2}$" }), LeaveCounter)),
  },
  { additionalProperties: false },
);

export const CaseMonth = Type.Object(
  {
    period: Type.String({ pattern: PERIOD_PATTERN }),
    payDate: Type.Optional(Type.String({ pattern: ISO_DATE_PATTERN })),
    variables: Type.Optional(Variables),
    employee: Type.Optional(Type.Partial(Employee, { description: "changes to the employee from this month on" })),
    expected: Type.Optional(Expected),
  },
  { additionalProperties: false },
);

export const ReferenceCase = Type.Object(
  {
    id: Type.String({ minLength: 1 }),
    source: Type.String({ minLength: 3, description: "the printed document the case comes from" }),
    notes: Type.Optional(Type.Array(Type.String())),
    company: Company,
    employee: Employee,
    opening: Type.Optional(Carry),
    parameterOverrides: Type.Optional(Type.Array(ParameterOverride)),
    months: Type.Array(CaseMonth, { minItems: 1, maxItems: 36 }),
  },
  { additionalProperties: false },
);

export type ReferenceCase = Static<typeof ReferenceCase>;
export type Expected = Static<typeof Expected>;
