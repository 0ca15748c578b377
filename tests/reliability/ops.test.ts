/**
 * Operations without a stack: the Prometheus exposition parsed back line by line, who may read /api/metrics,
 * and the Bicep template's structure (it cannot be deployed here): resources, identity, roles, no plain secrets.
 */

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import type { HttpRequest } from "@azure/functions";
import type { Services } from "../../functions/app/services.ts";
import { AuthError, type Principal } from "../../functions/auth/index.ts";
import { appMetrics, instrumentHttp, observeMailDispatch, observePayrollRun, observeRetry, registry } from "../../functions/ops/app-metrics.ts";
import { metricsHandler } from "../../functions/ops/health.ts";
import { Registry } from "../../functions/ops/metrics.ts";
import { reportAtEnd } from "./summary.ts";

reportAtEnd(import.meta.filename);

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A strict parser of the text format 0.0.4: every line is a comment (HELP/TYPE) or a sample; anything else fails. */
function parseExposition(text: string): { types: Map<string, string>; samples: Sample[] } {
  assert.ok(text.endsWith("\n"), "ends with a line feed");
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.slice(0, -1).split("\n")) {
    let m = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (m) {
      if (m[1] === "TYPE") {
        assert.ok(["counter", "gauge", "histogram", "summary", "untyped"].includes(m[3]!), line);
        assert.ok(!types.has(m[2]!), `TYPE twice for ${m[2]}`);
        types.set(m[2]!, m[3]!);
      }
      continue;
    }
    m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(m, `not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    const body = m[3] ?? "";
    const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/y;
    let consumed = 0;
    while (consumed < body.length) {
      re.lastIndex = consumed;
      const l = re.exec(body);
      assert.ok(l, `bad labels in ${line}`);
      labels[l[1]!] = l[2]!.replace(/\\n/g, "\n").replace(/\\"/g, '"').replace(/\\\\/g, "\\");
      consumed = re.lastIndex;
    }
    const value = m[4] === "+Inf" ? Infinity : m[4] === "-Inf" ? -Infinity : Number(m[4]);
    assert.ok(!Number.isNaN(value), `value of ${line}`);
    const family = m[1]!.replace(/_(bucket|sum|count)$/, "");
    assert.ok(types.has(m[1]!) || types.get(family) === "histogram", `sample ${m[1]} before its TYPE`);
    samples.push({ name: m[1]!, labels, value });
  }
  return { types, samples };
}

const find = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

test("the exposition parses back: counters, a cumulative histogram, escaped labels", async () => {
  registry.reset();
  observePayrollRun("generated", 1_800, 6);
  observePayrollRun("generated", 40_000, 250);
  observePayrollRun("failed", 300);
  observeMailDispatch({ sent: 5, failed: 1, retried: 2 });
  observeRetry("storage");
  observePayrollRun("generated", Number.NaN, -3); // nonsense is ignored, never thrown
  const handler = instrumentHttp("period-submit", async () => ({ status: 201 }));
  await handler({ method: "post" } as HttpRequest, {} as never);
  await assert.rejects(
    instrumentHttp("boom", async () => {
      throw new Error("x");
    })({ method: "GET" } as HttpRequest, {} as never),
  );

  const { types, samples } = parseExposition(registry.expose());
  assert.equal(types.get("paie_payroll_run_duration_seconds"), "histogram");
  assert.equal(types.get("paie_payslips_processed_total"), "counter");
  assert.equal(find(samples, "paie_payslips_processed_total", { outcome: "generated" })[0]?.value, 256);
  assert.equal(find(samples, "paie_payroll_runs_total", { outcome: "generated" })[0]?.value, 3);
  assert.equal(find(samples, "paie_mails_total", { result: "sent" })[0]?.value, 5);
  assert.equal(find(samples, "paie_mails_total", { result: "failed" })[0]?.value, 1);
  assert.equal(find(samples, "paie_retries_total", { kind: "mail" })[0]?.value, 2);
  assert.equal(find(samples, "paie_retries_total", { kind: "storage" })[0]?.value, 1);
  assert.equal(find(samples, "paie_http_requests_total", { route: "period-submit", method: "POST", status: "201" })[0]?.value, 1);
  assert.equal(find(samples, "paie_http_requests_total", { route: "boom", status: "500" })[0]?.value, 1);
  // Histogram: buckets cumulative and non-decreasing, +Inf = _count, _sum = total seconds.
  const buckets = find(samples, "paie_payroll_run_duration_seconds_bucket", { outcome: "generated" });
  const values = buckets.map((b) => b.value);
  assert.deepEqual(
    [...values].sort((a, b) => a - b),
    values,
    "cumulative",
  );
  assert.equal(buckets.find((b) => b.labels.le === "2.5")?.value, 1);
  assert.equal(buckets.find((b) => b.labels.le === "+Inf")?.value, 2);
  assert.equal(find(samples, "paie_payroll_run_duration_seconds_count", { outcome: "generated" })[0]?.value, 2);
  assert.equal(find(samples, "paie_payroll_run_duration_seconds_sum", { outcome: "generated" })[0]?.value, 41.8);

  const own = new Registry();
  own.counter("t_total", "help with \\ and\nnewline", ["v"]).inc({ v: 'a"b\\c\nd' });
  const parsed = parseExposition(own.expose());
  assert.equal(parsed.samples[0]!.labels.v, 'a"b\\c\nd');
  assert.throws(() => own.counter("t_total", "again"), /twice/);
  assert.throws(() => own.counter("bad name", "x"), /invalid metric name/);
});

test("GET /api/metrics: the metrics key or an admin; operators 403, anonymous 401; no personal data in labels", async () => {
  const KEY = "k".repeat(40);
  const as = (p: Principal | Error) =>
    ({
      auth: {
        authenticate: async () => {
          if (p instanceof Error) throw p;
          return p;
        },
      },
    }) as unknown as Services;
  const req = (headers: Record<string, string>) => ({ headers: new Headers(headers), method: "GET" }) as unknown as HttpRequest;
  const admin: Principal = { oid: "a", tid: "t", name: "a", roles: ["Payroll.Admin"], companies: ["*"] };
  const operator: Principal = { ...admin, roles: ["Payroll.Operator"] };
  const anonymous = new AuthError(401, "missing_token", "Authentification requise.");

  let r = await metricsHandler(() => as(anonymous), "0.1.0", { PAIE_METRICS_KEY: KEY })(req({ "x-paie-metrics-key": KEY }));
  assert.equal(r.status, 200);
  assert.match(String(r.headers && (r.headers as Record<string, string>)["Content-Type"]), /^text\/plain; version=0\.0\.4/);
  const { samples } = parseExposition(String(r.body));
  assert.equal(find(samples, "paie_build_info", { version: "0.1.0" })[0]?.value, 1);
  assert.ok(!/@|companies\/|D00\d/.test(String(r.body)), "no e-mail, path or matricule");
  r = await metricsHandler(() => as(anonymous), "0.1.0", { PAIE_METRICS_KEY: KEY })(req({ authorization: `Bearer ${KEY}` }));
  assert.equal(r.status, 200, "Prometheus' bearer credentials");
  r = await metricsHandler(() => as(anonymous), "0.1.0", { PAIE_METRICS_KEY: KEY })(req({ "x-paie-metrics-key": `${KEY}x` }));
  assert.equal(r.status, 401);
  r = await metricsHandler(() => as(anonymous), "0.1.0", { PAIE_METRICS_KEY: "short" })(req({ "x-paie-metrics-key": "short" }));
  assert.equal(r.status, 401, "a key under 32 characters is never accepted");
  r = await metricsHandler(() => as(operator), "0.1.0", {})(req({}));
  assert.equal(r.status, 403);
  assert.match((r.jsonBody as { error: { message: string } }).error.message, /réservé aux administrateurs/);
  r = await metricsHandler(() => as(admin), "0.1.0", {})(req({}));
  assert.equal(r.status, 200);
  assert.equal(appMetrics.buildInfo.get({ version: "0.1.0" }), 1);
});

test("infra/main.bicep: resources, identity, least-privilege roles, https only, TLS 1.2, no secret in plain text", () => {
  const root = path.resolve(import.meta.dirname, "../..");
  const bicep = readFileSync(path.join(root, "infra/main.bicep"), "utf8");
  const code = bicep.replace(/(^|\s)\/\/.*$/gm, "$1"); // comments may mention anything (not "https://" in strings)
  const resources = [...code.matchAll(/^resource (\w+) '([^@']+)@[^']+'/gm)].map((m) => ({ name: m[1]!, type: m[2]! }));
  const types = resources.map((r) => r.type);
  for (const t of [
    "Microsoft.Web/sites",
    "Microsoft.Web/serverfarms",
    "Microsoft.Storage/storageAccounts",
    "Microsoft.KeyVault/vaults",
    "Microsoft.Insights/components",
    "Microsoft.OperationalInsights/workspaces",
  ]) {
    assert.ok(types.includes(t), `${t} declared`);
  }
  const block = (name: string) => {
    const start = code.search(new RegExp(`^resource ${name} `, "m"));
    assert.ok(start >= 0, `resource ${name}`);
    let depth = 0;
    for (let i = code.indexOf("{", start); i < code.length; i++) {
      if (code[i] === "{") depth++;
      if (code[i] === "}" && --depth === 0) return code.slice(start, i + 1);
    }
    throw new Error(`unbalanced braces in ${name}`);
  };
  const app = block("app");
  assert.match(app, /kind: 'functionapp,linux'/);
  assert.match(app, /httpsOnly: true/);
  assert.match(app, /minTlsVersion: '1\.2'/);
  assert.match(app, /ftpsState: 'Disabled'/);
  assert.match(app, /identity: \{ type: 'SystemAssigned' \}/);
  assert.match(app, /runtime: \{ name: 'node', version: '20' \}/);
  assert.match(block("plan"), /FlexConsumption/);
  const storage = block("storage");
  assert.match(storage, /minimumTlsVersion: 'TLS1_2'/);
  assert.match(storage, /supportsHttpsTrafficOnly: true/);
  assert.match(storage, /allowBlobPublicAccess: false/);
  for (const c of ["documentsContainer", "backupsContainer"]) assert.match(block(c), /publicAccess: 'None'/);
  const vault = block("vault");
  assert.match(vault, /enableRbacAuthorization: true/);
  assert.match(vault, /enablePurgeProtection: true/);
  assert.match(block("insights"), /WorkspaceResourceId: logs\.id/);

  // Role assignments: the app's identity, data-plane roles only, scoped to the storage account or the vault.
  const assignments = resources.filter((r) => r.type === "Microsoft.Authorization/roleAssignments").map((r) => block(r.name));
  const roleIds = Object.fromEntries([...code.matchAll(/^\s+(\w+): '([0-9a-f-]{36})'$/gm)].map((m) => [m[1]!, m[2]!]));
  const granted = assignments.filter((a) => /principalId: app\.identity\.principalId/.test(a)).map((a) => /roles\.(\w+)\)/.exec(a)?.[1]);
  assert.deepEqual(granted.sort(), ["keyVaultSecretsUser", "storageBlobDataContributor", "storageQueueDataContributor", "storageTableDataContributor"]);
  assert.equal(roleIds.storageBlobDataContributor, "ba92f5b4-2d11-453d-a403-e96b0029c9fe");
  assert.equal(roleIds.storageTableDataContributor, "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3");
  assert.equal(roleIds.keyVaultSecretsUser, "4633458b-17de-408a-b874-0445c86b69e6");
  for (const a of assignments) assert.match(a, /scope: (storage|vault)\n/, "scoped to one resource, not the subscription");
  assert.doesNotMatch(code, /Owner|Contributor'|8e3af657-a8ff-443c-a75c-2fe8c4bcb635|b24988ac-6180-42a0-ab88-20f7382dd24c/, "no Owner/Contributor");

  // Secrets: only Key Vault references in app settings; no keys, connection strings with keys, or secret values.
  const settings = block("settings");
  for (const name of ["PAIE_DATA_KEYS", "PAIE_DATA_KEY_CURRENT", "PAIE_METRICS_KEY"]) {
    assert.match(settings, new RegExp(`${name}: '@Microsoft\\.KeyVault\\(VaultName=\\$\\{vault\\.name\\};SecretName=[a-z-]+\\)'`), name);
  }
  assert.doesNotMatch(code, /AccountKey=|listKeys\(|SharedAccessSignature|'[A-Za-z0-9+/]{40,}={0,2}'/, "no key material");
  assert.doesNotMatch(code, /Microsoft\.KeyVault\/vaults\/secrets/, "no secret value created by the template");
  assert.match(storage, /allowSharedKeyAccess: false/);

  const parameters = JSON.parse(readFileSync(path.join(root, "infra/main.parameters.json"), "utf8"));
  const declared = [...code.matchAll(/^param (\w+) /gm)].map((m) => m[1]);
  for (const p of Object.keys(parameters.parameters)) assert.ok(declared.includes(p), `parameter ${p} declared in main.bicep`);
  for (const p of declared) assert.ok(!/key|secret|password/i.test(p!) || p === "keyVaultAdminObjectId", `no secret parameter (${p})`);
});
