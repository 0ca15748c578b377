/** The body the task pane sends to submit a period: each employee's engine input and the pane's figures. */
import { type Static, Type } from "@sinclair/typebox";
import { PERIOD_PATTERN } from "../core/period.ts";
import { StaffRow } from "./master-data.ts";
import { PayslipInput } from "./payslip-input.ts";

const Cents = Type.Integer({ minimum: -1_000_000_000, maximum: 1_000_000_000 });

export const ResultSummarySchema = Type.Object(
  {
    employeeId: Type.String({ minLength: 1, maxLength: 32 }),
    gross: Cents,
    employeeTotal: Cents,
    employerTotal: Cents,
    net: Cents,
    netPaid: Cents,
    employerCost: Cents,
    contributions: Type.Record(Type.String({ pattern: "^[0-9A-Z]{3,6}R?$" }), Type.Tuple([Cents, Cents])),
  },
  { additionalProperties: false },
);

export const PeriodSubmissionBody = Type.Object(
  {
    period: Type.String({ pattern: PERIOD_PATTERN }),
    inputs: Type.Array(PayslipInput, { minItems: 1, maxItems: 2000 }),
    results: Type.Array(ResultSummarySchema, { minItems: 1, maxItems: 2000 }),
    /** The `Salariés` rows of the employees calculated (shared/schema/master-data.ts), stored with the version. */
    employees: Type.Optional(Type.Array(StaffRow, { maxItems: 2000 })),
    /**
     * The period's version the pane computed against (GET …/periods/{period} → period.version); absent or 0 when
     * nothing was submitted. A submission that replaces any other version is refused (409 STALE_VERSION).
     */
    replacesVersion: Type.Optional(Type.Integer({ minimum: 0, maximum: 9999 })),
    /**
     * The parameter-set version the pane computed with (GET /api/parameters → version; shared/rates/parameter-set.ts);
     * absent = the bundled baseline. Another version than the server's is refused naming the parameters that differ.
     */
    parameterSet: Type.Optional(Type.String({ pattern: "^[0-9a-f]{12}$" })),
  },
  { additionalProperties: false },
);
export type PeriodSubmissionBody = Static<typeof PeriodSubmissionBody>;
