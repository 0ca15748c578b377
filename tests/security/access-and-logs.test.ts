/**
 * The local stack with REAL bearer validation (jose against the test JWKS, grants table on Azurite):
 * - every HTTP route of definitions() — a route added later is covered without touching this file, and its success
 *   case must be declared below or the test fails naming it — is refused (401/403, French JSON, no token material,
 *   no company data) without a token, with an expired / foreign-tenant / wrong-audience / forged / role-less token,
 *   to a user without a grant on the company, and to an operator on admin-only routes;
 * - the allowed cases succeed, in the order of the real flow: company, staff, submit, run, documents, mails;
 * - health is anonymous and shows nothing personal;
 * - every log line and console output of all that (plus timers) holds no name, e-mail, CCSS number, birth date, IBAN,
 *   pay amount or JWT.
 */

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { TableClient } from "@azure/data-tables";
import { buildMonth } from "../../addin/workbook/build.ts";
import { TableGrantsSource } from "../../functions/auth/index.ts";
import { definitions, type HttpDefinition } from "../../functions/definitions.ts";
import { type LocalStack, startLocalStack } from "../../functions/host/local-stack.ts";
import { computePayslip } from "../../shared/engine/compute.ts";
import { type ResultSummary, summarise } from "../../shared/engine/summary.ts";
import type { PayslipInput } from "../../shared/schema/payslip-input.ts";
import { startIdentityProvider, type TestIdentityProvider } from "../support/jwks.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const company = JSON.parse(readFileSync(path.join(ROOT, "samples/demo-company.json"), "utf8")).company;
const workbook = JSON.parse(readFileSync(path.join(ROOT, "samples/demo-workbook-2025-08.json"), "utf8"));
const PERIOD = "2025-08";
const clock = new Date("2025-08-25T00:30:00Z"); // 02:30 in Monaco on the payroll day

/** Routes only Payroll.Admin may call; every other authenticated route is for Payroll.Operator. */
const ADMIN_ONLY = new Set([
  "metrics",
  "company-put",
  "employees-put",
  "period-run",
  "period-resend",
  "period-close",
  "period-reopen",
  "audit-get",
  "document-code-letters",
  "document-code-rotate",
  "parameter-put",
  "parameters-history",
]);
const ANONYMOUS = new Set(["health"]);

let stack: LocalStack;
let idp: TestIdentityProvider;
let outbox: string;
const logLines: string[] = [];
const consoleLines: string[] = [];
const tokensSeen = new Set<string>();

const ids = { admin: randomUUID(), operator: randomUUID(), stranger: randomUUID(), adminElsewhere: randomUUID() };
const tokens: Record<string, string> = {};

// --- the demo staff, with bank details added so IBANs are covered too -------------------------------------------
const rows: unknown[][] = workbook.employees.slice(1);
const staff = rows.map((row, i) => ({
  employeeId: String(row[0]),
  lastName: String(row[1]),
  firstName: String(row[2]),
  email: String(row[4]),
  active: true,
  hireDate: typeof row[6] === "number" ? "2013-01-01" : String(row[6]).split("/").reverse().join("-"),
  data: {
    job: row[8],
    birthDate: String(row[5]).split("/").reverse().join("-"),
    sex: row[3],
    ...(row[18] ? { ccssNumber: String(row[18]) } : {}),
    iban: `MC58112220000101234567890${String(i + 10)}`,
  },
}));

function monthInputs(): PayslipInput[] {
  const build = buildMonth({
    period: PERIOD,
    employees: { name: "Salariés", values: workbook.employees, rowIndex: 0, columnIndex: 0 },
    variables: { name: `Variables ${PERIOD}`, values: workbook.variables, rowIndex: 0, columnIndex: 0 },
    company: { ...company.settings.engine, id: company.id, name: company.name, paidLeaveSystem: company.paidLeaveSystem, contracts: company.contracts },
  });
  assert.equal(build.issues.filter((i) => i.severity === "error").length, 0);
  return build.inputs;
}
const inputs = monthInputs();
const results: ResultSummary[] = inputs.map((i) => {
  const o = computePayslip(i);
  assert.ok(o.ok);
  return summarise(o.result);
});

