/**
 * PUT /api/parameters: enter or correct one dated value with its reference (admin). Refused with 422 and a French
 * message naming the field when implausible; `confirm: true` accepts a value far from the previous one.
 */
import type { HttpRequest, HttpResponseInit } from "@azure/functions";
import { Type } from "@sinclair/typebox";
import { StoredParameterValue } from "../../shared/rates/parameter-set.ts";
import { compileChecker } from "../../shared/schema/checker.ts";
import { schemaIssues } from "../../shared/schema/validate.ts";
import { json, readJson } from "../app/http.ts";
import type { Services } from "../app/services.ts";
import type { Principal } from "../auth/index.ts";
import { ApiError } from "../payroll/errors.ts";
import { changeParameter } from "../payroll/parameters.ts";

const Body = Type.Composite([StoredParameterValue, Type.Object({ confirm: Type.Optional(Type.Boolean()) })], { additionalProperties: false });
const checkBody = compileChecker(Body);

export async function putParameter(req: HttpRequest, p: Principal, s: Services): Promise<HttpResponseInit> {
  const body = await readJson(req, s.config.maxBodyBytes);
  if (!checkBody.Check(body)) {
    const details = schemaIssues(body, checkBody).slice(0, 20);
    throw new ApiError(400, "INVALID_BODY", `Valeur de paramètre invalide : ${details[0]?.message ?? "corps non conforme"}`, details);
  }
  const { confirm, ...change } = body;
  const outcome = await changeParameter(s, p, change, confirm === true);
  return json(outcome.changed ? 201 : 200, outcome);
}
