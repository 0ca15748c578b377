/** The firm's parameter set through the API: read it (any role), enter a dated value (admin), its history (admin). */
import { type Static, Type } from "@sinclair/typebox";
import { StoredParameterValue } from "../rates/parameter-set.ts";
import { AuditEntry } from "./audit.ts";
import { IsoDateTime } from "./fields.ts";

const SetVersion = () => Type.String({ minLength: 1, maxLength: 40 });

/** GET /api/parameters: enough for the pane to rebuild the same set on its own baseline. */
export const ParametersResponse = Type.Object(
  {
    version: SetVersion(),
    baselineVersion: SetVersion(),
    updatedAt: Type.Union([IsoDateTime(), Type.Null()]),
    updatedBy: Type.Union([Type.String(), Type.Null()]),
    values: Type.Array(StoredParameterValue),
  },
  { additionalProperties: false },
);
export type ParametersResponse = Static<typeof ParametersResponse>;

/** PUT /api/parameters: one dated value with its reference; `confirm: true` accepts a value far from the previous one. */
export const ParameterBody = Type.Composite([StoredParameterValue, Type.Object({ confirm: Type.Optional(Type.Boolean()) })], { additionalProperties: false });
export type ParameterBody = Static<typeof ParameterBody>;

/** Its answer: 201 when a new version was stored, 200 when the value was already the one in force. */
export const ParameterChangeResponse = Type.Object(
  { changed: Type.Boolean(), version: SetVersion(), previousVersion: SetVersion() },
  { additionalProperties: false },
);
export type ParameterChangeResponse = Static<typeof ParameterChangeResponse>;

/** GET /api/parameters/history: the firm-wide audit entries of parameter changes, newest first. */
export const ParameterHistoryResponse = Type.Object({ entries: Type.Array(AuditEntry) });
export type ParameterHistoryResponse = Static<typeof ParameterHistoryResponse>;
