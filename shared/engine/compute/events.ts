/**
 * The month's DSM events: paid leave (its hours, from the days when only days are entered), absences, entry, exit,
 * notice and the bonuses paid. Unpaid absences are not declared; paternity has no known element name (said so).
 */
import { divRound, toHundredths } from "../../core/fixed.ts";
import type { DsmEvent, PayLine } from "../../core/result.ts";
import type { PayslipInput } from "../../schema/payslip-input.ts";

/** The bonus rubrics (exceptional, annual, 13th month…) whose total the DSM declares as a `prime` event. */
const BONUS_RUBRICS = new Set(["2023", "2031", "2033", "2041", "2053", "2061"]);
const EVENT_KIND = { sick: "maladie", "work-accident": "accidentTravail", "unpaid-leave": "congesSansSolde", maternity: "maternite" } as const;

type Warn = (code: string, path: string, message: string) => void;

const between = (from?: string, to?: string) => ({ ...(from ? { from } : {}), ...(to ? { to } : {}) });

function leaveAndAbsenceEvents(input: PayslipInput, leaveHoursPerDay: number, warn: Warn, events: DsmEvent[]): void {
  const v = input.variables ?? {};
  for (const l of v.paidLeave ?? []) {
    const hours = l.hours !== undefined ? toHundredths(l.hours) : divRound(toHundredths(l.days) * leaveHoursPerDay, 100);
    events.push({ kind: "congesPayes", hours, ...between(l.from, l.to) });
  }
  for (const a of v.absences ?? []) {
    if (a.kind === "unpaid") continue;
    if (a.kind === "paternity") {
      // The DSM 2.0 XSD is not published; no element name for paternity is known (monaco-rules §3): say so.
      warn("DSM_PATERNITY_UNDECLARED", "variables.absences", "congé de paternité non déclaré dans la DSM (élément inconnu, à confirmer avec la CCSS)");
      continue;
    }
    events.push({ kind: EVENT_KIND[a.kind], ...between(a.from, a.to) });
  }
}

export interface EventsRequest {
  input: PayslipInput;
  start: string;
  end: string;
  leaving: boolean;
  lines: readonly PayLine[];
  leaveHoursPerDay: number;
  warn: Warn;
}

export function dsmEvents(req: EventsRequest): DsmEvent[] {
  const { input, start, end } = req;
  const e = input.employee;
  const events: DsmEvent[] = [];
  leaveAndAbsenceEvents(input, req.leaveHoursPerDay, req.warn, events);
  if (e.hireDate >= start && e.hireDate <= end) events.push({ kind: "entreeDuSalarie", from: e.hireDate });
  if (req.leaving && e.exitDate! >= start) events.push({ kind: "sortieDuSalarie", from: e.exitDate!, to: e.exitDate! });
  if (input.variables?.notice) events.push({ kind: "preavis", from: start, to: end });
  let bonus = 0;
  for (const l of req.lines) if (BONUS_RUBRICS.has(l.rubric)) bonus += l.amount;
  if (bonus) events.push({ kind: "prime", amount: bonus });
  return events;
}