// --- what must never appear in a log line ----------------------------------------------------------------------
function euroForms(cents: number): string[] {
  const abs = Math.abs(cents);
  const units = String(Math.trunc(abs / 100));
  const dec = String(abs % 100).padStart(2, "0");
  const grouped = (sep: string) => units.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
  return [`${units}.${dec}`, `${units},${dec}`, ...["\u00a0", "\u202f", " "].map((s) => `${grouped(s)},${dec}`)];
}
function needles(): { label: string; pattern: RegExp }[] {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const word = (s: string) => new RegExp(`(?<![0-9A-Za-z])${esc(s)}(?![0-9A-Za-z])`, "i");
  const out: { label: string; pattern: RegExp }[] = [{ label: "JWT", pattern: /eyJ[A-Za-z0-9_-]{10,}/ }];
  for (const e of staff) {
    out.push({ label: `nom ${e.employeeId}`, pattern: word(e.lastName) }, { label: `prénom ${e.employeeId}`, pattern: word(e.firstName) });
    out.push({ label: `email ${e.employeeId}`, pattern: word(e.email) }, { label: `IBAN ${e.employeeId}`, pattern: word(e.data.iban) });
    const birth = e.data.birthDate;
    out.push(
      { label: `naissance ${e.employeeId}`, pattern: word(birth) },
      { label: `naissance ${e.employeeId}`, pattern: word(birth.split("-").reverse().join("/")) },
    );
    if (e.data.ccssNumber) out.push({ label: `CCSS ${e.employeeId}`, pattern: word(e.data.ccssNumber) });
  }
  for (const r of results) {
    for (const field of ["gross", "net", "netPaid", "employerCost"] as const) {
      const cents = r[field];
      if (Math.abs(cents) < 10_000) continue; // below 100 €: too short to tell from a count or a port
      out.push({ label: `${field} ${r.employeeId}`, pattern: word(String(cents)) });
      for (const f of euroForms(cents)) out.push({ label: `${field} ${r.employeeId} (${f})`, pattern: word(f) });
    }
  }
  out.push({ label: "nom de l'utilisateur du jeton", pattern: /camille/i });
  return out;
}

