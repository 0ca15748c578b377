/**
 * The HTTP API for the task pane, as one table: each row names an operation, its address under /api, its methods,
 * who may call it and the handler (one file per operation, next to this one). Every company route authenticates,
 * checks the role, then the company grant, then the period (operation.ts); handlers validate their body by schema
 * and answer JSON with French messages. Row names are the Azure function names and the metrics' route label.
 */

import type { Handler } from "../app/http.ts";
import type { Services } from "../app/services.ts";
import type { Role } from "../auth/index.ts";
import { listAudit } from "./audit-list.ts";
import { listCompanies } from "./companies-list.ts";
import { getCompany } from "./company-get.ts";
import { putCompany } from "./company-put.ts";
import { postDocumentCodeLetters } from "./document-code-letters.ts";
import { postDocumentCodeRotate } from "./document-code-rotate.ts";
import { getDocument } from "./document-get.ts";
import { getEmployees } from "./employees-get.ts";
import { putEmployees } from "./employees-put.ts";
import { health } from "./health.ts";
import { metrics } from "./metrics.ts";
import { type Operation, scoped } from "./operation.ts";
import { getCarry } from "./period-carry.ts";
import { closePeriod } from "./period-close.ts";
import { getPeriod } from "./period-get.ts";
import { resendPeriod } from "./period-resend.ts";
import { runPeriod } from "./period-run.ts";
import { submitPeriod } from "./period-submit.ts";

export { VERSION } from "./version.ts";

type Method = "GET" | "POST" | "PUT";

/** A row: either a role and an operation run in its scope, or a handler that authenticates its own way ("own"). */
export type RouteRow = { name: string; route: string; methods: Method[] } & (
  | { role: Role; handler: Operation }
  | { role: "own"; handler: (services: () => Services) => Handler }
);

const C = "companies/{companyId}";
const P = `${C}/periods/{period}`;

export const ROUTES: RouteRow[] = [
  // Anonymous summary; details to callers who may see them (functions/ops/health.ts).
  { name: "health", route: "health", methods: ["GET"], role: "own", handler: health },
  // PAIE_METRICS_KEY holder or Payroll.Admin (functions/ops/health.ts says why).
  { name: "metrics", route: "metrics", methods: ["GET"], role: "own", handler: metrics },
  { name: "companies-list", route: "companies", methods: ["GET"], role: "Payroll.Operator", handler: listCompanies },
  { name: "company-get", route: C, methods: ["GET"], role: "Payroll.Operator", handler: getCompany },
  { name: "company-put", route: C, methods: ["PUT"], role: "Payroll.Admin", handler: putCompany },
  { name: "employees-get", route: `${C}/employees`, methods: ["GET"], role: "Payroll.Operator", handler: getEmployees },
  { name: "employees-put", route: `${C}/employees`, methods: ["PUT"], role: "Payroll.Admin", handler: putEmployees },
  { name: "period-submit", route: P, methods: ["POST"], role: "Payroll.Operator", handler: submitPeriod },
  { name: "period-get", route: P, methods: ["GET"], role: "Payroll.Operator", handler: getPeriod },
  { name: "period-carry", route: `${P}/carry`, methods: ["GET"], role: "Payroll.Operator", handler: getCarry },
  { name: "document-get", route: `${C}/documents/{*path}`, methods: ["GET"], role: "Payroll.Operator", handler: getDocument },
  { name: "period-run", route: `${P}/run`, methods: ["POST"], role: "Payroll.Admin", handler: runPeriod },
  { name: "period-resend", route: `${P}/resend`, methods: ["POST"], role: "Payroll.Admin", handler: resendPeriod },
  { name: "period-close", route: `${P}/close`, methods: ["POST"], role: "Payroll.Admin", handler: closePeriod },
  { name: "audit-get", route: `${C}/audit`, methods: ["GET"], role: "Payroll.Admin", handler: listAudit },
  // Admin only: printing a code is handing over a secret.
  { name: "document-code-letters", route: `${C}/document-codes/letters`, methods: ["POST"], role: "Payroll.Admin", handler: postDocumentCodeLetters },
  {
    name: "document-code-rotate",
    route: `${C}/employees/{employeeId}/document-code/rotate`,
    methods: ["POST"],
    role: "Payroll.Admin",
    handler: postDocumentCodeRotate,
  },
];

/** The table bound to the app's services: what functions/definitions.ts registers. */
export function routes(services: () => Services): { name: string; route: string; methods: Method[]; handler: Handler }[] {
  return ROUTES.map((r) => ({
    name: r.name,
    route: r.route,
    methods: r.methods,
    handler: r.role === "own" ? r.handler(services) : scoped(services, r.role, r.handler),
  }));
}
