/**
 * The summary the task pane sends with a submission and its comparison with the server's own run (issue 11: the
 * engine tests did not reach shared/engine/summary.ts at all). Figures come from the progressive-ceiling example of
 * rules.test.ts, where regularisation lines sit next to the month's lines of the same code.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { compareSummaries, summarise } from "../../shared/engine/summary.ts";
import { compute, contribution, input } from "./helpers.ts";

const overrides = [{ id: "cmrc.ta_ceiling", from: "2025-01-01", value: 3500, source: "exemple du classeur REMUNERATIONS" }];

function march() {
  const months = [2500, 2500].reduce<ReturnType<typeof compute> | undefined>(
    (prev, salary, i) =>
      compute(input({ period: `2025-0${i + 1}`, parameterOverrides: overrides, employee: { monthlySalary: salary }, ...(prev ? { carry: prev.carry } : {}) })),
    undefined,
  );
  return compute(input({ period: "2025-03", parameterOverrides: overrides, employee: { monthlySalary: 10000 }, carry: months!.carry }));
}

test("summarise: the totals as they are, one entry per code and 'R' for its regularisation", () => {
  const r = march();
  const s = summarise(r);
  assert.deepEqual(
    { employeeId: s.employeeId, gross: s.gross, employeeTotal: s.employeeTotal, employerTotal: s.employerTotal, net: s.net },
    { employeeId: "E1", gross: 1_000_000, employeeTotal: r.employeeTotal, employerTotal: r.employerTotal, net: r.net },
  );
  assert.equal(s.netPaid, r.netPaid);
  assert.equal(s.employerCost, r.employerCost);
  const ta = contribution(r, "1911")!;
  const taR = contribution(r, "1911", true)!;
  assert.deepEqual(s.contributions["1911"], [ta.employeeAmount ?? 0, ta.employerAmount ?? 0]);
  assert.deepEqual(s.contributions["1911R"], [taR.employeeAmount ?? 0, taR.employerAmount ?? 0]);
  assert.ok((taR.employeeAmount ?? 0) !== 0, "the regularisation line has an amount");
  // every contribution line is in exactly one entry: the sums agree with the totals
  const sums = Object.values(s.contributions).reduce((a, [e, p]) => [a[0] + e, a[1] + p], [0, 0]);
  assert.deepEqual(sums, [r.employeeTotal, r.employerTotal]);
  assert.equal(Object.keys(s.contributions).length, new Set(r.contributions.map((c) => (c.regularisation ? `${c.code}R` : c.code))).size);
});

test("summarise adds the lines of one code; an employer-only line counts 0 for the employee", () => {
  const base = summarise(compute(input()));
  const fake = compute(input());
  const line = fake.contributions.find((c) => c.employerAmount !== undefined && c.employeeAmount === undefined)!;
  fake.contributions.push({ ...line }, { ...line, employerAmount: undefined, employeeAmount: 7 });
  const s = summarise(fake);
  assert.deepEqual(s.contributions[line.code], [7, 2 * line.employerAmount! + 0]);
  assert.notDeepEqual(s.contributions, base.contributions);
});

test("compareSummaries names each differing total and each differing side of a contribution, codes in order", () => {
  const server = summarise(march());
  assert.deepEqual(compareSummaries(structuredClone(server), server), []);
  const client = structuredClone(server);
  client.gross += 1;
  client.netPaid -= 2;
  client.employerCost += 3;
  client.employeeTotal += 4;
  client.employerTotal += 5;
  client.net += 6;
  client.contributions["1911R"] = [client.contributions["1911R"]![0] + 1, client.contributions["1911R"]![1]];
  client.contributions["1901"] = [client.contributions["1901"]![0], client.contributions["1901"]![1] - 1];
  delete client.contributions["1913"];
  client.contributions["0000"] = [0, 0];
  const d = compareSummaries(client, server);
  const f = (field: string) => d.find((x) => x.field === field);
  assert.deepEqual(
    d.map((x) => x.field),
    [
      "gross",
      "employeeTotal",
      "employerTotal",
      "net",
      "netPaid",
      "employerCost",
      "cotisation 0000 (part salariale)",
      "cotisation 0000 (part patronale)",
      "cotisation 1901 (part patronale)",
      "cotisation 1911R (part salariale)",
      "cotisation 1913 (part salariale)",
      "cotisation 1913 (part patronale)",
    ],
  );
  assert.deepEqual(f("gross"), { employeeId: "E1", field: "gross", client: server.gross + 1, server: server.gross });
  assert.deepEqual(f("cotisation 1901 (part patronale)"), {
    employeeId: "E1",
    field: "cotisation 1901 (part patronale)",
    client: server.contributions["1901"]![1] - 1,
    server: server.contributions["1901"]![1],
  });
  assert.deepEqual(f("cotisation 1913 (part salariale)"), {
    employeeId: "E1",
    field: "cotisation 1913 (part salariale)",
    client: undefined,
    server: server.contributions["1913"]![0],
  });
  assert.deepEqual(f("cotisation 0000 (part salariale)"), { employeeId: "E1", field: "cotisation 0000 (part salariale)", client: 0, server: undefined });
  // the employee named is the server's
  assert.equal(compareSummaries({ ...client, employeeId: "X" }, server)[0]?.employeeId, "E1");
});
