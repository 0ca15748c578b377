/**
 * Seal benchmark: one payslip PDF sealed as it is stored (functions/documents/seal.ts), and the mailed copy — the
 * stored one, its seal removed, encrypted AES-256 with a document code, sealed again — 100 times each, sequentially
 * on one core, with a test ECDSA P-256 certificate (RSA-2048 signing adds about 1 ms). Reports CPU milliseconds per
 * payslip (wall time on a shared machine mostly measures the neighbours; both are given).
 */
import { performance } from "node:perf_hooks";
import { loadDocumentFonts } from "../functions/documents/fonts.ts";
import { sealPdf } from "../functions/documents/seal.ts";
import { newDocumentCode } from "../functions/security/payslip-secrets.ts";
import { ephemeralSealKey } from "../functions/security/seal-key.ts";
import { renderPayslipPdf } from "../shared/documents/payslip.ts";
import { company, employees } from "../tests/documents/fixtures/identities.ts";
import { bs202508a } from "../tests/documents/fixtures/payslips.ts";

const ROUNDS = 100;

export async function run(): Promise<Record<string, unknown>> {
  const { key } = await ephemeralSealKey("Cachet de banc d'essai");
  const employee = employees.find((e) => e.id === bs202508a.employeeId)!;
  const payslip = await renderPayslipPdf({ result: bs202508a, employee, company }, loadDocumentFonts());
  const signingTime = new Date("2025-08-31T02:00:00Z");
  const code = newDocumentCode();
  // Warm-up: module JIT, which a long-running host pays once.
  const stored = await sealPdf(payslip, key, { signingTime });
  await sealPdf(stored, key, { signingTime, encryptWith: code });

  const measure = async (f: () => Promise<Uint8Array>) => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    let bytes = 0;
    for (let i = 0; i < ROUNDS; i++) bytes = (await f()).length;
    const c = process.cpuUsage(c0);
    return { cpuMs: Number(((c.user + c.system) / 1000 / ROUNDS).toFixed(1)), wallMs: Number(((performance.now() - t0) / ROUNDS).toFixed(1)), bytes };
  };
  const seal = await measure(() => sealPdf(payslip, key, { signingTime }));
  const mailed = await measure(() => sealPdf(stored, key, { signingTime, encryptWith: code }));
  return {
    bench: "seal",
    rounds: ROUNDS,
    payslipBytes: payslip.length,
    sealCpuMsPerPayslip: seal.cpuMs,
    sealWallMsPerPayslip: seal.wallMs,
    sealedBytes: seal.bytes,
    encryptAndSealCpuMsPerPayslip: mailed.cpuMs,
    encryptAndSealWallMsPerPayslip: mailed.wallMs,
    mailedBytes: mailed.bytes,
  };
}
