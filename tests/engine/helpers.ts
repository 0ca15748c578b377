import type { ContributionLine, PayslipResult } from "../../shared/core/result.ts";
import { computePayslip } from "../../shared/engine/compute.ts";
import type { PayslipInput } from "../../shared/schema/payslip-input.ts";

export function input(overrides: Omit<Partial<PayslipInput>, "employee"> & { employee?: Partial<PayslipInput["employee"]> } = {}): PayslipInput {
  const { employee, ...rest } = overrides;
  return {
    period: "2025-08",
    company: {},
    ...rest,
    employee: {
      id: "E1",
      category: "non-cadre",
      hireDate: "2015-01-01",
      contractHours: 169,
      monthlySalary: 3000,
      ...(employee ?? {}),
    },
  } as PayslipInput;
}

export function compute(i: unknown): PayslipResult {
  const outcome = computePayslip(i);
  if (!outcome.ok) throw new Error(`expected a result, got errors: ${JSON.stringify(outcome.errors)}`);
  return outcome.result;
}

export function contribution(r: PayslipResult, code: string, regularisation = false): ContributionLine | undefined {
  return r.contributions.find((c) => c.code === code && (c.regularisation === true) === regularisation);
}

export function line(r: PayslipResult, rubric: string) {
  return [...r.lines, ...r.afterNet, ...r.netAdditions].find((l) => l.rubric === rubric);
}
