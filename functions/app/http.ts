/**
 * What every HTTP handler shares: authentication, a size-limited JSON body, and errors turned into JSON with a
 * French message (never a stack trace, never a token or personal data).
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";
import { PERIOD_RE } from "../../shared/core/period.ts";
import { controlCharacterIssue } from "../../shared/schema/control-characters.ts";
import { AuthError, type Principal } from "../auth/index.ts";
import { ApiError } from "../payroll/errors.ts";
import { ConcurrencyError, NotFoundError, StorageError } from "../storage/index.ts";
import { COMPANY_ID_PATTERN, EMPLOYEE_ID_PATTERN } from "../storage/keys.ts";
import { jsonDepthExceeds, MAX_JSON_DEPTH } from "./json-depth.ts";
import type { Services } from "./services.ts";

export type Handler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponseInit {
  return { status, jsonBody: body, headers: { "Cache-Control": "no-store", ...headers } };
}

export function errorResponse(error: unknown, context?: InvocationContext): HttpResponseInit {
  if (error instanceof AuthError) {
    const r = error.toResponse();
    return { ...r, headers: { "Cache-Control": "no-store", ...r.headers } };
  }
  if (error instanceof ApiError) return json(error.status, { error: { code: error.code, message: error.message, details: error.details } });
  if (error instanceof NotFoundError) return json(404, { error: { code: "not_found", message: error.message } });
  if (error instanceof ConcurrencyError) return json(409, { error: { code: "conflict", message: "Modification concurrente : rechargez puis réessayez." } });
  if (error instanceof StorageError && error.code === "transition") return json(409, { error: { code: "invalid_transition", message: error.message } });
  // Over Table Storage's entity or property limits (checked before sending, or refused by the service): the
  // message names table, partition and row, i.e. the company and the employee.
  if (error instanceof StorageError && error.code === "too-large") return json(413, { error: { code: "ENTITY_TOO_LARGE", message: error.message } });
  // Name and message only, through the context's (redacting) log: configuration errors explain themselves.
  context?.error(`unexpected error: ${(error as Error)?.name ?? "Error"}: ${(error as Error)?.message ?? ""}`.slice(0, 500));
  return json(500, { error: { code: "internal", message: "Erreur interne du service de paie ; l'incident est enregistré." } });
}

/**
 * Reads a JSON body of at most `maxBytes`: clear 413 / 400 errors instead of a crash or a memory spike. The nesting
 * depth is checked on the raw text before parsing, and control characters are refused with the field holding them
 * (`label` names the body in that message when it is a list: "salariés[3].lastName").
 */
export async function readJson(request: HttpRequest, maxBytes: number, label = ""): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw new ApiError(413, "BODY_TOO_LARGE", `Requête trop volumineuse (${declared} octets ; ${maxBytes} au plus).`);
  const text = await request.text();
  if (Buffer.byteLength(text) > maxBytes) throw new ApiError(413, "BODY_TOO_LARGE", `Requête trop volumineuse (${maxBytes} octets au plus).`);
  if (!text.trim()) throw new ApiError(400, "EMPTY_BODY", "Corps de requête vide : JSON attendu.");
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) throw new ApiError(400, "TOO_DEEP", `Corps de requête trop imbriqué (profondeur > ${MAX_JSON_DEPTH}).`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    // JSON.parse's message quotes the body: keep only where it broke.
    const at = /position (\d+)/.exec((e as Error).message)?.[1];
    throw new ApiError(400, "INVALID_JSON", `JSON invalide${at ? ` (caractère ${at})` : ""}.`);
  }
  const control = controlCharacterIssue(value, label);
  if (control) throw new ApiError(400, control.code, control.message, [control]);
  return value;
}

/** Wraps a handler: authenticates first, maps every failure to a JSON response. */
export function api(
  services: () => Services,
  fn: (request: HttpRequest, principal: Principal, s: Services, context: InvocationContext) => Promise<HttpResponseInit>,
): Handler {
  return async (request, context) => {
    try {
      const s = services();
      const principal = await s.auth.authenticate(request);
      return await fn(request, principal, s, context);
    } catch (error) {
      return errorResponse(error, context);
    }
  };
}

export function param(request: HttpRequest, name: string, pattern: RegExp, label: string): string {
  const value = request.params[name] ?? "";
  if (!pattern.test(value)) throw new ApiError(400, "INVALID_PARAMETER", `${label} invalide dans l'adresse : « ${value.slice(0, 40)} ».`);
  return value;
}

export const COMPANY_ID = new RegExp(COMPANY_ID_PATTERN);
export const PERIOD = PERIOD_RE;
export const EMPLOYEE_ID = new RegExp(EMPLOYEE_ID_PATTERN);
