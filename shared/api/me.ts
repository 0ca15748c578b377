/**
 * GET /api/me: who the server says the caller is — name, roles, companies granted. The pane only shows or hides its
 * administration view from it; every admin operation is still refused by the server to an operator.
 */
import { type Static, Type } from "@sinclair/typebox";

export const MeResponse = Type.Object(
  {
    name: Type.String({ maxLength: 200 }),
    roles: Type.Array(Type.Union([Type.Literal("Payroll.Admin"), Type.Literal("Payroll.Operator")])),
    /** Company ids granted; `*` means every company. */
    companies: Type.Array(Type.String({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type MeResponse = Static<typeof MeResponse>;
