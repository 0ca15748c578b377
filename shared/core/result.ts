/**
 * What the engine returns for one employee and one month. Every amount is an integer number of cents,
 * every quantity an integer number of hundredths, every rate an integer in 1e-4 units
 * (6.85 % → 68500; 25.2713 €/h → 252713). Use shared/format to print them.
 */
import type { CarryInput } from "./carry.ts";
import type { Cents, Hundredths, Rate4 } from "./fixed.ts";
import type { Issue } from "./issue.ts";

export type LineSection = "gross" | "contribution" | "net-addition" | "after-net";

/** A line of the earnings part (gross), a non-contributory addition to net, or a deduction after net. */
export interface PayLine {
  /** Code printed on the payslip (the company's numbering when it has one). */
  code: string;
  /** Catalogue rubric the line belongs to. */
  rubric: string;
  label: string;
  section: Exclude<LineSection, "contribution">;
  /** Hundredths of the unit; for a percentage line (rateKind "percent") the base it applies to, in cents. */
  quantity?: number;
  /** Unit price (hourly rate, per-meal value) or percentage, scaled by 10,000. */
  rate?: Rate4;
  /** "percent" when rate is a percentage of quantity (quantity is then a base in cents). */
  rateKind?: "unit" | "percent";
  /** Signed: a deduction from gross (absence) or after net is negative. */
  amount: Cents;
  /** Free text printed under the label (dates of an absence…). */
  detail?: string;
  explanation: string;
}

export type Organism = "CAR" | "CCSS" | "CMRC" | "FRANCE TRAVAIL" | "AGIRC-ARRCO" | "APEC" | string;

export interface ContributionLine {
  code: string;
  label: string;
  organism: Organism;
  /** Ceiling family whose base this line uses (CAR, CCSS, CMRC, AC, RC) or CONTRACT. */
  family: string;
  base: Cents;
  employeeRate?: Rate4;
  employeeAmount?: Cents;
  employerRate?: Rate4;
  employerAmount?: Cents;
  /** True for the explicit regularisation line of a progressive ceiling. */
  regularisation?: boolean;
  explanation: string;
}

export interface LeaveCounter {
  /** "2024/25" */
  label: string;
  start: string;
  end: string;
  /** Days, scaled by 10,000 (2.0833 days → 20833). */
  acquired: number;
  taken: number;
  remaining: number;
}

export interface DsmEvent {
  kind: "congesPayes" | "maladie" | "accidentTravail" | "congesSansSolde" | "maternite" | "entreeDuSalarie" | "sortieDuSalarie" | "preavis" | "prime";
  from?: string;
  to?: string;
  hours?: Hundredths;
  amount?: Cents;
}

export interface Bases {
  /** Gross subject to Monaco contributions (CCSS, CAR, CMRC, unemployment) before ceilings. */
  monaco: Cents;
  /** Gross subject to the other contributions (complementary pension before 2024, contracts). */
  other: Cents;
  ccss: Cents;
  car: Cents;
  cmrcTA: Cents;
  cmrcTB: Cents;
  acTA: Cents;
  acTB: Cents;
  /** Gross counted in the paid-leave (1/10) base. */
  paidLeave: Cents;
}

export interface PayslipResult {
  period: string;
  periodStart: string;
  periodEnd: string;
  payDate: string;
  employeeId: string;
  category: "cadre" | "non-cadre";
  director: boolean;
  lines: PayLine[];
  gross: Cents;
  contributions: ContributionLine[];
  employeeTotal: Cents;
  employerTotal: Cents;
  netAdditions: PayLine[];
  net: Cents;
  afterNet: PayLine[];
  netPaid: Cents;
  taxableNet: Cents;
  employerCost: Cents;
  hoursPaid: Hundredths;
  bases: Bases;
  leave: { previous: LeaveCounter; current: LeaveCounter };
  /** Year-to-date totals after this month, in cents / hundredths. */
  ytd: {
    year: number;
    gross: Cents;
    baseSS: Cents;
    taxableNet: Cents;
    netPaid: Cents;
    ceilingSS: Cents;
    hours: Hundredths;
    employeeContributions: Cents;
    employerContributions: Cents;
  };
  /** The state to pass as `carry` to next month's input. */
  carry: CarryInput;
  events: DsmEvent[];
  /** Parameters used, with their value and source, for the explanation panel and audit. */
  parameters: { id: string; value: number | string; from: string; source: string; confirmed: boolean }[];
  warnings: Issue[];
}

export type ComputeOutcome = { ok: true; result: PayslipResult } | { ok: false; errors: Issue[] };
