/**
 * The cloud payroll run for a 300-employee company on the embedded local stack (real Azurite): submit (server
 * recomputation + stored in transactions), then the run — recompute, every document into Blob Storage, mails
 * queued. Reports the time of each phase and the storage requests. Target: the run under 10 s locally.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startLocalStack } from "../functions/host/local-stack.ts";
import { dsmExtra } from "../functions/payroll/dsm.ts";
import { runPayroll } from "../functions/payroll/run.ts";
import { submitPeriodBody } from "../functions/payroll/submit.ts";
import { companiesRepository, employeesRepository } from "../functions/storage/index.ts";
import { computePayslip } from "../shared/engine/compute.ts";
import { summarise } from "../shared/engine/summary.ts";
import { synthetic } from "./engine.ts";

export async function run(): Promise<Record<string, unknown>> {
  const count = 300;
  const outbox = mkdtempSync(path.join(tmpdir(), "bench-run-"));
  const stack = await startLocalStack({ outbox, port: 0, now: () => new Date("2025-08-25T01:00:00Z") });
  try {
    const s = stack.services;
    const now = new Date("2025-08-01T00:00:00Z").toISOString();
    await companiesRepository(s.storage).create({
      id: "bench",
      name: "Banc d'essai SAM",
      address: "1 avenue de la Costa\n98000 Monaco",
      ccssEmployerNumber: "12345",
      payrollDay: 25,
      emailDelayHours: 24,
      notificationRecipients: [],
      notifyOnSuccess: false,
      notifyOnFailure: false,
      notifyOnCasesToCheck: false,
      senderMailbox: "paie@bench.example",
      contracts: [],
      chartOfAccounts: null,
      paidLeaveSystem: "ouvrables",
      settings: {},
      updatedAt: now,
      updatedBy: "bench",
    });
    const inputs = Array.from({ length: count }, (_, i) => synthetic(i));
    await employeesRepository(s.storage).putMany(
      inputs.map((inp, i) => ({
        companyId: "bench",
        employeeId: inp.employee.id,
        lastName: `Salarié${i}`,
        firstName: "Test",
        email: `s${i}@bench.example`,
        active: true,
        hireDate: inp.employee.hireDate,
        data: { birthDate: "1980-01-01", ccssNumber: String(100000 + i), sex: i % 2 ? "F" : "M", job: "Employé" },
        updatedAt: now,
      })),
    );
    const results = inputs.map((inp) => {
      const o = computePayslip(inp);
      if (!o.ok) throw new Error(o.errors[0]!.message);
      return summarise(o.result);
    });
    const principal = { oid: "bench", tid: "bench", name: "bench", roles: ["Payroll.Admin" as const], companies: ["*"] };
    const requestsBefore = s.storage.requests.total;
    let t = process.hrtime.bigint();
    await submitPeriodBody(s, principal, "bench", "2025-08", { period: "2025-08", inputs, results });
    const submitSeconds = Number(process.hrtime.bigint() - t) / 1e9;
    t = process.hrtime.bigint();
    const outcome = await runPayroll(s, "bench", "2025-08", "bench", { extraDocuments: dsmExtra });
    const runSeconds = Number(process.hrtime.bigint() - t) / 1e9;
    if (outcome.status !== "generated") throw new Error(JSON.stringify(outcome));
    return {
      bench: "payroll-run",
      employees: count,
      submitSeconds: Number(submitSeconds.toFixed(2)),
      runSeconds: Number(runSeconds.toFixed(2)),
      documents: outcome.documents,
      mailsQueued: outcome.mailsQueued,
      tableRequests: s.storage.requests.total - requestsBefore,
      targets: { runSeconds: 10 },
    };
  } finally {
    await stack.stop();
    rmSync(outbox, { recursive: true, force: true });
  }
}
