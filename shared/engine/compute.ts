/**
 * The payroll engine: one employee, one month. Input validated by schema, parameters read for the period's last
 * day, then gross → bases → contributions → net, each line rounded half-up to the cent, every line explained.
 * Pure: no I/O, no clock, no randomness — the same input always gives the same result.
 *
 * computeValidated conducts the formulas of rules/ and engine/compute/; the order of its steps is the order the
 * parameters are first read in, which a result lists: keep it.
 */

import type { Issue } from "../core/issue.ts";
import { periodBounds } from "../core/period.ts";
import type { ComputeOutcome, PayLine, PayslipResult } from "../core/result.ts";
import type { ParameterSet } from "../rates/parameter-set.ts";
import { ParameterReader } from "../rates/reader.ts";
import { monacoAllowance } from "../rules/allowance.ts";
import { leaveYearStart } from "../rules/calendar.ts";
import { buildContributions } from "../rules/contributions.ts";
import { buildGross, compensatoryLeave, employmentFraction, type GrossContext } from "../rules/gross.ts";
import { accrueLeave } from "../rules/leave-accrual.ts";
import { byCode, sortSmall } from "../rules/lines.ts";
import { counter, openLeaveState } from "../rules/paid-leave.ts";
import type { PayslipInput } from "../schema/payslip-input.ts";
import { validatePayslipInput } from "../schema/validate.ts";
import { carryCeilingsToCents, nextCarry, yearToDate } from "./compute/carry.ts";
import { checkBelowSmic } from "./compute/checks.ts";
import { dsmEvents } from "./compute/events.ts";
import { monthToDate, netFigures } from "./compute/net.ts";
import { contributionTotals, lineTotals } from "./compute/totals.ts";

/** `parameters`: the parameter set to compute with (shared/rates/parameter-set.ts); the bundled baseline by default. */
export function computePayslip(raw: unknown, parameters?: ParameterSet): ComputeOutcome {
  const validation = validatePayslipInput(raw);
  if (!validation.ok) return { ok: false, errors: validation.errors };
  try {
    return computeValidated(validation.value, parameters);
  } catch (error) {
    // A defect in the engine must still come back as a located error, never as a crash of the caller.
    return { ok: false, errors: [{ code: "INTERNAL_ERROR", path: "(moteur)", message: `erreur interne du moteur : ${(error as Error).message}` }] };
  }
}

/** The steps in the order the law and the payslip take them; ~70 lines because each step is one named formula's call. */
export function computeValidated(input: PayslipInput, parameters?: ParameterSet): ComputeOutcome {
  const { start, end, year } = periodBounds(input.period);
  const params = new ParameterReader(end, input.parameterOverrides ?? [], parameters?.files);
  const errors: Issue[] = [];
  const warnings: Issue[] = [];
  const warn = (code: string, path: string, message: string) => warnings.push({ code, path, message: `${path} : ${message}` });
  const codes = input.company.codes;
  const e = input.employee;

  const fraction = employmentFraction(input);
  const ys = leaveYearStart(input.period);
  const opened = openLeaveState(input.carry?.leave, ys);
  if (opened.rolledYears > 1)
    warn("LEAVE_CARRY_TOO_OLD", "carry.leave.yearStart", "les compteurs de congés reçus datent de plus d'un an : ils repartent de zéro");
  const leave = opened.state;

  const ctx: GrossContext = { input, params, codes, fraction, leave, warn };
  const gross = buildGross(ctx);
  const lines = gross.lines;
  const allowanceKind = e.monacoAllowance ?? "none";
  if (allowanceKind === "above-minimum") {
    const line = monacoAllowance(params, codes, "allowance-contributory", lines);
    if (line) lines.push(line);
  }
  // Leave acquired this month, before any exit indemnity (which pays what is left).
  accrueLeave(params, leave.current, input, fraction, ys, lines);
  const leaving = e.exitDate !== undefined && e.exitDate <= end;
  if (leaving && input.variables?.compensatoryLeave !== false) lines.push(...compensatoryLeave(ctx, gross.leaveBase));
  sortSmall(lines, byCode);

  const totals = lineTotals(lines);
  const contributions = buildContributions({
    input,
    params,
    fraction,
    monacoBase: totals.monacoBase,
    otherBase: totals.otherBase,
    carry: carryCeilingsToCents(input.carry),
    error: (code, path, message) => errors.push({ code, path, message }),
  });
  const paid = contributionTotals(contributions.lines);
  const netAdditions: PayLine[] = [];
  if (allowanceKind === "minimum") {
    const line = monacoAllowance(params, codes, "allowance-minimum", lines);
    if (line) netAdditions.push(line);
  }
  const afterNet = sortSmall(gross.afterNet, byCode);
  const money = netFigures(totals, paid, netAdditions, afterNet);
  const ytd = yearToDate(input.carry, monthToDate(params, fraction, totals.gross, money, paid, gross.hoursPaid), year);

  for (const issue of params.errors) errors.push(issue);
  if (errors.length) return { ok: false, errors };
  for (const issue of params.warnings) warnings.push(issue);
  checkBelowSmic(params, e, warn);

  const carry = nextCarry(input.carry, ytd, contributions.carry, leave, ys);
  const events = dsmEvents({ input, start, end, leaving, lines, leaveHoursPerDay: gross.leaveHoursPerDay, warn });
  const result: PayslipResult = {
    period: input.period,
    periodStart: start,
    periodEnd: end,
    payDate: input.payDate ?? end,
    employeeId: e.id,
    category: e.category,
    director: e.director === true,
    lines,
    gross: totals.gross,
    contributions: contributions.lines,
    employeeTotal: paid.employee,
    employerTotal: paid.employer,
    netAdditions,
    net: money.net,
    afterNet,
    netPaid: money.netPaid,
    taxableNet: money.taxableNet,
    employerCost: money.employerCost,
    hoursPaid: gross.hoursPaid,
    bases: {
      monaco: totals.monacoBase,
      other: totals.otherBase,
      paidLeave: totals.paidLeaveBase,
      ccss: contributions.bases.ccss,
      car: contributions.bases.car,
      cmrcTA: contributions.bases.cmrcTA,
      cmrcTB: contributions.bases.cmrcTB,
      acTA: contributions.bases.acTA,
      acTB: contributions.bases.acTB,
    },
    leave: { previous: counter(leave.previous), current: counter(leave.current) },
    ytd,
    carry,
    events,
    // The resolved values are shared, frozen per month: no copy per payslip.
    parameters: params.used,
    warnings,
  };
  return { ok: true, result };
}
