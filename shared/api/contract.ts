/**
 * The HTTP API as one contract, shared by the Azure app and the add-in: per operation, its method, its address under
 * /api, the schema of its JSON body and what each status answers (a JSON schema, or a media type for documents and
 * metrics). functions/http/routes.ts registers exactly these operations (its rows are keyed by these names, a missing
 * one does not type-check); addin/api/client.ts builds its addresses and checks its answers from here; and
 * tests/functions/api-contract.test.ts calls every operation on a local stack and checks each answer against it.
 * Refusals (4xx, 5xx) are ErrorBody unless an entry says otherwise.
 */
import type { TSchema } from "@sinclair/typebox";
import { AuditResponse } from "./audit.ts";
import { CompaniesResponse, CompanyBody, CompanyResponse } from "./company.ts";
import { LettersBody, RotateBody } from "./document-codes.ts";
import { EmployeesBody, EmployeesPutResponse, EmployeesResponse } from "./employees.ts";
import { HealthResponse } from "./health.ts";
import { MeResponse } from "./me.ts";
import { ParameterBody, ParameterChangeResponse, ParameterHistoryResponse, ParametersResponse } from "./parameters.ts";
import {
  CarryResponse,
  CloseResponse,
  PeriodState,
  PeriodSubmissionBody,
  ReopenBody,
  ReopenResponse,
  ResendResponse,
  RunRequested,
  SubmitOutcome,
} from "./periods.ts";

/** An answer that is not JSON: its Content-Type (a document's own type for "document"), or no body at all. */
export type MediaAnswer = { media: "application/pdf" | "text/plain" | "document" | "none" };
export type Answer = TSchema | MediaAnswer;

export interface OperationContract {
  method: "GET" | "POST" | "PUT";
  /** Under /api, with {name} parameters as Azure Functions writes them. */
  path: string;
  /** The JSON body, validated by the operation before anything else is read. */
  request?: TSchema;
  /** Success statuses and what each answers. */
  responses: Readonly<Record<number, Answer>>;
}

const C = "companies/{companyId}";
const P = `${C}/periods/{period}`;
const PDF: MediaAnswer = { media: "application/pdf" };

export const CONTRACT = {
  // Anonymous summary; details to callers who may see them. 503 is degraded storage, still a HealthResponse.
  health: { method: "GET", path: "health", responses: { 200: HealthResponse, 503: HealthResponse } },
  // The caller's name, roles and grants: the pane hides what the server would refuse anyway.
  me: { method: "GET", path: "me", responses: { 200: MeResponse } },
  "parameters-get": { method: "GET", path: "parameters", responses: { 200: ParametersResponse } },
  "parameter-put": { method: "PUT", path: "parameters", request: ParameterBody, responses: { 200: ParameterChangeResponse, 201: ParameterChangeResponse } },
  "parameters-history": { method: "GET", path: "parameters/history", responses: { 200: ParameterHistoryResponse } },
  metrics: { method: "GET", path: "metrics", responses: { 200: { media: "text/plain" } } },
  "companies-list": { method: "GET", path: "companies", responses: { 200: CompaniesResponse } },
  "company-get": { method: "GET", path: C, responses: { 200: CompanyResponse } },
  "company-put": { method: "PUT", path: C, request: CompanyBody, responses: { 200: CompanyResponse, 201: CompanyResponse } },
  "employees-get": { method: "GET", path: `${C}/employees`, responses: { 200: EmployeesResponse } },
  "employees-put": { method: "PUT", path: `${C}/employees`, request: EmployeesBody, responses: { 200: EmployeesPutResponse } },
  "period-submit": { method: "POST", path: P, request: PeriodSubmissionBody, responses: { 200: SubmitOutcome, 201: SubmitOutcome } },
  "period-get": { method: "GET", path: P, responses: { 200: PeriodState } },
  "period-carry": { method: "GET", path: `${P}/carry`, responses: { 200: CarryResponse } },
  "document-get": { method: "GET", path: `${C}/documents/{*path}`, responses: { 200: { media: "document" } } },
  // Queued (202), or skipped with the reason (200): the run's end is in the period's state.
  "period-run": { method: "POST", path: `${P}/run`, responses: { 200: RunRequested, 202: RunRequested } },
  "period-resend": { method: "POST", path: `${P}/resend`, responses: { 200: ResendResponse } },
  "period-close": { method: "POST", path: `${P}/close`, responses: { 200: CloseResponse } },
  // Admin only: a mailed or closed month opened for a corrected version (409 NOT_REOPENABLE otherwise).
  "period-reopen": { method: "POST", path: `${P}/reopen`, request: ReopenBody, responses: { 200: ReopenResponse } },
  "audit-get": { method: "GET", path: `${C}/audit`, responses: { 200: AuditResponse } },
  // Admin only: printing a code is handing over a secret. No body means { onlyNew: true }; 204 when nothing to print.
  "document-code-letters": { method: "POST", path: `${C}/document-codes/letters`, request: LettersBody, responses: { 200: PDF, 204: { media: "none" } } },
  "document-code-rotate": { method: "POST", path: `${C}/employees/{employeeId}/document-code/rotate`, request: RotateBody, responses: { 200: PDF } },
} as const satisfies Record<string, OperationContract>;

export type OperationName = keyof typeof CONTRACT;

export const isMedia = (a: Answer): a is MediaAnswer => typeof (a as MediaAnswer).media === "string" && !("type" in a);

/** The address of an operation with its parameters filled in and encoded, e.g. `companies/demo-sam/periods/2025-08`. */
export function operationPath(name: OperationName, params: Record<string, string> = {}): string {
  return CONTRACT[name].path.replace(/\{\*?(\w+)\}/g, (_, key: string) => {
    const value = params[key];
    if (value === undefined) throw new Error(`${name}: paramètre ${key} manquant`);
    return key === "path" ? value.split("/").map(encodeURIComponent).join("/") : encodeURIComponent(value);
  });
}
