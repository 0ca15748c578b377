/**
 * Paid leave (Loi n° 619): counters per leave year (1 May – 30 April), the absence/indemnity pair with
 * indemnity = max(salary maintenance, 1/10 of the reference-period gross), and the compensatory indemnity on exit.
 * Days are kept in 1e-4 day units so that 25/12 a month adds up to 25 days a year.
 */

import type { CarryInput } from "../core/carry.ts";
import { divRound } from "../core/fixed.ts";
import { leaveYearLabel } from "./calendar.ts";

export const DAY = 10_000;

export interface LeaveYearState {
  start: string;
  acquired: number; // 1e-4 days
  taken: number; // 1e-4 days
  months: number; // 1e-4 months
  referenceGross: number; // cents
}

export interface LeaveState {
  previous: LeaveYearState;
  current: LeaveYearState;
}

const empty = (start: string): LeaveYearState => ({ start, acquired: 0, taken: 0, months: 0, referenceGross: 0 });
const fromCarry = (start: string, y: CarryInput["leave"]["current"]): LeaveYearState => ({
  start,
  acquired: Math.round(y.acquired * DAY),
  taken: Math.round(y.taken * DAY),
  months: Math.round(y.months * DAY),
  referenceGross: Math.round(y.referenceGross * 100),
});

/** The counters for the leave year that contains the period, rolling over on 1 May. */
export function openLeaveState(carry: CarryInput["leave"] | undefined, yearStart: string): { state: LeaveState; rolledYears: number } {
  const prevStart = `${Number(yearStart.slice(0, 4)) - 1}-05-01`;
  if (!carry) return { state: { previous: empty(prevStart), current: empty(yearStart) }, rolledYears: 0 };
  const carriedStart = carry.yearStart;
  if (carriedStart === yearStart) {
    return { state: { previous: fromCarry(prevStart, carry.previous), current: fromCarry(yearStart, carry.current) }, rolledYears: 0 };
  }
  if (carriedStart === prevStart) {
    return { state: { previous: fromCarry(prevStart, carry.current), current: empty(yearStart) }, rolledYears: 1 };
  }
  return { state: { previous: empty(prevStart), current: empty(yearStart) }, rolledYears: 2 };
}

export const remaining = (y: LeaveYearState) => y.acquired - y.taken;

/** Takes days (hundredths) from the previous year first, then the current one. Returns the split in 1e-4 days. */
export function takeDays(state: LeaveState, daysHundredths: number): { fromPrevious: number; fromCurrent: number } {
  const wanted = daysHundredths * 100;
  const fromPrevious = Math.max(0, Math.min(wanted, remaining(state.previous)));
  const fromCurrent = wanted - fromPrevious;
  state.previous.taken += fromPrevious;
  state.current.taken += fromCurrent;
  return { fromPrevious, fromCurrent };
}

/** 1/10 of the reference gross, pro rata of the days paid over the days acquired, in cents. */
export function tenthOf(year: LeaveYearState, days: number): number | undefined {
  if (year.acquired <= 0 || year.referenceGross <= 0 || days <= 0) return undefined;
  return divRound(year.referenceGross * days, year.acquired * 10);
}

export function counter(y: LeaveYearState) {
  return {
    label: leaveYearLabel(y.start),
    start: y.start,
    end: `${Number(y.start.slice(0, 4)) + 1}-04-30`,
    acquired: y.acquired,
    taken: y.taken,
    remaining: remaining(y),
  };
}
