/**
 * The accountant's side of the document codes: issue the missing codes of a company's staff and print their letters
 * (functions/documents/code-letter.ts), or rotate one employee's code on request. The letters are returned, never
 * stored; issuing and rotating are audited by functions/security/payslip-secrets.ts (without the codes).
 */
import type { Services } from "../app/services.ts";
import { type CodeLetter, renderCodeLetters } from "../documents/code-letter.ts";
import { ensureDocumentCode, rotateDocumentCode } from "../security/payslip-secrets.ts";
import { companiesRepository, employeesRepository } from "../storage/index.ts";
import { companyInfo, employeeInfo } from "./identity.ts";

export interface CodeLettersResult {
  pdf: Uint8Array | undefined;
  letters: { employeeId: string; issued: boolean; generation: number }[];
}

/**
 * Letters for the active employees who receive their payslip by mail: with `onlyNew`, only those whose code is
 * issued now (the ones to hand over before their first mail); otherwise every such employee's current code.
 */
export async function documentCodeLetters(
  services: Services,
  companyId: string,
  actor: string,
  options: { onlyNew?: boolean; employeeIds?: string[] } = {},
): Promise<CodeLettersResult> {
  await services.storage.ensure();
  const company = await companiesRepository(services.storage).get(companyId);
  if (!company) throw new Error(`société ${companyId} introuvable`);
  const wanted = options.employeeIds ? new Set(options.employeeIds) : undefined;
  const staff = (await employeesRepository(services.storage).list(companyId)).filter((e) => e.active && e.email && (!wanted || wanted.has(e.employeeId)));
  const now = services.now();
  const letters: CodeLetter[] = [];
  const out: CodeLettersResult["letters"] = [];
  for (const e of staff) {
    const code = await ensureDocumentCode(services.storage, companyId, e.employeeId, { actor, now });
    out.push({ employeeId: e.employeeId, issued: code.issued, generation: code.generation });
    if (options.onlyNew && !code.issued) continue;
    letters.push({ employee: employeeInfo(e), code: code.code, issuedAt: code.issuedAt, generation: code.generation });
  }
  const pdf = letters.length ? await renderCodeLetters(companyInfo(company), letters, services.fonts(), now.toISOString().slice(0, 10)) : undefined;
  return { pdf, letters: out };
}

/** A new code for one employee (lost or disclosed), and the letter that gives it. */
export async function rotateCodeWithLetter(
  services: Services,
  companyId: string,
  employeeId: string,
  actor: string,
  reason: string,
): Promise<{ pdf: Uint8Array; generation: number }> {
  await services.storage.ensure();
  const company = await companiesRepository(services.storage).get(companyId);
  if (!company) throw new Error(`société ${companyId} introuvable`);
  const employee = await employeesRepository(services.storage).get(companyId, employeeId);
  if (!employee) throw new Error(`matricule ${employeeId} absent des salariés de ${companyId}`);
  const code = await rotateDocumentCode(services.storage, companyId, employeeId, { actor, now: services.now(), reason });
  const pdf = await renderCodeLetters(
    companyInfo(company),
    [{ employee: employeeInfo(employee), code: code.code, issuedAt: code.issuedAt, generation: code.generation }],
    services.fonts(),
    code.issuedAt.slice(0, 10),
  );
  return { pdf, generation: code.generation };
}
