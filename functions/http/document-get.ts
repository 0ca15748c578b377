/** GET /api/companies/{companyId}/documents/{*path}: one stored document of the company, never cached. */
import { ApiError } from "../payroll/errors.ts";
import type { Operation } from "./operation.ts";

/** A period, a version, then a plain relative name: the address cannot reach another company's or a parent folder. */
const DOCUMENT_PATH = /^\d{4}-\d{2}\/v\d+\/[A-Za-z0-9_./-]+$/;

export const getDocument: Operation = async (req, _p, s, { companyId: id }) => {
  const rest = req.params.path ?? "";
  if (!DOCUMENT_PATH.test(rest) || rest.includes("..")) throw new ApiError(400, "INVALID_PATH", "Chemin de document invalide.");
  const blob = await s.documents.get(`companies/${id}/${rest}`);
  if (!blob) throw new ApiError(404, "not_found", "Document introuvable.");
  return { status: 200, body: blob.bytes, headers: { "Content-Type": blob.contentType, "Cache-Control": "private, no-store" } };
};
