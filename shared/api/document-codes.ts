/** Requests of the document-code routes (admin); both answer a PDF of letters, never the codes as JSON. */
import { type Static, Type } from "@sinclair/typebox";
import { EmployeeId } from "./fields.ts";

/** POST …/document-codes/letters; no body means { onlyNew: true }. 204 when there is no letter to print. */
export const LettersBody = Type.Object(
  {
    onlyNew: Type.Optional(Type.Boolean()),
    employeeIds: Type.Optional(Type.Array(EmployeeId(), { minItems: 1, maxItems: 5000 })),
  },
  { additionalProperties: false },
);
export type LettersBody = Static<typeof LettersBody>;

/** POST …/employees/{employeeId}/document-code/rotate: a new code on the employee's request. */
export const RotateBody = Type.Object({ reason: Type.String({ minLength: 3, maxLength: 200 }) }, { additionalProperties: false });
export type RotateBody = Static<typeof RotateBody>;
