/**
 * POST /api/companies/{companyId}/document-codes/letters (admin: printing a code is handing over a secret): issue the
 * missing codes of the staff who receive mails and return their letters (PDF, one page each); body
 * { "onlyNew"?: true, "employeeIds"?: [...] } — default onlyNew: the letters to hand over before those employees'
 * first mail; 204 when there is none. The codes only ever leave in these PDFs (never JSON, never a log); issuing and
 * printing are audited.
 */

import type { HttpRequest } from "@azure/functions";
import { LettersBody } from "../../shared/api/document-codes.ts";
import { readJson } from "../app/http.ts";
import { documentCodeLetters } from "../payroll/document-codes.ts";
import { auditRepository } from "../storage/index.ts";
import { pdf } from "./document-code-pdf.ts";
import { type Operation, validate } from "./operation.ts";

/** No body at all means the defaults; a body present goes through readJson's limits and checks. */
async function optionalJson(req: HttpRequest, maxBytes: number): Promise<unknown> {
  const length = req.headers.get("content-length");
  if ((length === null || length === "0") && !req.headers.get("transfer-encoding")) return {};
  return readJson(req, maxBytes);
}

export const postDocumentCodeLetters: Operation = async (req, p, s, { companyId }) => {
  const actor = p.oid;
  const body = validate<LettersBody>(LettersBody, await optionalJson(req, s.config.maxBodyBytes), "Demande de courriers");
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
};
