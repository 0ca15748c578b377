/**
 * What every HTTP handler shares: authentication, a size-limited JSON body, and errors turned into JSON with a
 * French message (never a stack trace, never a token or personal data).
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";
import { AuthError, type Principal } from "../auth/index.ts";
import { ApiError } from "../payroll/errors.ts";
import { ConcurrencyError, NotFoundError, StorageError } from "../storage/index.ts";
import { COMPANY_ID_PATTERN, EMPLOYEE_ID_PATTERN } from "../storage/keys.ts";
import { PERIOD_RE } from "../../shared/core/period.ts";
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
  // Name and message only, through the context's (redacting) log: configuration errors explain themselves.
  context?.error(`unexpected error: ${(error as Error)?.name ?? "Error"}: ${(error as Error)?.message ?? ""}`.slice(0, 500));
  return json(500, { error: { code: "internal", message: "Erreur interne du service de paie ; l'incident est enregistré." } });
}

/** Reads a JSON body of at most `maxBytes`: clear 413 / 400 errors instead of a crash or a memory spike. */
export async function readJson(request: HttpRequest, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw new ApiError(413, "BODY_TOO_LARGE", `Requête trop volumineuse (${declared} octets ; ${maxBytes} au plus).`);
  const text = await request.text();
  if (Buffer.byteLength(text) > maxBytes) throw new ApiError(413, "BODY_TOO_LARGE", `Requête trop volumineuse (${maxBytes} octets au plus).`);
  if (!text.trim()) throw new ApiError(400, "EMPTY_BODY", "Corps de requête vide : JSON attendu.");
  try {
    return JSON.parse(text);
  } catch (e) {
    // JSON.parse's message quotes the body: keep only where it broke.
    const at = /position (\d+)/.exec((e as Error).message)?.[1];
    throw new ApiError(400, "INVALID_JSON", `JSON invalide${at ? ` (caractère ${at})` : ""}.`);
  }
}

/** Wraps a handler: authenticates first, maps every failure to a JSON response. */
export function api(services: () => Services, fn: (request: HttpRequest, principal: Principal, s: Services, context: InvocationContext) => Promise<HttpResponseInit>): Handler {
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
