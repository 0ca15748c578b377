/**
 * Bad API bodies and engine inputs at scale, without storage: the demo month's engine inputs with random fields
 * replaced, deleted or added (wrong types, hostile strings, huge numbers) through the engine, and arbitrary JSON
 * submission bodies through the submit route's own validation (submitPeriodBody, storage fenced off).
 * Properties: never an exception other than a located refusal, never NaN in a result.
 */

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import { buildMonth } from "../../addin/workbook/build.ts";
import type { Services } from "../../functions/app/services.ts";
import type { Principal } from "../../functions/auth/index.ts";
import { ApiError } from "../../functions/payroll/errors.ts";
import { submitPeriodBody } from "../../functions/payroll/submit.ts";
import { computePayslip } from "../../shared/engine/compute.ts";
import type { PayslipInput } from "../../shared/schema/payslip-input.ts";
import { validatePayslipInput } from "../../shared/schema/validate.ts";
import { demoSummaries } from "../support/demo.ts";
import { check } from "./fuzz.ts";
import { reportAtEnd, tally } from "./summary.ts";

reportAtEnd(import.meta.filename);

const ROOT = path.resolve(import.meta.dirname, "../..");
const company = JSON.parse(readFileSync(path.join(ROOT, "samples/demo-company.json"), "utf8")).company;
const workbook = JSON.parse(readFileSync(path.join(ROOT, "samples/demo-workbook-2025-08.json"), "utf8"));
const PERIOD = "2025-08";
const inputs: PayslipInput[] = buildMonth({
  period: PERIOD,
  employees: { name: "Salariés", values: workbook.employees, rowIndex: 0, columnIndex: 0 },
  variables: { name: `Variables ${PERIOD}`, values: workbook.variables, rowIndex: 0, columnIndex: 0 },
  company: { ...company.settings.engine, id: company.id, name: company.name, paidLeaveSystem: company.paidLeaveSystem, contracts: company.contracts },
}).inputs;

/** Every [path, value] leaf and object of a JSON value, to pick what to break. */
function paths(value: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) paths(v, [...at, Array.isArray(value) ? Number(k) : k], out);
  return out;
}

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, "", " ", "NaN", "1e999", "__proto__", "<script>", "'; DROP TABLE x;--", "\u0000", "\ud800", "Ж".repeat(10_000)),
  fc.constantFrom(0, -0, -1, 1e308, -1e308, 5e-324, 2 ** 53 + 1, 0.1 + 0.2, 999_999_999.999, 1_000_000_000),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.string({ maxLength: 40 }),
  fc.constantFrom("2025-02-30", "2025-08-32", "2024-02-29", "2025-13-01", "0000-00-00", "9999-12-31", "2025-08", "31/08/2025"),
  fc.constant([]),
  fc.constant({}),
  fc.jsonValue({ maxDepth: 2 }),
);

type Edit = { kind: "set"; pick: number; value: unknown } | { kind: "delete"; pick: number } | { kind: "add"; pick: number; key: string; value: unknown };
const edit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("set" as const), pick: fc.nat(), value: hostileValue }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("delete" as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("add" as const),
      pick: fc.nat(),
      key: fc.constantFrom("__proto__", "constructor", "extra", "x"),
      value: hostileValue,
    }),
  },
);

/** Generated objects can be shared instances (fc.constant({})): copy them, or two edits would build a cycle. */
const fresh = (v: unknown): unknown => (v && typeof v === "object" ? JSON.parse(JSON.stringify(v)) : v);

function applyEdits<T>(base: T, edits: Edit[]): unknown {
  let doc: unknown = JSON.parse(JSON.stringify(base));
  for (const e of edits) {
    const all = paths(doc);
    const target = all[e.pick % all.length]!;
    if (target.length === 0) {
      if (e.kind === "set") doc = fresh(e.value);
      continue;
    }
    const parent = target.slice(0, -1).reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], doc) as Record<string | number, unknown>;
    const key = target[target.length - 1]!;
    if (e.kind === "set") parent[key] = fresh(e.value);
    else if (e.kind === "delete") {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
    } else if (parent[key] && typeof parent[key] === "object" && !Array.isArray(parent[key])) {
      // defineProperty: an own "__proto__" key, as JSON.parse would produce from a hostile body.
      Object.defineProperty(parent[key], e.key, { value: fresh(e.value), enumerable: true, writable: true, configurable: true });
    }
  }
  return doc;
}

