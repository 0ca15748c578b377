/**
 * Stale and unconfirmed parameters fold into one notice per company and month (naming the parameters and what to
 * do); the cases to check keep the employee-specific warnings only, each naming the employee; confirming a value
 * unchanged for the new period (a dated value with its reference) makes the notice go away.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { PayslipResult } from "../../shared/core/result.ts";
import { computePayslip } from "../../shared/engine/compute.ts";
import { casesToCheck, ParameterNoticeSchema, parameterNotice } from "../../shared/rates/parameter-notices.ts";
import { baselineParameterSet, buildParameterSet, type ParameterSet, type StoredParameterValue } from "../../shared/rates/parameter-set.ts";
import { resolveParameter } from "../../shared/rates/parameters.ts";
import { compileChecker } from "../../shared/schema/checker.ts";
import type { PayslipInput } from "../../shared/schema/payslip-input.ts";
import { demoMonthInputs } from "../support/demo.ts";

const month = (period: string, set: ParameterSet = baselineParameterSet()): PayslipResult[] =>
  demoMonthInputs().map((i) => {
    const o = computePayslip({ ...i, period, variables: undefined } as PayslipInput, set);
    if (!o.ok) throw new Error(`${i.employee.id}: ${o.errors[0]?.message}`);
    return o.result;
  });

const STALE_OCTOBER = [
  "car.ceiling",
  "car.employee_rate",
  "car.employer_rate",
  "ccss.ceiling",
  "ccss.employer_rate",
  "cmrc.ta_ceiling",
  "cmrc.ta_employee_rate",
  "cmrc.ta_employer_rate",
  "cmrc.tb_employee_rate",
  "cmrc.tb_employer_rate",
];

test("2026-10 on the baseline: six payslips, one notice naming the ten stale and the unconfirmed parameters and what to do", () => {
  const results = month("2026-10");
  assert.equal(results.length, 6);
  assert.ok(
    results.every((r) => r.warnings.some((w) => w.code === "PARAM_STALE")),
    "the engine's output keeps its warnings",
  );
  const notice = parameterNotice("2026-10", results);
  assert.ok(notice);
  assert.ok(compileChecker(ParameterNoticeSchema).Check(notice));
  assert.deepEqual(notice.stale, STALE_OCTOBER);
  assert.deepEqual(notice.unconfirmed, ["ccss.employer_rate"]);
  assert.match(notice.message, /^Paramètres d'octobre 2026 à vérifier \(Administration › Paramètres\) : 10 paramètre\(s\)/);
  assert.match(notice.message, /le plafond CCSS \(ccss\.ceiling\)/);
  assert.match(notice.message, /le taux salarial CAR \(car\.employee_rate\)/);
  assert.match(notice.message, /saisissez les nouvelles valeurs avec leur référence.*confirmez-les inchangées/);
  assert.deepEqual(casesToCheck(results), [], "no employee-specific case: the parameters are not a case to check");
});

test("a month whose parameters are all confirmed and current has no notice", () => {
  assert.equal(parameterNotice("2025-09", month("2025-09")), undefined);
  // From 2025-10 the employer CCSS rate is inferred (monaco-rules §0.2): one notice, not a case per payslip.
  assert.deepEqual(parameterNotice("2025-11", month("2025-11"))?.unconfirmed, ["ccss.employer_rate"]);
});

test("cases to check: employee-specific warnings only, each naming the employee", () => {
  const [first, second] = month("2026-10");
  const own = { code: "ABSENCE_OVERLAP", path: "variables.absences[0]", message: "variables.absences[0] : deux absences le même jour" };
  const results = [{ ...first!, warnings: [...first!.warnings, own] }, second!];
  const cases = casesToCheck(results, new Map([[first!.employeeId, "Durand Marie"]]));
  assert.deepEqual(cases, [
    {
      employeeId: first!.employeeId,
      code: "ABSENCE_OVERLAP",
      path: "variables.absences[0]",
      message: `matricule ${first!.employeeId} (Durand Marie) : variables.absences[0] : deux absences le même jour`,
    },
  ]);
  assert.match(casesToCheck([{ ...second!, warnings: [own] }])[0]!.message, new RegExp(`^matricule ${second!.employeeId} : `));
});

test("confirmed unchanged for 2026-10 (the same value, dated, with its reference): the notice no longer names it", () => {
  const reference = { title: "Caisses Sociales de Monaco — valeurs au 1er octobre 2026 (DONNÉE DE TEST)", document: "test" };
  const unchanged = (parameter: string): StoredParameterValue => {
    const r = resolveParameter(parameter, "2026-09-30");
    assert.equal(r.kind, "value");
    return { parameter, validFrom: "2026-10-01", value: r.kind === "value" ? r.resolved.value : 0, status: "official", reference };
  };
  const set = buildParameterSet(STALE_OCTOBER.map(unchanged));
  const results = month("2026-10", set);
  assert.deepEqual(
    results.map((r) => r.netPaid),
    month("2026-10").map((r) => r.netPaid),
    "the same values: the same figures",
  );
  assert.equal(parameterNotice("2026-10", results, set.files), undefined, "neither stale nor unconfirmed any more");
  const partial = buildParameterSet([unchanged("ccss.ceiling")]);
  const notice = parameterNotice("2026-10", month("2026-10", partial), partial.files);
  assert.ok(notice && !notice.stale.includes("ccss.ceiling") && notice.stale.includes("car.ceiling"));
});
