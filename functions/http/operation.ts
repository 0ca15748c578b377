/**
 * What every route of the table (routes.ts) shares once its row is read: the caller authenticated and holding the
 * row's role, then granted the company of the address, then the period of the address checked, storage ready. A
 * handler file starts from that scope, so it only parses its body, calls functions/payroll and answers.
 */
import type { HttpRequest, HttpResponseInit } from "@azure/functions";
import type { TSchema } from "@sinclair/typebox";
import { compileChecker } from "../../shared/schema/checker.ts";
import { schemaIssues } from "../../shared/schema/validate.ts";
import { api, COMPANY_ID, type Handler, PERIOD, param } from "../app/http.ts";
import type { Services } from "../app/services.ts";
import { type Principal, type Role, requireCompany, requireRole } from "../auth/index.ts";
import { ApiError } from "../payroll/errors.ts";

/** The address's company and period, checked; "" where the route has none. */
export interface Scope {
  companyId: string;
  period: string;
}

/** One HTTP operation, called once role, grant and address are checked. */
export type Operation = (req: HttpRequest, principal: Principal, s: Services, scope: Scope) => Promise<HttpResponseInit>;

/** Role first (401/403 before anything is read), then the grant on the company, then the period, then storage. */
export function scoped(services: () => Services, role: Role, fn: Operation): Handler {
  return api(services, async (req, p, s) => {
    requireRole(p, role);
    let companyId = "";
    if (req.params.companyId !== undefined) {
      companyId = param(req, "companyId", COMPANY_ID, "Société");
      requireCompany(p, companyId);
    }
    const period = req.params.period !== undefined ? param(req, "period", PERIOD, "Période") : "";
    await s.storage.ensure();
    return fn(req, p, s, { companyId, period });
  });
}

/** A body checked against its schema, or 400 INVALID_BODY naming the first field at fault (`what` names the body). */
export function validate<T>(schema: TSchema, value: unknown, what: string): T {
  const check = compileChecker(schema);
  if (check.Check(value)) return value as T;
  const details = schemaIssues(value, check).slice(0, 20);
  throw new ApiError(400, "INVALID_BODY", `${what} invalide : ${details[0]?.message ?? "corps non conforme"}`, details);
}
