/**
 * Storage benchmark: 10,000 payslip entities (~2 KB of result JSON each, 100 company-periods of 100
 * employees) written with entity-group transactions vs one request per entity, against a local Azurite.
 * Reports both times, their ratio and the storage requests each needed (target: ≤ 110 with transactions).
 * Same parallelism (4 requests in flight) for both modes, so the ratio measures round trips, not threads.
 * `BENCH_STORAGE_COUNT` overrides the number of entities (a multiple of 100).
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createStorage, type PayslipRecord, payslipsRepository, type Storage, upsertAll, upsertEach } from "../functions/storage/index.ts";
import { startAzurite } from "../tests/support/azurite.ts";

const PER_PARTITION = 100;
const CONCURRENCY = 4;

function payslip(company: number, employee: number): PayslipRecord {
  const gross = 250_000 + company * 1000 + employee;
  const lines = Array.from({ length: 10 }, (_, k) => ({
    code: `C${100 + k}`,
    label: `Cotisation ${k} — CAR / CCSS`,
    organism: k % 2 ? "CCSS" : "CAR",
    base: gross,
    employeeRate: 685 * k,
    employeeAmount: Math.round((gross * k) / 1000),
    employerRate: 1000 * k,
    employerAmount: Math.round((gross * k) / 700),
    explanation: "base plafonnée (plafond CAR 2026)",
  }));
  return {
    companyId: `C${String(company).padStart(3, "0")}`,
    period: "2026-03",
    employeeId: `E${String(employee).padStart(4, "0")}`,
    version: 1,
    payslipSet: "v0001.00000000",
    result: { gross, net: Math.round(gross * 0.78), lines },
    carry: { grossCents: gross * 3, leaveDays: 75000 },
    grossCents: gross,
    netCents: Math.round(gross * 0.78),
    computedAt: "2026-03-25T02:30:00.000Z",
  };
}

async function countRows(storage: Storage): Promise<number> {
  let n = 0;
  for await (const page of storage
    .table("payslips")
    .listEntities({ queryOptions: { select: ["RowKey"] } })
    .byPage({ maxPageSize: 1000 }))
    n += page.length;
  return n;
}

export async function run(): Promise<Record<string, unknown>> {
  const count = Number(process.env.BENCH_STORAGE_COUNT ?? 10_000);
  const companies = Math.max(1, Math.round(count / PER_PARTITION));
  const azurite = await startAzurite();
  try {
    const batched = createStorage(azurite.connectionString, { tablePrefix: "benchtx" });
    const single = createStorage(azurite.connectionString, { tablePrefix: "benchone" });
    await Promise.all([batched.ensure(), single.ensure()]);
    const rows = Array.from({ length: companies * PER_PARTITION }, (_, i) => payslip(Math.floor(i / PER_PARTITION), i % PER_PARTITION));
    const entities = rows.map(payslipsRepository(batched).entityOf);
    const jsonBytes = rows.reduce((n, r) => n + JSON.stringify(r.result).length, 0) / rows.length;

    batched.requests.reset();
    let t = performance.now();
    const report = await upsertAll(batched.table("payslips"), entities, { concurrency: CONCURRENCY });
    const transactionsMs = performance.now() - t;
    const transactionRequests = batched.requests.total;

    single.requests.reset();
    t = performance.now();
    await upsertEach(single.table("payslips"), entities, CONCURRENCY);
    const oneByOneMs = performance.now() - t;
    const oneByOneRequests = single.requests.total;

    const [storedTx, storedOne] = await Promise.all([countRows(batched), countRows(single)]);
    if (storedTx !== entities.length || storedOne !== entities.length) {
      throw new Error(`rows stored: ${storedTx} (transactions), ${storedOne} (one by one), expected ${entities.length}`);
    }
    return {
      bench: "storage",
      entities: entities.length,
      partitions: companies,
      avgResultJsonBytes: Math.round(jsonBytes),
      concurrency: CONCURRENCY,
      transactions: report.transactions,
      transactionsMs: Math.round(transactionsMs),
      transactionRequests,
      oneByOneMs: Math.round(oneByOneMs),
      oneByOneRequests,
      speedup: Number((oneByOneMs / transactionsMs).toFixed(1)),
      requestTarget: 110,
      requestTargetMet: transactionRequests <= 110,
    };
  } finally {
    await azurite.stop();
  }
}

// Also runnable on its own: `node --import tsx bench/storage.ts`.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await run()));
}
