/**
 * Faults on a real stack (Azurite persisting to a folder, the local host, the .eml outbox), in one story:
 *   1. bad API bodies over HTTP (a few hundred) and oversized bodies → 4xx with a French message, never 500;
 *   2. the period row write fails after the payslip rows (partial transaction) → nothing visible, retry works;
 *   3. storage dies between two document writes of a payroll run → the run fails with its reason, the period stays
 *      "submitted", no mail is queued; after a restart (data on disk) health shows the run left "running";
 *   4. storage refuses the period write after documents and mails → failed, mails not queued twice;
 *   5. a clean run → generated; two dispatchers at once → each payslip document and each mail exactly once;
 *   6. `paie backup` (+ retention), a fresh Azurite, `paie restore` → every entity and document identical.
 */

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import fc from "fast-check";
import { buildMonth } from "../../addin/workbook/build.ts";
import { backupCommand, restoreCommand } from "../../bin/backup.ts";
import { createServices, type Services } from "../../functions/app/services.ts";
import { compareStorages } from "../../functions/backup/index.ts";
import { definitions } from "../../functions/definitions.ts";
import { type AzuriteHandle, startAzurite } from "../../functions/host/azurite.ts";
import { type RunningHost, startLocalHost } from "../../functions/host/local-runner.ts";
import { dsmExtra } from "../../functions/payroll/dsm.ts";
import { runPayroll } from "../../functions/payroll/run.ts";
import { submitPeriodBody } from "../../functions/payroll/submit.ts";
import { ephemeralSealKey } from "../../functions/security/seal-key.ts";
import {
  blobStore,
  createStorage,
  mailsRepository,
  periodsRepository,
  runsRepository,
  type Storage,
  type StorageOptions,
} from "../../functions/storage/index.ts";
import type { PayslipInput } from "../../shared/schema/payslip-input.ts";
import { demoSummaries } from "../support/demo.ts";
import { reportAtEnd, tally } from "./summary.ts";

reportAtEnd(import.meta.filename);

const ROOT = path.resolve(import.meta.dirname, "../..");
const company = JSON.parse(readFileSync(path.join(ROOT, "samples/demo-company.json"), "utf8")).company;
const workbook = JSON.parse(readFileSync(path.join(ROOT, "samples/demo-workbook-2025-08.json"), "utf8"));
const PERIOD = "2025-08";
const IDS = ["D001", "D002", "D003", "D004", "D005", "D006"];

const DATA_KEY = randomBytes(32).toString("base64");
const SEAL_ENV = (await ephemeralSealKey("Cachet de test (pannes)")).env;
let dir: string;
let outbox: string;
let azurite: AzuriteHandle;
let storage: Storage;
let services: Services;
let host: RunningHost;
let clock = new Date("2025-08-25T00:30:00Z");
/** When set, the document write with this index (0-based, counted from arming) first stops Azurite. */
let stopBeforePut: number | undefined;
let putsSinceArmed = 0;

function env(connection: string): Record<string, string> {
  return {
    PAIE_STORAGE_CONNECTION: connection,
    PAIE_MAIL_TRANSPORT: "eml",
    PAIE_MAIL_OUTBOX: outbox,
    PAIE_MAIL_MAILBOX: "paie@demo.example",
    PAIE_MAIL_FROM_NAME: "Service paie",
    PAIE_DEV_IDENTITY: "admin@local",
    // Personal data is encrypted at rest: a throwaway key for this test's storage only.
    PAIE_DATA_KEYS: JSON.stringify({ t1: DATA_KEY }),
    PAIE_DATA_KEY_CURRENT: "t1",
    // Payslips are sealed: a throwaway test certificate.
    ...SEAL_ENV,
  };
}

async function portClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      resolve(false);
    });
    s.once("error", () => resolve(true));
  });
}

