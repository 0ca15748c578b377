/** The audit trail as functions/storage stores it and GET /api/companies/{companyId}/audit (admin) lists it. */
import { type Static, Type } from "@sinclair/typebox";
import { CompanyId, IsoDateTime } from "./fields.ts";

/** Any JSON value: what an audited record was before and after (names of fields only where it is personal data). */
export const JsonValue = Type.Recursive((Self) =>
  Type.Union([Type.Null(), Type.Boolean(), Type.Number(), Type.String(), Type.Array(Self), Type.Record(Type.String(), Self)]),
);

export const AuditEntry = Type.Object(
  {
    companyId: Type.Optional(CompanyId()),
    at: IsoDateTime(),
    actor: Type.String({ minLength: 1, maxLength: 200 }),
    action: Type.String({ minLength: 1, maxLength: 100 }),
    target: Type.String({ maxLength: 500 }),
    before: Type.Optional(JsonValue),
    after: Type.Optional(JsonValue),
  },
  { additionalProperties: false },
);
export type AuditEntry = Static<typeof AuditEntry>;

export const AuditResponse = Type.Object({ entries: Type.Array(AuditEntry) });
