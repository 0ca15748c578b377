/**
 * PUT /api/parameters: enter or correct one dated value with its reference (admin). Refused with 422 and a French
 * message naming the field when implausible; `confirm: true` accepts a value far from the previous one.
 */
import { ParameterBody, type ParameterChangeResponse } from "../../shared/api/parameters.ts";
import { json, readJson } from "../app/http.ts";
import { changeParameter } from "../payroll/parameters.ts";
import { type Operation, validate } from "./operation.ts";

export const putParameter: Operation = async (req, p, s) => {
  const { confirm, ...change } = validate<ParameterBody>(ParameterBody, await readJson(req, s.config.maxBodyBytes), "Valeur de paramètre");
  const outcome: ParameterChangeResponse = await changeParameter(s, p, change, confirm === true);
  return json(outcome.changed ? 201 : 200, outcome);
};
