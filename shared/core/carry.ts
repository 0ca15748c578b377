/**
 * The state carried from one month to the next (year-to-date totals, running ceilings, leave counters): an output of
 * the engine and an input of next month's computation, so its schema lives here, below both. Euros and hours, as
 * every JSON boundary.
 */
import { type Static, Type } from "@sinclair/typebox";
import { IsoDate, Money, Quantity } from "./primitives.ts";

export const CarriedTotals = Type.Object(
  {
    gross: Money(),
    baseSS: Money(),
    taxableNet: Money(),
    netPaid: Money(),
    ceilingSS: Money(),
    hours: Quantity({ maximum: 10_000 }),
    employeeContributions: Money(),
    employerContributions: Money(),
  },
  { additionalProperties: false },
);

export const CeilingCarry = Type.Object(
  {
    windowStart: IsoDate("first day of the regularisation year"),
    base: Money({ description: "year-to-date base before any cap" }),
    ceiling: Money({ description: "year-to-date ceiling" }),
    ta: Money({ description: "year-to-date base retained in the first tranche" }),
    tb: Money({ description: "year-to-date base retained in the second tranche" }),
  },
  { additionalProperties: false },
);

export const LeaveYear = Type.Object(
  {
    acquired: Type.Number({ minimum: 0, maximum: 400 }),
    taken: Type.Number({ minimum: 0, maximum: 400 }),
    months: Type.Number({ minimum: 0, maximum: 36, description: "months of the leave year already counted (for the provision)" }),
    referenceGross: Money({ description: "gross counted in the paid-leave base for this leave year" }),
  },
  { additionalProperties: false },
);

export const Carry = Type.Object(
  {
    year: Type.Integer({ minimum: 2000, maximum: 2100, description: "calendar year of the year-to-date amounts" }),
    ytd: CarriedTotals,
    ceilings: Type.Record(Type.String({ pattern: "^[A-Z]{2,5}$" }), CeilingCarry),
    leave: Type.Object(
      {
        yearStart: IsoDate("1 May that opens the current leave year"),
        current: LeaveYear,
        previous: LeaveYear,
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export type CarryInput = Static<typeof Carry>;
