/** The demo company, staff and month (samples/), as the tests that go through the whole flow need them. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { buildMonth } from "../../addin/workbook/build.ts";
import { demoStaff } from "../../bin/demo.ts";
import { computePayslip } from "../../shared/engine/compute.ts";
import { type ResultSummary, summarise } from "../../shared/engine/summary.ts";
import type { CompanyInput, PayslipInput } from "../../shared/schema/payslip-input.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");

export const demoCompany = JSON.parse(readFileSync(path.join(ROOT, "samples/demo-company.json"), "utf8")).company;
export const demoWorkbook: { period: string; employees: unknown[][]; variables: unknown[][] } = JSON.parse(
  readFileSync(path.join(ROOT, "samples/demo-workbook-2025-08.json"), "utf8"),
);
export const DEMO_PERIOD = demoWorkbook.period;

/** The engine's company settings as the pane builds them from the stored company. */
export const demoEngineCompany: CompanyInput = {
  ...demoCompany.settings.engine,
  id: demoCompany.id,
  name: demoCompany.name,
  paidLeaveSystem: demoCompany.paidLeaveSystem,
  contracts: demoCompany.contracts,
};

/** The master data the API stores for the demo staff. */
export const demoEmployees = (): Record<string, unknown>[] => demoStaff(demoWorkbook.employees);

/** The month's engine inputs, from the workbook tables through the add-in's own parsing (no blocking issue). */
export function demoMonthInputs(): PayslipInput[] {
  const build = buildMonth({
    period: DEMO_PERIOD,
    employees: { name: "Salariés", values: demoWorkbook.employees as never, rowIndex: 0, columnIndex: 0 },
    variables: { name: `Variables ${DEMO_PERIOD}`, values: demoWorkbook.variables as never, rowIndex: 0, columnIndex: 0 },
    company: demoEngineCompany,
  });
  const errors = build.issues.filter((i) => i.severity === "error");
  if (errors.length) throw new Error(`demo workbook: ${errors.map((e) => e.message).join("; ")}`);
  return build.inputs;
}

/** What the pane sends with the inputs: its own figures. */
export function demoSummaries(inputs: PayslipInput[]): ResultSummary[] {
  return inputs.map((i) => {
    const o = computePayslip(i);
    if (!o.ok) throw new Error(`${i.employee.id}: ${o.errors[0]?.message}`);
    return summarise(o.result);
  });
}
