/** PUT /api/companies/{companyId}: create or update a company (admin); If-Match guards the update. */
import { CompanyBody } from "../../shared/api/company.ts";
import { json, readJson } from "../app/http.ts";
import { ApiError } from "../payroll/errors.ts";
import { saveCompany } from "../payroll/save-company.ts";
import { type Operation, validate } from "./operation.ts";

export const putCompany: Operation = async (req, p, s, { companyId: id }) => {
  const body = validate<CompanyBody>(CompanyBody, await readJson(req, s.config.maxBodyBytes), "Société");
  if (body.id !== id) throw new ApiError(400, "COMPANY_MISMATCH", `L'identifiant du corps (${body.id}) ne correspond pas à l'adresse (${id}).`);
  const { created, saved } = await saveCompany(s, p, body, req.headers.get("if-match"));
  return json(created ? 201 : 200, saved, { ETag: saved.etag });
};
