/**
 * The HTTP API for the task pane, as one table: each row is an operation of the contract (shared/api/contract.ts:
 * address, method, request and response schemas), who may call it and its handler (one file per operation, next to
 * this one). Every company route authenticates,
 * checks the role, then the company grant, then the period (operation.ts); handlers validate their body by schema
 * and answer JSON with French messages. Row names are the Azure function names and the metrics' route label.
 */

import { CONTRACT, type OperationContract, type OperationName } from "../../shared/api/contract.ts";
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
import { getMe } from "./me.ts";
import { metrics } from "./metrics.ts";
import { type Operation, scoped } from "./operation.ts";
import { putParameter } from "./parameter-put.ts";
import { getParameters } from "./parameters-get.ts";
import { getParameterHistory } from "./parameters-history.ts";
import { getCarry } from "./period-carry.ts";
import { closePeriod } from "./period-close.ts";
import { getPeriod } from "./period-get.ts";
import { reopenPeriod } from "./period-reopen.ts";
import { resendPeriod } from "./period-resend.ts";
import { runPeriod } from "./period-run.ts";
import { submitPeriod } from "./period-submit.ts";

export { VERSION } from "./version.ts";

type Method = OperationContract["method"];

/** A row: either a role and an operation run in its scope, or a handler that authenticates its own way ("own"). */
type Binding = { role: Role; handler: Operation } | { role: "own"; handler: (services: () => Services) => Handler };
/** A row of the table: the operation's name, its address and method from the contract (shared/api/contract.ts), its binding. */
export type RouteRow = { name: OperationName; route: string; methods: Method[]; contract: OperationContract } & Binding;

/** Keyed by the contract's names: an operation of the contract without a handler, or the reverse, does not type-check. */
const BINDINGS: { [K in OperationName]: Binding } = {
  // Anonymous summary; details to callers who may see them (functions/ops/health.ts).
  health: { role: "own", handler: health },
  // PAIE_METRICS_KEY holder or Payroll.Admin (functions/ops/health.ts says why).
  metrics: { role: "own", handler: metrics },
  me: { role: "Payroll.Operator", handler: getMe },
  "parameters-get": { role: "Payroll.Operator", handler: getParameters },
  "parameter-put": { role: "Payroll.Admin", handler: putParameter },
  "parameters-history": { role: "Payroll.Admin", handler: getParameterHistory },
  "companies-list": { role: "Payroll.Operator", handler: listCompanies },
  "company-get": { role: "Payroll.Operator", handler: getCompany },
  "company-put": { role: "Payroll.Admin", handler: putCompany },
  "employees-get": { role: "Payroll.Operator", handler: getEmployees },
  "employees-put": { role: "Payroll.Admin", handler: putEmployees },
  "period-submit": { role: "Payroll.Operator", handler: submitPeriod },
  "period-get": { role: "Payroll.Operator", handler: getPeriod },
  "period-carry": { role: "Payroll.Operator", handler: getCarry },
  "document-get": { role: "Payroll.Operator", handler: getDocument },
  "period-run": { role: "Payroll.Admin", handler: runPeriod },
  "period-resend": { role: "Payroll.Admin", handler: resendPeriod },
  "period-close": { role: "Payroll.Admin", handler: closePeriod },
  "period-reopen": { role: "Payroll.Admin", handler: reopenPeriod },
  "audit-get": { role: "Payroll.Admin", handler: listAudit },
  // Admin only: printing a code is handing over a secret.
  "document-code-letters": { role: "Payroll.Admin", handler: postDocumentCodeLetters },
  "document-code-rotate": { role: "Payroll.Admin", handler: postDocumentCodeRotate },
};

export const ROUTES: RouteRow[] = (Object.keys(CONTRACT) as OperationName[]).map((name) => {
  const contract: OperationContract = CONTRACT[name];
  return { name, route: contract.path, methods: [contract.method], contract, ...BINDINGS[name] };
});

/** The table bound to the app's services: what functions/definitions.ts registers. */
export function routes(services: () => Services): { name: string; route: string; methods: Method[]; handler: Handler }[] {
  return ROUTES.map((r) => ({
    name: r.name,
    route: r.route,
    methods: r.methods,
    handler: r.role === "own" ? r.handler(services) : scoped(services, r.role, r.handler),
  }));
}