/** Services on `connection`; retries off so a dead storage fails the call at once instead of after ~30 s of backoff. */
function servicesFor(connection: string, options: StorageOptions = {}): { storage: Storage; services: Services } {
  const s = createStorage(connection, { maxRetries: 0, ...options });
  const base = blobStore(s);
  const documents: typeof base = {
    ...base,
    async put(p, bytes, contentType) {
      if (stopBeforePut !== undefined && putsSinceArmed++ === stopBeforePut) {
        stopBeforePut = undefined;
        tally.fault();
        // Graceful stop (SIGTERM): Azurite flushes its metadata to the folder, as a storage outage would leave it.
        await azurite.stop();
        assert.ok(await portClosed(azurite.blobPort), "storage is down");
      }
      return base.put(p, bytes, contentType);
    },
  };
  return { storage: s, services: createServices(env(connection), { storage: s, documents, log: () => undefined, now: () => clock }) };
}

async function call(method: string, route: string, body?: unknown, raw?: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${host.url}/api/${route}`, {
    method,
    headers: { "Content-Type": "application/json", ...headers },
    ...(raw !== undefined ? { body: raw } : body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  // biome-ignore lint/suspicious/noExplicitAny: the answers probed are arbitrary JSON, read field by field by the asserts
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

/** POST on a connection of its own (no keep-alive pool), chunked or with Content-Length. */
// biome-ignore lint/suspicious/noExplicitAny: as above
function rawPost(pathname: string, chunks: Buffer[], chunked: boolean): Promise<{ status: number; json: any }> {
  const url = new URL(host.url);
  return new Promise((resolve, reject) => {
    const length = chunks.reduce((n, c) => n + c.length, 0);
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: pathname,
        method: "POST",
        agent: false,
        headers: { "Content-Type": "application/json", ...(chunked ? {} : { "Content-Length": String(length) }) },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined }));
      },
    );
    // The server may answer 413 and close before reading everything: a reset while writing is expected then.
    req.on("error", (e) => reject(e));
    for (const c of chunks) req.write(c);
    req.end();
  });
}

function monthInputs(): PayslipInput[] {
  return buildMonth({
    period: PERIOD,
    employees: { name: "Salariés", values: workbook.employees, rowIndex: 0, columnIndex: 0 },
    variables: { name: `Variables ${PERIOD}`, values: workbook.variables, rowIndex: 0, columnIndex: 0 },
    company: { ...company.settings.engine, id: company.id, name: company.name, paidLeaveSystem: company.paidLeaveSystem, contracts: company.contracts },
  }).inputs;
}
const submission = () => {
  const inputs = monthInputs();
  return {
    period: PERIOD,
    inputs,
    results: demoSummaries(inputs),
  };
};

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "paie-faults-"));
  outbox = path.join(dir, "outbox");
  azurite = await startAzurite({ location: path.join(dir, "azurite") });
  ({ storage, services } = servicesFor(azurite.connectionString));
  await services.storage.ensure();
  host = await startLocalHost(
    definitions(() => services),
    { port: 0, timers: false, corsOrigins: [], log: () => undefined },
  );
  let r = await call("PUT", `companies/${company.id}`, company);
  assert.equal(r.status, 201, r.text);
  const employees = workbook.employees.slice(1).map((row: unknown[]) => ({
    employeeId: row[0],
    lastName: row[1],
    firstName: row[2],
    email: row[4],
    active: true,
    hireDate: typeof row[6] === "number" ? "2013-01-01" : String(row[6]).split("/").reverse().join("-"),
    data: { job: row[8], birthDate: String(row[5]).split("/").reverse().join("-"), sex: row[3], ccssNumber: row[18] || undefined },
  }));
  r = await call("PUT", `companies/${company.id}/employees`, employees);
  assert.equal(r.status, 200, r.text);
});

after(async () => {
  await host?.close();
  await azurite?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("a few hundred bad bodies over HTTP: 4xx with a located French message, never 500; oversized bodies get 413", async () => {
  const valid = submission();
  const bodies = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    fc.string({ maxLength: 200 }),
    fc
      .record({
        period: fc.oneof(fc.constant(PERIOD), fc.string()),
        inputs: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
        results: fc.constant(valid.results),
      })
      .map((v) => JSON.stringify(v)),
    fc.nat(valid.inputs.length - 1).chain((i) =>
      fc.constantFrom("monthlySalary", "hireDate", "category", "id").map((field) => {
        const copy = JSON.parse(JSON.stringify(valid));
        copy.inputs[i].employee[field] = field === "id" ? "../x" : "#VALUE!";
        return JSON.stringify(copy);
      }),
    ),
  );
  await fc.assert(
    fc.asyncProperty(bodies, async (raw) => {
      tally.fuzzed();
      const r = await call("POST", `companies/${company.id}/periods/${PERIOD}`, undefined, raw);
      assert.ok(r.status >= 400 && r.status < 500, `status ${r.status} for ${raw.slice(0, 200)}: ${r.text.slice(0, 300)}`);
      assert.equal(typeof r.json?.error?.code, "string", r.text.slice(0, 200));
      assert.ok(typeof r.json.error.message === "string" && r.json.error.message.length > 0);
      assert.doesNotMatch(r.text, /\bat .*\.ts:\d+|node_modules/, "no stack trace");
    }),
    { seed: 77, numRuns: 300, endOnFailure: true },
  );
  // Nothing above was stored.
  assert.equal((await call("GET", `companies/${company.id}/periods/${PERIOD}`)).status, 404);

  // Over the app's limit (8 MiB), declared by Content-Length, and streamed without one (chunked); then over the
  // host's own limit (16 MiB). Own connections: the host may close them early, which must not break later calls.
  const base = `/api/companies/${company.id}/periods/${PERIOD}`;
  let r = await rawPost(base, [Buffer.from(JSON.stringify({ junk: "x".repeat(9 * 1024 * 1024) }))], false);
  assert.equal(r.status, 413);
  assert.match(r.json.error.message, /Requête trop volumineuse/);
  r = await rawPost(base, [Buffer.from('{"junk":"'), ...Array.from({ length: 9 }, () => Buffer.alloc(1024 * 1024, "y")), Buffer.from('"}')], true);
  assert.equal(r.status, 413);
  assert.match(r.json.error.message, /trop volumineuse/);
  r = await rawPost(base, [Buffer.from(JSON.stringify({ junk: "z".repeat(17 * 1024 * 1024) }))], false);
  assert.equal(r.status, 413);
  assert.match(r.json.error.message, /trop volumineuse/);
  tally.fuzzed(3);
});

test("the period row write fails after the payslip rows: no half-written period is visible, a retry stores it whole", async () => {
  let armed = true;
  const flaky = servicesFor(azurite.connectionString, {
    additionalPolicies: [
      {
        position: "perCall",
        policy: {
          name: "failPeriodWrite",
          async sendRequest(request, next) {
            if (armed && request.method !== "GET" && /\/periods(\(|\?|$)/.test(request.url))
              throw Object.assign(new Error("injected: storage unavailable"), { statusCode: 503 });
            return next(request);
          },
        },
      },
    ],
  });
  tally.fault();
  const principal = { oid: "t", tid: "t", name: "t", roles: ["Payroll.Admin" as const], companies: ["*"] };
  await assert.rejects(submitPeriodBody(flaky.services, principal, company.id, PERIOD, submission()), /injected/);
  armed = false;
  assert.equal((await call("GET", `companies/${company.id}/periods/${PERIOD}`)).status, 404, "no period visible");
  const r = await call("POST", `companies/${company.id}/periods/${PERIOD}`, submission());
  assert.equal(r.status, 201, r.text);
  const state = await call("GET", `companies/${company.id}/periods/${PERIOD}`);
  assert.equal(state.json.period.status, "submitted");
  assert.deepEqual(state.json.payslips.map((p: { employeeId: string }) => p.employeeId).sort(), IDS);
});

test("storage dies between two document writes: the run fails with its reason, nothing half-visible; after restart a clean run and the mails happen exactly once", async () => {
  // 3 payslips written, then storage goes away before the 4th.
  stopBeforePut = 3;
  putsSinceArmed = 0;
  const failed = await runPayroll(services, company.id, PERIOD, "test", { extraDocuments: dsmExtra });
  const injected = stopBeforePut === undefined;
  stopBeforePut = undefined;
  assert.ok(injected, `the fault was injected (run: ${JSON.stringify(failed)})`);
  assert.equal(failed.status, "failed");
  assert.ok(failed.status === "failed" && failed.error.length > 0, "the reason is given");

  await azurite.restart(); // same folder: what was written survives
  const period = await periodsRepository(storage).get(company.id, PERIOD);
  assert.equal(period?.status, "submitted", "the period is not marked generated");
  assert.deepEqual(period?.documents ?? [], [], "no document listed for the incomplete version");
  assert.equal((await mailsRepository(storage).list(company.id, PERIOD)).length, 0, "no mail queued for incomplete documents");
  let state = await call("GET", `companies/${company.id}/periods/${PERIOD}`);
  assert.equal(state.json.documents.length, 0);
  // The run row could not be closed (storage was gone): health shows it still "running" rather than hiding it.
  const health = await call("GET", "health");
  assert.equal(health.status, 200);
  assert.equal(health.json.storage, "reachable");
  assert.equal(health.json.runs.find((x: { companyId: string }) => x.companyId === company.id)?.status, "running");

  // The dead run still holds its claim on the period (until 00:45): a run now does nothing and says who holds it.
  clock = new Date("2025-08-25T00:40:00Z");
  const blocked = await runPayroll(services, company.id, PERIOD, "test", { extraDocuments: dsmExtra });
  assert.equal(blocked.status, "superseded", JSON.stringify(blocked));
  assert.equal(blocked.status === "superseded" && blocked.supersededBy, period?.claimedBy);

  // Storage answers again but refuses the period's move to "generated", after documents and mails: the run fails,
  // and the rerun below must not queue the mails a second time.
  let refusePeriod = true;
  const flaky = servicesFor(azurite.connectionString, {
    additionalPolicies: [
      {
        position: "perCall",
        policy: {
          name: "failPeriodTransition",
          async sendRequest(request, next) {
            if (
              refusePeriod &&
              request.method !== "GET" &&
              /\/periods(\(|\?|$)/.test(request.url) &&
              String(request.body ?? "").includes('"status":"generated"')
            ) {
              throw Object.assign(new Error("injected: period write refused"), { statusCode: 503 });
            }
            return next(request);
          },
        },
      },
    ],
  });
  tally.fault();
  clock = new Date("2025-08-25T00:46:00Z"); // the dead run's claim has expired
  const second = await runPayroll(flaky.services, company.id, PERIOD, "test", { extraDocuments: dsmExtra });
  refusePeriod = false;
  assert.equal(second.status, "failed");
  assert.equal((await periodsRepository(storage).get(company.id, PERIOD))?.status, "submitted");
  assert.equal((await mailsRepository(storage).list(company.id, PERIOD)).length, IDS.length, "mails queued before the period write");

  clock = new Date("2025-08-25T00:50:00Z");
  const ok = await runPayroll(services, company.id, PERIOD, "test", { extraDocuments: dsmExtra });
  assert.equal(ok.status, "generated", JSON.stringify(ok));
  // The run the storage outage left "running" (started 00:30) is closed by the first one that took over the period.
  const history = await runsRepository(storage).listForPeriod(company.id, PERIOD);
  assert.deepEqual(
    history.filter((r) => r.status === "running"),
    [],
    "no run left in progress",
  );
  const abandoned = history.find((r) => r.startedAt === "2025-08-25T00:30:00.000Z");
  assert.equal(abandoned?.status, "failed");
  assert.match(abandoned?.error ?? "", /interrompue .* reprise par l'exécution \d{13}/);
  // The failed rerun of 00:46 had closed itself; it is not rewritten.
  assert.equal(history.find((r) => r.startedAt === "2025-08-25T00:46:00.000Z")?.error?.includes("interrompue"), false);
  state = await call("GET", `companies/${company.id}/periods/${PERIOD}`);
  assert.equal(state.json.period.status, "generated");
  const paths: string[] = state.json.documents.map((d: { path: string }) => d.path);
  tally.duplicates(paths.length - new Set(paths).size);
  assert.equal(new Set(paths).size, paths.length, "each document listed once");
  assert.equal(paths.filter((p) => p.includes("/payslips/")).length, IDS.length, "one payslip per employee");
  for (const p of paths) {
    const blob = await services.documents.get(p); // checks the sha256 too
    if (!blob) tally.lost(1);
    assert.ok(blob, `${p} readable`);
  }
  const mails = await mailsRepository(storage).list(company.id, PERIOD);
  assert.deepEqual(mails.map((m) => m.employeeId).sort(), IDS, "one mail row per employee");

  // Two dispatchers at once, then a third: one .eml per employee, never two.
  clock = new Date("2025-08-25T06:00:00Z");
  await Promise.all([host.fire("mail-dispatcher"), host.fire("mail-dispatcher")]);
  await host.fire("mail-dispatcher");
  const emls = readdirSync(outbox).filter((f) => /_D\d{3}\.eml$/.test(f));
  const perEmployee = IDS.map((id) => emls.filter((f) => f.endsWith(`_${id}.eml`)).length);
  tally.duplicates(perEmployee.reduce((n, c) => n + Math.max(0, c - 1), 0));
  tally.lost(perEmployee.filter((c) => c === 0).length);
  assert.deepEqual(
    perEmployee,
    IDS.map(() => 1),
  );
  state = await call("GET", `companies/${company.id}/periods/${PERIOD}`);
  assert.equal(state.json.mails.counts.sent, IDS.length);

  const after = await call("GET", "health");
  assert.equal(after.json.runs.find((x: { companyId: string }) => x.companyId === company.id)?.status, "succeeded");
  assert.ok(!JSON.stringify(after.json).includes("@demo.example"), "no personal data in health");
});

test("paie backup, a fresh storage, paie restore: every entity and document identical; retention deletes only what is older", async () => {
  const lines: string[] = [];
  const out = (l: string) => lines.push(l);
  const e = env(azurite.connectionString);
  // Old backups: one beyond the 30-day retention, one within it (folders of files, as backupAll leaves them).
  const backups = storage.blobService.getContainerClient("backups");
  await backups.createIfNotExists();
  for (const name of ["2025-06-30/manifest.json", "2025-06-30/tables/companies.jsonl.gz", "2025-07-28/manifest.json", "notes/readme.txt"]) {
    await backups.getBlockBlobClient(name).uploadData(Buffer.from("{}"));
  }
  assert.equal(await backupCommand(["--retention", "30"], out, { env: e, now: () => clock }), 0, lines.join("\n"));
  assert.match(lines.join("\n"), /Sauvegarde du 2025-08-25 terminée/);
  assert.match(lines.join("\n"), /1 sauvegarde\(s\) supprimée\(s\) \(2025-06-30\)/);
  const left: string[] = [];
  for await (const b of backups.listBlobsFlat()) left.push(b.name);
  assert.ok(!left.some((n) => n.startsWith("2025-06-30/")), "older than 30 days: deleted");
  assert.ok(left.includes("2025-07-28/manifest.json") && left.includes("notes/readme.txt"), "within retention / not a date: kept");
  assert.ok(left.includes("2025-08-25/manifest.json"));

  // Restore into an empty, separate storage (a fresh Azurite), reading the backup from the original account.
  const fresh = await startAzurite();
  try {
    lines.length = 0;
    assert.equal(
      await restoreCommand(["2025-08-25", "--from", azurite.connectionString], out, { env: { PAIE_STORAGE_CONNECTION: fresh.connectionString } }),
      0,
      lines.join("\n"),
    );
    assert.match(lines[0]!, /Sauvegarde du 2025-08-25 restaurée : \d+ entités, \d+ documents/);
    const differences = await compareStorages(storage, createStorage(fresh.connectionString));
    tally.lost(differences.length);
    assert.deepEqual(differences, []);
    // Restoring again into the now non-empty storage is refused, in French, with exit code 1.
    lines.length = 0;
    assert.equal(
      await restoreCommand(["2025-08-25", "--from", azurite.connectionString], out, { env: { PAIE_STORAGE_CONNECTION: fresh.connectionString } }),
      1,
    );
    assert.match(lines.join("\n"), /Restauration refusée : le stockage cible n'est pas vide/);
    lines.length = 0;
    assert.equal(await restoreCommand(["25/08/2025"], out, { env: { PAIE_STORAGE_CONNECTION: fresh.connectionString } }), 2);
    assert.match(lines[0]!, /Date de sauvegarde invalide/);
  } finally {
    await fresh.stop();
  }
});