// --- console capture (pass-through): app code that bypasses the sink is caught too --------------------------------
const originals = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };
const stdoutWrite = process.stdout.write.bind(process.stdout);
const stderrWrite = process.stderr.write.bind(process.stderr);
let capturing = false;
function startCapture() {
  capturing = true;
  for (const k of Object.keys(originals) as (keyof typeof originals)[]) {
    console[k] = (...args: unknown[]) => {
      consoleLines.push(args.map(String).join(" "));
      originals[k](...args);
    };
  }
  const tap = (write: typeof stdoutWrite) =>
    ((chunk: unknown, ...rest: unknown[]) => {
      if (capturing) consoleLines.push(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"));
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write;
  process.stdout.write = tap(stdoutWrite);
  process.stderr.write = tap(stderrWrite);
}
function stopCapture() {
  capturing = false;
  Object.assign(console, originals);
  process.stdout.write = stdoutWrite;
  process.stderr.write = stderrWrite;
}

// --- HTTP -------------------------------------------------------------------------------------------------------
async function call(method: string, route: string, token?: string | null, body?: unknown, rawAuthorization?: string) {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (rawAuthorization !== undefined) headers.Authorization = rawAuthorization;
  else if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`${stack.host.url}/api/${route}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const bytes = Buffer.from(await res.arrayBuffer());
  const type = res.headers.get("content-type") ?? "";
  return {
    status: res.status,
    type,
    headers: res.headers,
    text: bytes.toString("utf8"),
    bytes,
    json: type.includes("json") ? JSON.parse(bytes.toString("utf8")) : undefined,
  };
}

let documentPath = `${PERIOD}/v1/payslips/D001.pdf`;
/** The address of a route for our company: every parameter filled with a value the handler accepts. */
function address(def: HttpDefinition): string {
  return def.route
    .replace("{companyId}", company.id)
    .replace("{period}", PERIOD)
    .replace("{*path}", documentPath)
    .replace("{employeeId}", "D001")
    .replace(/\{[^}]+\}/g, "x");
}

const bodies: Record<string, unknown> = {
  "company-put": company,
  "employees-put": staff,
  "period-submit": { period: PERIOD, inputs, results },
  "document-code-rotate": { reason: "code perdu (demande du salarié)" },
  "period-reopen": { reason: "erreur de saisie" },
  "parameter-put": {
    parameter: "ccss.ceiling",
    validFrom: "2026-10-01",
    value: 9900,
    status: "official",
    reference: { title: "Circulaire CSM — plafonds au 1er octobre 2026", document: "circulaire n° 2026-10" },
  },
};

/** How each route succeeds, in the order of the real flow. A new route must be added here (the test says so). */
const allowed: Record<string, { who: "anonymous" | "admin" | "operator"; check: (r: Awaited<ReturnType<typeof call>>) => void | Promise<void> }> = {
  health: { who: "anonymous", check: (r) => assert.equal(r.status, 200) },
  "company-put": { who: "admin", check: (r) => assert.equal(r.status, 201, r.text) },
  metrics: {
    who: "admin",
    check: (r) => {
      assert.equal(r.status, 200, r.text);
      assert.match(r.type, /text\/plain/);
    },
  },
  "companies-list": {
    who: "operator",
    check: (r) =>
      assert.deepEqual(
        r.json.companies.map((c: { id: string }) => c.id),
        [company.id],
      ),
  },
  "company-get": { who: "operator", check: (r) => assert.equal(r.json.name, company.name) },
  "employees-put": {
    who: "admin",
    check: async (r) => {
      assert.equal(r.status, 200, r.text);
      // Through the app's own wiring, the table holds ciphertexts only.
      const raw = TableClient.fromConnectionString(stack.env.PAIE_STORAGE_CONNECTION!, stack.services.storage.tableName("employees"), {
        allowInsecureConnection: true,
      });
      let rows = 0;
      for await (const e of raw.listEntities()) {
        rows++;
        const text = JSON.stringify(e);
        const mine = staff.find((s) => s.employeeId === e.rowKey)!;
        for (const secret of [mine.data.iban, mine.data.birthDate, mine.data.ccssNumber].filter(Boolean) as string[])
          assert.ok(!text.includes(secret), `${secret} en clair`);
      }
      assert.equal(rows, staff.length);
    },
  },
  "employees-get": {
    who: "operator",
    check: (r) => {
      assert.equal(r.status, 200);
      const d001 = r.json.employees.find((e: { employeeId: string }) => e.employeeId === "D001");
      assert.equal(d001.data.ccssNumber, staff[0]!.data.ccssNumber, "an authorised reader gets clear values");
      assert.equal(d001.data.iban, staff[0]!.data.iban);
    },
  },
  "period-submit": { who: "operator", check: (r) => assert.equal(r.status, 201, r.text) },
  "period-get": { who: "operator", check: (r) => assert.equal(r.status, 200, r.text) },
  "period-carry": { who: "operator", check: (r) => assert.equal(r.json.period, PERIOD) },
  "period-run": {
    who: "admin",
    check: async (r) => {
      assert.equal(r.status, 202, r.text);
      assert.equal(r.json.status, "queued");
      await stack.host.drainQueues();
      const state = await call("GET", `companies/${company.id}/periods/${PERIOD}`, tokens.operator);
      assert.equal(state.json.period.status, "generated", JSON.stringify(state.json.run));
      const slip = state.json.documents.find((d: { path: string }) => d.path.endsWith("payslips/D001.pdf"));
      documentPath = slip.path.slice(`companies/${company.id}/`.length);
    },
  },
  "document-get": {
    who: "operator",
    check: (r) => {
      assert.equal(r.status, 200, r.text);
      assert.equal(r.type, "application/pdf");
      assert.equal(r.bytes.subarray(0, 5).toString(), "%PDF-");
    },
  },
  // The letters giving the document codes (a PDF, never JSON), then one code renewed on request.
  "document-code-letters": {
    who: "admin",
    check: (r) => {
      assert.equal(r.status, 200, r.text);
      assert.equal(r.type, "application/pdf");
      assert.ok(Number(r.headers.get("x-paie-letters")) >= 1);
    },
  },
  "document-code-rotate": {
    who: "admin",
    check: (r) => {
      assert.equal(r.status, 200, r.text);
      assert.equal(r.type, "application/pdf");
      assert.equal(r.headers.get("x-paie-code-generation"), "2");
    },
  },
  "period-resend": { who: "admin", check: (r) => assert.equal(r.json.requeued, 0) },
  // Authorised, but refused by the workflow: the mails have not gone out yet, and the refusal names them by matricule
  // only (the flow closes it at the end).
  "period-close": {
    who: "admin",
    check: (r) => {
      assert.equal(r.status, 409, r.text);
      assert.equal(r.json.error.code, "MAILS_PENDING", r.text);
      assert.match(r.json.error.message, /^Période \d{4}-\d{2} non clôturable : \d+ mails? pas encore partis? — /);
    },
  },
  // Authorised, but refused by the workflow: only a mailed or closed month reopens.
  "period-reopen": {
    who: "admin",
    check: (r) => {
      assert.equal(r.status, 409, r.text);
      assert.equal(r.json.error.code, "NOT_REOPENABLE", r.text);
    },
  },
  "audit-get": { who: "admin", check: (r) => assert.ok(r.json.entries.some((e: { action: string }) => e.action === "period.generated")) },
  // The pane's role check: the server's word, the operator's own grants and no admin role.
  me: {
    who: "operator",
    check: (r) => {
      assert.equal(r.status, 200, r.text);
      assert.deepEqual([r.json.roles, r.json.companies], [["Payroll.Operator"], [company.id]], r.text);
    },
  },
  "parameters-get": { who: "operator", check: (r) => assert.match(r.json.version, /^[0-9a-f]{12}$/, r.text) },
  "parameter-put": { who: "admin", check: (r) => assert.equal(r.status, 201, r.text) },
  "parameters-history": { who: "admin", check: (r) => assert.equal(r.json.entries[0]?.target, "ccss.ceiling@2026-10-01", r.text) },
};

function httpDefs(): HttpDefinition[] {
  return definitions(() => stack.services).filter((d): d is HttpDefinition => d.kind === "http");
}

before(async () => {
  idp = await startIdentityProvider();
  outbox = mkdtempSync(path.join(tmpdir(), "outbox-security-"));
  stack = await startLocalStack({
    outbox,
    port: 0,
    now: () => clock,
    log: (line) => logLines.push(line),
    auth: { tenantId: idp.tenantId, apiClientId: idp.apiClientId, jwksUrl: idp.jwksUrl },
  });
  const grants = TableGrantsSource.fromConnectionString(stack.env.PAIE_STORAGE_CONNECTION!, `${stack.services.storage.tablePrefix}grants`);
  await grants.grant(ids.admin, company.id, "test");
  await grants.grant(ids.operator, company.id, "test");
  await grants.grant(ids.adminElsewhere, "autre-societe", "test");
  const mint = async (name: string, claims: Record<string, unknown>, extra: Parameters<TestIdentityProvider["mint"]>[0] = {}) => {
    tokens[name] = await idp.mint({ ...extra, claims });
    tokensSeen.add(tokens[name]!);
  };
  await mint("admin", { oid: ids.admin, roles: ["Payroll.Admin"] });
  await mint("operator", { oid: ids.operator, roles: ["Payroll.Operator"] });
  await mint("stranger", { oid: ids.stranger, roles: ["Payroll.Operator"] });
  await mint("adminElsewhere", { oid: ids.adminElsewhere, roles: ["Payroll.Admin"] });
  await mint("noRole", { oid: ids.admin, roles: [] });
  await mint("expired", { oid: ids.admin, roles: ["Payroll.Admin"] }, { expiresIn: -3600 });
  const otherTenant = randomUUID();
  await mint(
    "otherTenant",
    { oid: ids.admin, roles: ["Payroll.Admin"], tid: otherTenant },
    { issuer: `https://login.microsoftonline.com/${otherTenant}/v2.0` },
  );
  await mint("otherAudience", { oid: ids.admin, roles: ["Payroll.Admin"] }, { audience: randomUUID() });
  await mint("forged", { oid: ids.admin, roles: ["Payroll.Admin"] }, { foreignKey: true });
  await mint("notYetValid", { oid: ids.admin, roles: ["Payroll.Admin"] }, { notBefore: Math.floor(Date.now() / 1000) + 3600 });
});

after(async () => {
  stopCapture();
  await stack?.stop();
  await idp?.close();
  if (outbox) rmSync(outbox, { recursive: true, force: true });
});

test("every route has a declared success case and role (a new route must be added here)", () => {
  const names = httpDefs().map((d) => d.name);
  for (const n of names) assert.ok(allowed[n], `la route « ${n} » n'a pas de cas autorisé déclaré dans ce test : ajoutez-le (et son rôle)`);
  for (const n of Object.keys(allowed)) assert.ok(names.includes(n), `cas déclaré pour une route disparue : ${n}`);
  for (const d of httpDefs()) {
    if (ANONYMOUS.has(d.name)) continue;
    assert.equal(allowed[d.name]!.who, ADMIN_ONLY.has(d.name) ? "admin" : "operator", d.name);
  }
});

test("allowed callers succeed along the whole flow: company, staff, submit, run, documents, mails", async () => {
  startCapture();
  try {
    const defs = new Map(httpDefs().map((d) => [d.name, d]));
    for (const [name, how] of Object.entries(allowed)) {
      const def = defs.get(name)!;
      for (const method of def.methods) {
        const token = how.who === "anonymous" ? null : tokens[how.who];
        const r = await call(method, address(def), token, bodies[name]);
        await how.check(r);
      }
    }
    // An admin may do what an operator does (with a grant).
    assert.equal((await call("GET", `companies/${company.id}/employees`, tokens.admin)).status, 200);
    // Timers: the mails go out, the scheduler and the backup have nothing to do; their logs are scanned below.
    await stack.host.fire("payroll-scheduler");
    await stack.host.fire("mail-dispatcher");
    await stack.host.fire("daily-backup");
    const emls = readdirSync(outbox).filter((f) => /_D\d{3}\.eml$/.test(f));
    assert.equal(emls.length, staff.length, "one payslip mail per employee");
    const state = await call("GET", `companies/${company.id}/periods/${PERIOD}`, tokens.operator);
    assert.equal(state.json.period.status, "mailed");
    const closed = await call("POST", `companies/${company.id}/periods/${PERIOD}/close`, tokens.admin);
    assert.equal(closed.status, 200, closed.text);
    assert.equal(closed.json.status, "closed");
  } finally {
    stopCapture();
  }
});

test("every route refuses missing, expired, foreign, forged and role-less tokens, users without a grant, operators on admin routes", async () => {
  startCapture();
  try {
    const forbidden = [
      company.id,
      company.name,
      ...staff.flatMap((s) => [s.lastName, s.firstName, s.email, s.data.birthDate, s.data.iban, s.data.ccssNumber ?? "—"]),
    ];
    let checked = 0;
    for (const def of httpDefs()) {
      if (ANONYMOUS.has(def.name)) continue;
      for (const method of def.methods) {
        const where = `${method} /api/${def.route}`;
        const cases: { label: string; token?: string; raw?: string; status: 401 | 403; code: RegExp }[] = [
          { label: "sans jeton", status: 401, code: /^missing_token$/ },
          { label: "en-tête mal formé", raw: "Bearer pas-un-jeton", status: 401, code: /^invalid_token$/ },
          { label: "jeton expiré", token: tokens.expired, status: 401, code: /^token_expired$/ },
          { label: "jeton pas encore valide", token: tokens.notYetValid, status: 401, code: /^invalid_token$/ },
          { label: "autre locataire", token: tokens.otherTenant, status: 401, code: /^invalid_token$/ },
          { label: "autre audience", token: tokens.otherAudience, status: 401, code: /^invalid_token$/ },
          { label: "signature invalide", token: tokens.forged, status: 401, code: /^invalid_token$/ },
          { label: "sans rôle", token: tokens.noRole, status: 403, code: /^forbidden(_role)?$/ },
        ];
        // Company-scoped routes also need a grant on the company; global ones (list, metrics) are checked below.
        if (def.route.includes("{companyId}")) {
          cases.push(
            {
              label: "opérateur sans droit sur la société",
              token: tokens.stranger,
              status: 403,
              code: ADMIN_ONLY.has(def.name) ? /^forbidden_role$/ : /^forbidden_company$/,
            },
            { label: "administrateur sans droit sur la société", token: tokens.adminElsewhere, status: 403, code: /^forbidden_company$/ },
          );
        }
        if (ADMIN_ONLY.has(def.name)) {
          // metrics answers its own code ("forbidden"); the company routes say which requirement failed.
          cases.push({ label: "opérateur sur une route d'administration", token: tokens.operator, status: 403, code: /^forbidden(_role)?$/ });
          if (!def.route.includes("{companyId}"))
            cases.push({ label: "opérateur sans droit, route d'administration", token: tokens.stranger, status: 403, code: /^forbidden(_role)?$/ });
        }
        for (const c of cases) {
          const r = await call(method, address(def), c.token, bodies[def.name], c.raw);
          const what = `${where} — ${c.label} : ${r.status} ${r.text.slice(0, 300)}`;
          assert.equal(r.status, c.status, what);
          assert.match(r.type, /application\/json/, what);
          assert.match(r.json.error.code, c.code, what);
          assert.match(r.json.error.message, /^(Accès refusé|Accès aux métriques réservé|Authentification requise|Jeton d'accès|Votre session a expiré)/, what);
          assert.equal(Object.keys(r.json).join(), "error", what);
          if (c.status === 401) assert.match(r.headers.get("www-authenticate") ?? "", /^Bearer realm="paie-monaco"/, what);
          const token = c.token ?? c.raw ?? "";
          for (const part of token.split(".").filter((p) => p.length > 8)) assert.ok(!r.text.includes(part), `${what} : contient le jeton`);
          assert.ok(!/eyJ/.test(r.text), `${what} : contient un JWT`);
          for (const secret of forbidden) assert.ok(!r.text.includes(secret), `${what} : contient « ${secret} »`);
          checked++;
        }
      }
    }
    assert.ok(checked >= 100, `${checked} refusals checked`);
    // A user without a grant sees an empty list, not the company.
    for (const who of ["stranger", "adminElsewhere"]) {
      const r = await call("GET", "companies", tokens[who]);
      assert.equal(r.status, 200);
      assert.deepEqual(r.json, { companies: [] }, who);
    }
  } finally {
    stopCapture();
  }
});

test("health is anonymous and reveals nothing personal; runs only for companies the caller may see", async () => {
  const personal = [company.name, ...staff.flatMap((s) => [s.lastName, s.firstName, s.email, s.data.iban, s.data.birthDate])];
  for (const auth of [undefined, `Bearer ${tokens.forged}`, `Bearer ${tokens.expired}`]) {
    const r = await call("GET", "health", null, undefined, auth);
    assert.equal(r.status, 200);
    assert.equal(r.json.status, "ok");
    assert.deepEqual(Object.keys(r.json).sort(), ["companies", "lastRuns", "latencyMs", "mails", "parameterNotices", "status", "storage", "version"]);
    // Months with stale parameters: a count only for the anonymous (the notices name the company).
    assert.equal(typeof r.json.parameterNotices, "number");
    // Mail troubles are counts only.
    assert.deepEqual(Object.keys(r.json.mails).sort(), ["bounced", "failed", "stuck"]);
    assert.ok(Object.values(r.json.mails).every((n) => typeof n === "number"));
    // Anonymous: not even the client list (company ids).
    for (const secret of [company.id, ...personal]) assert.ok(!r.text.includes(secret), `${secret} (${auth ?? "anonyme"})`);
  }
  const stranger = await call("GET", "health", tokens.stranger);
  assert.deepEqual(stranger.json.runs, [], "no grant, no company");
  assert.deepEqual(stranger.json.notices, [], "no grant, no notice");
  const operator = await call("GET", "health", tokens.operator);
  assert.deepEqual(
    operator.json.runs.map((r: { companyId: string }) => r.companyId),
    [company.id],
  );
  for (const secret of personal) assert.ok(!operator.text.includes(secret), secret);
});

test("no log line or console output holds an employee's name, e-mail, CCSS number, birth date, IBAN, pay or a JWT", () => {
  const all = [...logLines, ...consoleLines];
  assert.ok(logLines.length >= 5, `the flow was logged (${logLines.length} lines)`);
  if (process.env.PAIE_SHOW_LOGS) originals.log(all.join("\n"));
  assert.ok(
    logLines.some((l) => l.includes("payroll.run.done")) && logLines.some((l) => l.includes("[mail-dispatcher]")),
    "services.log and context logs both reach the sink",
  );
  const patterns = needles();
  // The scanner itself can see a leak: a line with a name, a CCSS number or a token is flagged.
  for (const sample of [
    `salarié ${staff[1]!.lastName}`,
    `ccss=${staff[0]!.data.ccssNumber}`,
    `Bearer ${tokens.admin}`,
    `net ${euroForms(results[0]!.netPaid)[1]}`,
  ]) {
    assert.ok(
      patterns.some((p) => p.pattern.test(sample)),
      `scanner blind to: ${sample.slice(0, 30)}`,
    );
  }
  // And the sink redacts what a careless line would leak.
  stack.services.log("canary", { detail: `jeton ${tokens.admin} pour ${staff[0]!.email}, IBAN ${staff[0]!.data.iban}` });
  assert.match(logLines.at(-1)!, /\[jeton masqué\] pour \[adresse masquée\], IBAN \[IBAN masqué\]/);
  const leaks: string[] = [];
  for (const { label, pattern } of patterns) {
    for (const line of all) if (pattern.test(line)) leaks.push(`${label} : ${line.slice(0, 200)}`);
  }
  for (const t of tokensSeen) for (const line of all) if (line.includes(t.split(".")[2]!)) leaks.push(`signature de jeton : ${line.slice(0, 80)}`);
  assert.deepEqual(leaks, []);
});
