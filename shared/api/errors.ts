/** What every refusal of the API answers: a code to branch on and a French message to show as it is. */
import { type Static, Type } from "@sinclair/typebox";

export const ErrorBody = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Array(Type.Unknown())),
  }),
});
export type ErrorBody = Static<typeof ErrorBody>;
