/** Hours paid on top of the salary: overtime, complementary hours, worked holidays and Sundays, each at its rate. */
import { qty, rate4 } from "../../core/explain.ts";
import { applyUnitPrice, divRound, toHundredths } from "../../core/fixed.ts";
import type { PayLine } from "../../core/result.ts";
import type { VariablesInput } from "../../schema/payslip-input.ts";
import { type CodeMap, kindLine } from "../lines.ts";
import type { Contract } from "./context.ts";

/** quantity h × (hourly rate × percent %), or undefined when no hours are entered. */
function hourlyLine(codes: CodeMap, hourly: number, kind: string, quantity: number | undefined, percent: number, why: string): PayLine | undefined {
  if (!quantity) return undefined;
  const q = toHundredths(quantity);
  const rate = percent === 100 ? hourly : divRound(hourly * percent, 100);
  const amount = applyUnitPrice(q, rate);
  return kindLine(kind, codes, amount, `${qty(q)} h × ${rate4(rate)} € (taux horaire ${rate4(hourly)} €${percent === 100 ? "" : ` × ${percent} %`}) — ${why}`, {
    quantity: q,
    rate,
    rateKind: "unit",
  });
}

export interface ExtraHours {
  lines: PayLine[];
  /** Overtime and complementary hours (hundredths): they add to the hours paid, holidays and Sundays do not. */
  extraHours: number;
}

/**
 * The percent of each kind: overtime at 125 % then 150 % (read from work.overtime_*_percent), the other kinds at the
 * percent their entry field names (overtime200, holidayHours200…).
 */
export function extraHours(codes: CodeMap, contract: Contract, v: VariablesInput, overtime: { first: number; beyond: number }): ExtraHours {
  const lines: PayLine[] = [];
  let extra = 0;
  const add = (line: PayLine | undefined, counts: boolean) => {
    if (!line) return;
    lines.push(line);
    if (counts) extra += line.quantity!;
  };
  const h = contract.hourly;
  add(hourlyLine(codes, h, "overtime125", v.overtime125, overtime.first, "8 premières heures au-delà de 39 h par semaine"), true);
  add(hourlyLine(codes, h, "overtime150", v.overtime150, overtime.beyond, "au-delà de 8 heures supplémentaires par semaine"), true);
  add(hourlyLine(codes, h, "overtime200", v.overtime200, 200, "heures supplémentaires à 200 %"), true);
  add(hourlyLine(codes, h, "complementary", v.complementaryHours, 100, "heures complémentaires"), true);
  add(hourlyLine(codes, h, "holiday100", v.holidayHours, 100, "jour férié travaillé payé en plus du salaire (Loi n° 800)"), false);
  add(hourlyLine(codes, h, "holiday200", v.holidayHours200, 200, "jour férié travaillé à 200 %"), false);
  add(hourlyLine(codes, h, "sunday", v.sundayHours, 100, "majoration des heures du dimanche (Loi n° 1.471)"), false);
  return { lines, extraHours: extra };
}
