/**
 * How the app protects a payslip PDF (arrêté ministériel n° 2019-1088, electronic payslip):
 * - stored: sealed at generation (functions/payroll/documents.ts) with the firm's certificate, so the copy kept five
 *   years and every re-sent copy can be verified;
 * - mailed: the stored copy, its seal removed, encrypted (AES-256) with the employee's document code
 *   (functions/security/payslip-secrets.ts), then sealed again — the seal covers the encrypted bytes the employee
 *   receives. The code is issued here if the employee had none yet (audited); it is never returned to the mail layer.
 */
import type { Services } from "../app/services.ts";
import type { MailJob } from "../mail/types.ts";
import { ensureDocumentCode } from "../security/payslip-secrets.ts";
import { type SealOptions, sealPdf } from "./seal.ts";

const REASON = "Bulletin de paie — intégrité garantie par l'employeur (A.M. n° 2019-1088)";

function sealOptions(companyName: string | undefined, signingTime: Date): SealOptions {
  return { signingTime, reason: REASON, location: "Monaco", ...(companyName ? { name: companyName } : {}) };
}

/** The sealer the payroll run hands to generatePeriodDocuments: one signing time per run. */
export function payslipSealer(services: Pick<Services, "sealKey">, companyName: string, signingTime: Date): (pdf: Uint8Array) => Promise<Uint8Array> {
  return (pdf) => sealPdf(pdf, services.sealKey(), sealOptions(companyName, signingTime));
}

/** The attachment of a payslip mail: the stored payslip, encrypted with the employee's code, then sealed. */
export async function protectedMailAttachment(services: Pick<Services, "documents" | "storage" | "sealKey" | "now">, job: MailJob): Promise<Uint8Array> {
  if (!job.documentPath) throw new Error(`bulletin introuvable pour ${job.id}`);
  const blob = await services.documents.get(job.documentPath);
  if (!blob) throw new Error(`bulletin absent du stockage : ${job.documentPath}`);
  const key = services.sealKey();
  const { code } = await ensureDocumentCode(services.storage, job.companyId, job.employeeId, { actor: "timer:mail-dispatcher", now: services.now() });
  return sealPdf(new Uint8Array(blob.bytes), key, { ...sealOptions(job.companyName, services.now()), encryptWith: code });
}
