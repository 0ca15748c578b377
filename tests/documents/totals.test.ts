/** The documents' totals (shared/documents/totals.ts) are the engine's own figures, on the varied corpus inputs. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { corpusOutcomes } from "../../bench/corpus.ts";
import {
  allowanceOutsideGross,
  employeeContributions,
  employerContributions,
  employerCost,
  grossPay,
  netPaid,
  periodTotals,
  TOTAL_LABELS,
} from "../../shared/documents/totals.ts";

test("each total's definition gives the engine's figure on 2 000 corpus results, the 5 % allowance outside gross included in cost", () => {
  let withAllowance = 0;
  let results = 0;
  for (const o of corpusOutcomes(2000)) {
    if (!o.ok) continue;
    const r = o.result;
    results++;
    const id = `${r.employeeId} ${r.period}`;
    assert.equal(grossPay(r), r.gross, id);
    assert.equal(employeeContributions(r), r.employeeTotal, id);
    assert.equal(employerContributions(r), r.employerTotal, id);
    assert.equal(employerCost(r), r.employerCost, id);
    assert.equal(netPaid(r), r.netPaid, id);
    if (allowanceOutsideGross(r) !== 0) {
      withAllowance++;
      assert.equal(employerCost(r), grossPay(r) + allowanceOutsideGross(r) + employerContributions(r), id);
      assert.notEqual(employerCost(r), grossPay(r) + employerContributions(r), `${id}: the allowance is in the cost`);
    }
  }
  assert.ok(results > 1000, `${results} results`);
  assert.ok(withAllowance > 20, `${withAllowance} results with the 5 % allowance on minima`);
});

test("a period's totals are the sums of its employees' and the cost label says what it adds", () => {
  const rs = [...corpusOutcomes(50)].flatMap((o) => (o.ok ? [o.result] : []));
  const t = periodTotals(rs);
  assert.equal(t.employees, rs.length);
  assert.equal(
    t.gross,
    rs.reduce((s, r) => s + r.gross, 0),
  );
  assert.equal(t.employerCost, t.gross + t.allowanceOutsideGross + t.employerContributions);
  assert.equal(
    t.netPaid,
    rs.reduce((s, r) => s + r.netPaid, 0),
  );
  assert.equal(
    t.taxableNet,
    rs.reduce((s, r) => s + r.taxableNet, 0),
  );
  assert.match(TOTAL_LABELS.employerCostDefinition, /brut \+ prime 5 % \+ charges patronales/);
});
