/**
 * A test double of the engine for adapter tests: derives a structurally complete PayslipResult from the input with
 * simple arithmetic so the adapters' writing and totals can be checked. It is not the payroll calculation.
 */
import type { ComputeOutcome, PayslipResult } from "../../shared/core/result.ts";
import type { PayslipInput } from "../../shared/schema/payslip-input.ts";

export function fakeCompute(input: PayslipInput): ComputeOutcome {
  if (input.employee.monthlySalary > 900_000)
    return { ok: false, errors: [{ code: "TOO_HIGH", path: "employee.monthlySalary", message: "montant refusé par le double" }] };
  const gross = Math.round(input.employee.monthlySalary * 100) + Math.round((input.variables?.overtime125 ?? 0) * 2000);
  const employee = Math.round(gross * 0.15);
  const employer = Math.round(gross * 0.3);
  const tickets = -Math.round((input.variables?.mealTickets ?? 0) * 360);
  const result: PayslipResult = {
    period: input.period,
    periodStart: `${input.period}-01`,
    periodEnd: `${input.period}-28`,
    payDate: `${input.period}-28`,
    employeeId: input.employee.id,
    category: input.employee.category,
    director: false,
    lines: [{ code: "0003", rubric: "0003", label: "Salaire mensuel", section: "gross", quantity: 16900, amount: gross, explanation: "double" }],
    gross,
    contributions: [
      {
        code: "1901",
        label: "CAR",
        organism: "CAR",
        family: "CAR",
        base: gross,
        employeeRate: 68500,
        employeeAmount: Math.round(gross * 0.1),
        employerRate: 100000,
        employerAmount: Math.round(gross * 0.1),
        explanation: "double",
      },
      {
        code: "9301",
        label: "CCSS",
        organism: "CCSS",
        family: "CCSS",
        base: gross,
        employeeRate: 0,
        employeeAmount: employee - Math.round(gross * 0.1),
        employerRate: 200000,
        employerAmount: employer - Math.round(gross * 0.1),
        explanation: "double",
      },
    ],
    employeeTotal: employee,
    employerTotal: employer,
    netAdditions: [],
    net: gross - employee,
    afterNet: tickets ? [{ code: "7065", rubric: "7061", label: "Tickets restaurant", section: "after-net", amount: tickets, explanation: "double" }] : [],
    netPaid: gross - employee + tickets,
    taxableNet: gross - employee,
    employerCost: gross + employer,
    hoursPaid: 16900,
    bases: { monaco: gross, other: gross, ccss: gross, car: gross, cmrcTA: gross, cmrcTB: 0, acTA: gross, acTB: 0, paidLeave: gross },
    leave: {
      previous: { label: "2023/24", start: "2023-05-01", end: "2024-04-30", acquired: 0, taken: 0, remaining: 0 },
      current: { label: "2024/25", start: "2024-05-01", end: "2025-04-30", acquired: 0, taken: 0, remaining: 0 },
    },
    ytd: {
      year: 2025,
      gross,
      baseSS: gross,
      taxableNet: gross - employee,
      netPaid: gross - employee,
      ceilingSS: 0,
      hours: 16900,
      employeeContributions: employee,
      employerContributions: employer,
    },
    carry: {
      year: 2025,
      ytd: { gross: gross / 100, baseSS: 0, taxableNet: 0, netPaid: 0, ceilingSS: 0, hours: 169, employeeContributions: 0, employerContributions: 0 },
      ceilings: {},
      leave: {
        yearStart: "2024-05-01",
        current: { acquired: 0, taken: 0, months: 0, referenceGross: 0 },
        previous: { acquired: 0, taken: 0, months: 0, referenceGross: 0 },
      },
    },
    events: [],
    parameters: [],
    warnings: [],
  };
  return { ok: true, result };
}