function firstNonFinite(value: unknown, at = ""): string | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? undefined : at || "(racine)";
  if (!value || typeof value !== "object") return undefined;
  for (const [k, v] of Object.entries(value)) {
    const bad = firstNonFinite(v, `${at}.${k}`);
    if (bad) return bad;
  }
  return undefined;
}

test("engine inputs with random fields broken: a result without NaN, or errors each with a field path and a French message", () => {
  check(
    fc.property(fc.nat(inputs.length - 1), fc.array(edit, { minLength: 1, maxLength: 6 }), (which, edits) => {
      tally.fuzzed();
      const value = applyEdits(inputs[which], edits);
      const outcome = computePayslip(value);
      if (outcome.ok) {
        const bad = firstNonFinite(outcome.result);
        assert.equal(bad, undefined, `non-finite number at ${bad}`);
        assert.ok(Number.isInteger(outcome.result.netPaid));
        return;
      }
      assert.ok(outcome.errors.length > 0);
      for (const e of outcome.errors) {
        assert.ok(typeof e.code === "string" && e.code.length > 0);
        assert.ok(typeof e.path === "string" && e.path.length > 0, `${e.code} without a path`);
        assert.ok(typeof e.message === "string" && e.message.length > 0 && e.message.length <= 600, `${e.code} message length`);
        assert.doesNotMatch(e.message, /\b(Expected|undefined|is not a function|Cannot read)\b/, `${e.path}: ${e.message}`);
      }
      // The validator alone agrees: whatever the engine refuses, validatePayslipInput or a business rule located it.
      const v = validatePayslipInput(value);
      if (!v.ok) assert.ok(v.errors.every((e) => e.path.length > 0));
    }),
    { seed: 8_2025, numRuns: 3000 },
  );
});

const principal: Principal = { oid: "fuzz", tid: "t", name: "fuzz", roles: ["Payroll.Admin"], companies: ["*"] };
class StorageTouched extends Error {}
/** Services whose storage must not be reached: a body that gets that far was fully validated and recomputed. */
const fenced = new Proxy(
  {},
  {
    get: () => {
      throw new StorageTouched("storage reached");
    },
  },
) as unknown as Services;
const validBody = {
  period: PERIOD,
  inputs,
  results: demoSummaries(inputs),
};

function located(details: unknown[]): boolean {
  return details.every((d) => {
    const x = d as { path?: unknown; employeeId?: unknown; errors?: unknown[] };
    return (typeof x.path === "string" && x.path.length > 0) || (typeof x.employeeId === "string" && x.employeeId.length > 0);
  });
}

async function submitOutcome(body: unknown): Promise<ApiError | "accepted"> {
  try {
    await submitPeriodBody(fenced, principal, company.id, PERIOD, body);
    return "accepted";
  } catch (e) {
    if (e instanceof StorageTouched) return "accepted";
    if (e instanceof ApiError) return e;
    throw e; // anything else is an unhandled exception: the property fails
  }
}

test("submission bodies: the valid demo body with random edits, and arbitrary JSON — refused with 4xx and located details, never an exception", async () => {
  const bodies = fc.oneof(
    { weight: 4, arbitrary: fc.array(edit, { minLength: 1, maxLength: 5 }).map((edits) => applyEdits(validBody, edits)) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
    {
      weight: 1,
      arbitrary: fc.record({ period: hostileValue, inputs: fc.array(hostileValue, { maxLength: 3 }), results: fc.array(hostileValue, { maxLength: 3 }) }),
    },
  );
  await fc.assert(
    fc.asyncProperty(bodies, async (body) => {
      tally.fuzzed();
      const outcome = await submitOutcome(body);
      if (outcome === "accepted") return;
      assert.ok([400, 409, 422].includes(outcome.status), `status ${outcome.status}`);
      assert.ok(outcome.message.length > 0 && outcome.message.length <= 800, "bounded message");
      assert.ok(located(outcome.details), `${outcome.code}: details without a location ${JSON.stringify(outcome.details).slice(0, 300)}`);
    }),
    { seed: 1_301, numRuns: 2500, endOnFailure: true },
  );
});

test("schema refusals of a submission are worded in French", async () => {
  for (const body of [{}, { period: PERIOD, inputs: [1], results: [] }, { ...validBody, period: 3 }]) {
    const outcome = await submitOutcome(body);
    assert.ok(outcome instanceof ApiError);
    assert.doesNotMatch(outcome.message, /Expected/, outcome.message);
  }
});
