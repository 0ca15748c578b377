/**
 * What a month carries to the next: the year-to-date figures (restarting on 1 January), the running ceilings of each
 * family and the leave counters. The engine works in cents; the carry it receives and returns is in euros.
 */
import type { CarryInput } from "../../core/carry.ts";
import { centsToEuros, fromHundredths, toCents, toHundredths } from "../../core/fixed.ts";
import type { PayslipResult } from "../../core/result.ts";
import type { FamilyId } from "../../rates/parameters.ts";
import type { CeilingCarryCents } from "../../rules/ceilings.ts";
import { DAY, type LeaveState, type LeaveYearState } from "../../rules/paid-leave.ts";

// The order buildContributions fills the families in, kept in the carried ceilings.
const FAMILY_ORDER = ["CAR", "CCSS", "AC", "CMRC", "RC"] as const satisfies readonly FamilyId[];
// A family added to FamilyId without being listed here fails to compile.
const everyFamilyListed: Exclude<FamilyId, (typeof FAMILY_ORDER)[number]> extends never ? true : never = true;
void everyFamilyListed;

export function carryCeilingsToCents(carry: CarryInput | undefined): Partial<Record<FamilyId, CeilingCarryCents>> {
  const out: Partial<Record<FamilyId, CeilingCarryCents>> = {};
  const ceilings = carry?.ceilings;
  if (!ceilings) return out;
  for (const family of FAMILY_ORDER) {
    const c = ceilings[family];
    if (c) out[family] = { windowStart: c.windowStart, base: toCents(c.base), ceiling: toCents(c.ceiling), ta: toCents(c.ta), tb: toCents(c.tb) };
  }
  return out;
}

/** The running ceilings to carry, in the order the families are computed. */
function ceilingsToEuros(carry: Partial<Record<FamilyId, CeilingCarryCents>>): CarryInput["ceilings"] {
  const out: CarryInput["ceilings"] = {};
  for (const family of FAMILY_ORDER) {
    const cc = carry[family];
    if (cc)
      out[family] = {
        windowStart: cc.windowStart,
        base: centsToEuros(cc.base),
        ceiling: centsToEuros(cc.ceiling),
        ta: centsToEuros(cc.ta),
        tb: centsToEuros(cc.tb),
      };
  }
  return out;
}

export type YearToDate = PayslipResult["ytd"];

/** This month's figures (cents; hours in hundredths) added to the carried ones of the same year. */
export function yearToDate(carry: CarryInput | undefined, month: Omit<YearToDate, "year">, year: number): YearToDate {
  const prior = carry && carry.year === year ? carry.ytd : undefined;
  return {
    year,
    gross: toCents(prior?.gross ?? 0) + month.gross,
    baseSS: toCents(prior?.baseSS ?? 0) + month.baseSS,
    taxableNet: toCents(prior?.taxableNet ?? 0) + month.taxableNet,
    netPaid: toCents(prior?.netPaid ?? 0) + month.netPaid,
    ceilingSS: toCents(prior?.ceilingSS ?? 0) + month.ceilingSS,
    hours: toHundredths(prior?.hours ?? 0) + month.hours,
    employeeContributions: toCents(prior?.employeeContributions ?? 0) + month.employeeContributions,
    employerContributions: toCents(prior?.employerContributions ?? 0) + month.employerContributions,
  };
}

const leaveYear = (y: LeaveYearState) => ({
  acquired: y.acquired / DAY,
  taken: y.taken / DAY,
  months: y.months / DAY,
  referenceGross: centsToEuros(y.referenceGross),
});

export function nextCarry(
  input: CarryInput | undefined,
  ytd: YearToDate,
  ceilingsCents: Partial<Record<FamilyId, CeilingCarryCents>>,
  leave: LeaveState,
  leaveYearStart: string,
): CarryInput {
  const ceilings = ceilingsToEuros(ceilingsCents);
  // A family this month did not use (a director's unemployment window…) keeps its running totals.
  const carried = input?.ceilings;
  if (carried) for (const family in carried) if (!(family in ceilings)) ceilings[family] = carried[family]!;
  return {
    year: ytd.year,
    ytd: {
      gross: centsToEuros(ytd.gross),
      baseSS: centsToEuros(ytd.baseSS),
      taxableNet: centsToEuros(ytd.taxableNet),
      netPaid: centsToEuros(ytd.netPaid),
      ceilingSS: centsToEuros(ytd.ceilingSS),
      hours: fromHundredths(ytd.hours),
      employeeContributions: centsToEuros(ytd.employeeContributions),
      employerContributions: centsToEuros(ytd.employerContributions),
    },
    ceilings,
    leave: { yearStart: leaveYearStart, current: leaveYear(leave.current), previous: leaveYear(leave.previous) },
  };
}
