/**
 * POST /api/companies/{companyId}/employees/{employeeId}/document-code/rotate (admin): a new code on the employee's
 * request, body { "reason": "…" }; returns its letter (PDF). The rotation is audited (functions/payroll/document-codes.ts).
 */
import { RotateBody } from "../../shared/api/document-codes.ts";
import { EMPLOYEE_ID, param, readJson } from "../app/http.ts";
import { rotateCodeWithLetter } from "../payroll/document-codes.ts";
import { ApiError } from "../payroll/errors.ts";
import { pdf } from "./document-code-pdf.ts";
import { type Operation, validate } from "./operation.ts";

export const postDocumentCodeRotate: Operation = async (req, p, s, { companyId }) => {
  const employeeId = param(req, "employeeId", EMPLOYEE_ID, "Matricule");
  const body = validate<RotateBody>(RotateBody, await readJson(req, s.config.maxBodyBytes), "Renouvellement du code");
  try {
    const { pdf: letter, generation } = await rotateCodeWithLetter(s, companyId, employeeId, p.oid, body.reason);
    return pdf(letter, `code-bulletins-${companyId}-${employeeId}.pdf`, { "X-Paie-Code-Generation": String(generation) });
  } catch (e) {
    if (/absent des salariés/.test((e as Error).message)) throw new ApiError(404, "not_found", (e as Error).message);
    throw e;
  }
};
