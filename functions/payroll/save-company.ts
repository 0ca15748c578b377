/**
 * Creating or updating a company's record (PUT /api/companies/{companyId}), audited with what it replaced. Its
 * options (a higher CMRC TA rate, conventional holidays) are checked against the parameter set in force first:
 * a refused company stores nothing and audits nothing.
 */
import type { CompanyBody } from "../../shared/api/company.ts";
import { checkCompanySettings } from "../../shared/rules/company-settings.ts";
import type { Services } from "../app/services.ts";
import type { Principal } from "../auth/index.ts";
import type { Stored } from "../storage/codec.ts";
import { auditRepository, type Company, companiesRepository, parametersRepository } from "../storage/index.ts";
import { ApiError } from "./errors.ts";

/** `ifMatch` is the caller's If-Match (absent: the version just read, i.e. last writer wins on the fields sent). */
export async function saveCompany(s: Services, p: Principal, body: CompanyBody, ifMatch: string | null): Promise<{ created: boolean; saved: Stored<Company> }> {
  const id = body.id;
  if (body.settings.engine) {
    const { set } = await parametersRepository(s.storage).current();
    const issues = checkCompanySettings(body.settings.engine, set.files);
    if (issues.length) throw new ApiError(422, "COMPANY_SETTINGS_REFUSED", `Société refusée — ${issues[0]!.message}.`, issues);
  }
  const repo = companiesRepository(s.storage);
  const now = s.now().toISOString();
  const before = await repo.get(id);
  const next: Company = { ...body, updatedAt: now, updatedBy: p.name || p.oid };
  const saved = before ? await repo.update({ ...next, etag: ifMatch ?? before.etag }) : await repo.create(next);
  const { etag: _b, ...beforeValue } = before ?? { etag: "" };
  await auditRepository(s.storage).append({
    companyId: id,
    at: now,
    actor: p.oid,
    action: before ? "company.update" : "company.create",
    target: id,
    before: before ? beforeValue : null,
    after: next,
  });
  return { created: !before, saved };
}
