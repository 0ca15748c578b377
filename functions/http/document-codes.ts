/**
 * The document codes through the API (admin only: printing a code is handing over a secret):
 *
 *   POST /api/companies/{companyId}/document-codes/letters                   issue the missing codes of the staff who
 *        receive mails and return their letters (PDF, one page each); body { "onlyNew"?: true, "employeeIds"?: [...] }
 *        — default onlyNew: the letters to hand over before those employees' first mail; 204 when there is none
 *   POST /api/companies/{companyId}/employees/{employeeId}/document-code/rotate  a new code on the employee's
 *        request, body { "reason": "…" }; returns its letter (PDF)
 *
 * The codes only ever leave in these PDFs (never JSON, never a log); issuing, rotating and printing are audited.
 */

import type { HttpRequest, HttpResponseInit } from "@azure/functions";
import { type Static, Type } from "@sinclair/typebox";
import { compileChecker } from "../../shared/schema/checker.ts";
import { schemaIssues } from "../../shared/schema/validate.ts";
import { api, COMPANY_ID, EMPLOYEE_ID, type Handler, param, readJson } from "../app/http.ts";
import type { Services } from "../app/services.ts";
import { requireCompany, requireRole } from "../auth/index.ts";
import { documentCodeLetters, rotateCodeWithLetter } from "../payroll/document-codes.ts";
import { ApiError } from "../payroll/errors.ts";
import { auditRepository } from "../storage/index.ts";
import { EMPLOYEE_ID_PATTERN } from "../storage/keys.ts";

const LettersBody = Type.Object(
  {
    onlyNew: Type.Optional(Type.Boolean()),
    employeeIds: Type.Optional(Type.Array(Type.String({ pattern: EMPLOYEE_ID_PATTERN }), { minItems: 1, maxItems: 5000 })),
  },
  { additionalProperties: false },
);
const RotateBody = Type.Object({ reason: Type.String({ minLength: 3, maxLength: 200 }) }, { additionalProperties: false });

function validate<T>(schema: Parameters<typeof compileChecker>[0], value: unknown, what: string): T {
  const check = compileChecker(schema);
  if (check.Check(value)) return value as T;
  const details = schemaIssues(value, check).slice(0, 20);
  throw new ApiError(400, "INVALID_BODY", `${what} invalide : ${details[0]?.message ?? "corps non conforme"}`, details);
}

/** No body at all means the defaults; a body present goes through readJson's limits and checks. */
async function optionalJson(req: HttpRequest, maxBytes: number): Promise<unknown> {
  const length = req.headers.get("content-length");
  if ((length === null || length === "0") && !req.headers.get("transfer-encoding")) return {};
  return readJson(req, maxBytes);
}

const pdf = (bytes: Uint8Array, name: string, headers: Record<string, string> = {}): HttpResponseInit => ({
  status: 200,
  body: bytes,
  headers: { "Content-Type": "application/pdf", "Content-Disposition": `attachment; filename="${name}"`, "Cache-Control": "private, no-store", ...headers },
});

export function documentCodeRoutes(services: () => Services): { name: string; route: string; methods: ("GET" | "POST" | "PUT")[]; handler: Handler }[] {
  const admin = (fn: (req: HttpRequest, actor: string, s: Services, companyId: string) => Promise<HttpResponseInit>): Handler =>
    api(services, async (req, p, s) => {
      requireRole(p, "Payroll.Admin");
      const companyId = param(req, "companyId", COMPANY_ID, "Société");
      requireCompany(p, companyId);
      await s.storage.ensure();
      return fn(req, p.oid, s, companyId);
    });
  return [
    {
      name: "document-code-letters",
      route: "companies/{companyId}/document-codes/letters",
      methods: ["POST"],
      handler: admin(async (req, actor, s, companyId) => {
        const body = validate<Static<typeof LettersBody>>(LettersBody, await optionalJson(req, s.config.maxBodyBytes), "Demande de courriers");
        const result = await documentCodeLetters(s, companyId, actor, {
          onlyNew: body.onlyNew ?? true,
          ...(body.employeeIds ? { employeeIds: body.employeeIds } : {}),
        });
        const printed = result.letters.filter((l) => !(body.onlyNew ?? true) || l.issued).map((l) => l.employeeId);
        if (!result.pdf) return { status: 204, headers: { "Cache-Control": "no-store" } };
        await auditRepository(s.storage).append({
          companyId,
          at: s.now().toISOString(),
          actor,
          action: "document-code.letters",
          target: companyId,
          after: { employees: printed },
        });
        return pdf(result.pdf, `codes-bulletins-${companyId}.pdf`, { "X-Paie-Letters": String(printed.length) });
      }),
    },
    {
      name: "document-code-rotate",
      route: "companies/{companyId}/employees/{employeeId}/document-code/rotate",
      methods: ["POST"],
      handler: admin(async (req, actor, s, companyId) => {
        const employeeId = param(req, "employeeId", EMPLOYEE_ID, "Matricule");
        const body = validate<Static<typeof RotateBody>>(RotateBody, await readJson(req, s.config.maxBodyBytes), "Renouvellement du code");
        try {
          const { pdf: letter, generation } = await rotateCodeWithLetter(s, companyId, employeeId, actor, body.reason);
          return pdf(letter, `code-bulletins-${companyId}-${employeeId}.pdf`, { "X-Paie-Code-Generation": String(generation) });
        } catch (e) {
          if (/absent des salariés/.test((e as Error).message)) throw new ApiError(404, "not_found", (e as Error).message);
          throw e;
        }
      }),
    },
  ];
}
