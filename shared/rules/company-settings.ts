/**
 * The company options that are settings, not code (issue 13): a higher CMRC tranche-A rate and conventional
 * holidays. What the engine reads from them, and the checks a company change passes before it is stored — each
 * problem a French message naming the field, like a parameter change (shared/rates/parameter-change.ts).
 *
 * The CSM's range of higher TA rates is not in the texts we hold (monaco-rules §1.3 knows only AM 2023-699's
 * 10,02 %, split 60/40): a side's rate is refused below the legal rate of that side and above PLAUSIBLE_FACTOR
 * (twice) that rate — beyond that a parameter change also needs confirmation, and a company rate cannot be confirmed.
 */
import { date as fmtDate, pct } from "../core/explain.ts";
import { type Rate4, toRate4 } from "../core/fixed.ts";
import { formatDate } from "../core/format.ts";
import type { Issue } from "../core/issue.ts";
import { isRealDate } from "../core/period.ts";
import { PLAUSIBLE_FACTOR } from "../rates/parameter-change.ts";
import type { ParameterFile } from "../rates/parameters.ts";
import type { Rates } from "../rates/reader.ts";
import type { CompanyInput } from "../schema/payslip-input.ts";
import { monacoHolidays } from "./calendar.ts";

export type CmrcTrancheARate = NonNullable<CompanyInput["cmrcTrancheARate"]>;

export const CMRC_TA_IDS = { employee: "cmrc.ta_employee_rate", employer: "cmrc.ta_employer_rate" } as const;

const built = new WeakMap<CmrcTrancheARate, WeakMap<Rates, Rates>>();

/**
 * The CMRC TA rates for a period ending on `date`: the company's higher rate from its `validFrom`, side by side;
 * where the legal rate is (or has become) at least the company's, the legal rate stays.
 */
export function cmrcTrancheARates(company: CompanyInput, date: string, legal: Rates | undefined, source: (id: string) => string): Rates | undefined {
  const own = company.cmrcTrancheARate;
  if (!own || !legal || date < own.validFrom) return legal;
  let byLegal = built.get(own);
  if (byLegal === undefined) {
    byLegal = new WeakMap();
    built.set(own, byLegal);
  }
  let rates = byLegal.get(legal);
  if (rates === undefined) {
    rates = higher(own, legal, source);
    byLegal.set(legal, rates);
  }
  return rates;
}

function higher(own: CmrcTrancheARate, legal: Rates, source: (id: string) => string): Rates {
  const ee = toRate4(own.employeeRate);
  const er = toRate4(own.employerRate);
  const useEe = legal.employee !== undefined && ee > legal.employee;
  const useEr = legal.employer !== undefined && er > legal.employer;
  if (!useEe && !useEr) return legal;
  const since = `taux supérieur de la société depuis le ${fmtDate(own.validFrom)}${own.reference ? ` (${own.reference})` : ""}`;
  // The legal side in the reader's own words (shared/rates/reader.ts), the company's naming what it replaces.
  const side = (who: string, legalRate: Rate4, id: string, rate: Rate4, use: boolean) =>
    use ? `${who} ${pct(rate)} (${since}, au lieu du taux légal ${pct(legalRate)})` : `${who} ${pct(legalRate)} (${source(id)})`;
  const text = [
    side("salarié", legal.employee!, legal.employeeId ?? CMRC_TA_IDS.employee, ee, useEe),
    side("employeur", legal.employer!, legal.employerId ?? CMRC_TA_IDS.employer, er, useEr),
  ].join(" ; ");
  return Object.freeze({ ...legal, employee: useEe ? ee : legal.employee, employer: useEr ? er : legal.employer, text });
}

/**
 * Every legal value of `file` in force on or after `from`, the one in force on `from` first (none: the list is
 * empty): a company rate must stay at least each of them.
 */
function legalValuesFrom(file: ParameterFile, from: string): { value: number; from: string }[] {
  const out: { value: number; from: string }[] = [];
  let inForce: { value: number; from: string } | undefined;
  for (const v of file.values) {
    if (typeof v.value !== "number") continue;
    if (v.from <= from) inForce = { value: v.value, from: v.from };
    else out.push({ value: v.value, from: v.from });
  }
  return inForce ? [inForce, ...out] : [];
}

const fr = (n: number) => `${String(n).replace(".", ",")} %`;

/**
 * Every problem with the company's options, each naming its field under `at` (where the API body holds the engine
 * settings); empty when they may be stored. `files` is the parameter set in force (the legal CMRC rates).
 */
export function checkCompanySettings(company: CompanyInput, files: ReadonlyMap<string, ParameterFile>, at = "settings.engine"): Issue[] {
  const issues: Issue[] = [];
  const add = (code: string, path: string, message: string) => issues.push({ code, path: `${at}.${path}`, message: `${at}.${path} : ${message}` });
  const own = company.cmrcTrancheARate;
  if (own) {
    if (!isRealDate(own.validFrom)) add("INVALID_DATE", "cmrcTrancheARate.validFrom", `la date ${own.validFrom} n'existe pas`);
    else
      for (const [side, words] of [
        ["employee", "salarial"],
        ["employer", "patronal"],
      ] as const) {
        const path = `cmrcTrancheARate.${side}Rate`;
        const rate = side === "employee" ? own.employeeRate : own.employerRate;
        const file = files.get(CMRC_TA_IDS[side]);
        const legal = file ? legalValuesFrom(file, own.validFrom) : [];
        if (legal.length === 0) {
          add(
            "PARAM_MISSING",
            path,
            `aucun taux ${words} légal CMRC tranche A en vigueur le ${formatDate(own.validFrom)} pour le comparer${file?.values[0] ? ` (premier taux connu le ${formatDate(file.values[0].from)})` : ""}`,
          );
          continue;
        }
        const floor = legal.reduce((a, b) => (b.value > a.value ? b : a));
        const first = legal[0]!;
        if (toRate4(rate) < toRate4(floor.value))
          add(
            "RATE_BELOW_LEGAL",
            path,
            `le taux ${words} CMRC tranche A de la société (${fr(rate)}) est inférieur au taux légal (${fr(floor.value)} depuis le ${formatDate(floor.from)}) ; un taux de société ne peut qu'être supérieur`,
          );
        else if (toRate4(rate) > toRate4(first.value * PLAUSIBLE_FACTOR))
          add(
            "RATE_IMPLAUSIBLE",
            path,
            `le taux ${words} CMRC tranche A de la société (${fr(rate)}) dépasse le double du taux légal (${fr(first.value)}) ; vérifiez la saisie (les textes consultés ne fixent pas le maximum admis par la CSM)`,
          );
      }
  }
  const seen = new Map<string, number>();
  (company.conventionalHolidays ?? []).forEach((h, i) => {
    const path = `conventionalHolidays[${i}].date`;
    if (!isRealDate(h.date)) {
      add("INVALID_DATE", path, `la date ${h.date} n'existe pas (format AAAA-MM-JJ)`);
      return;
    }
    const twin = seen.get(h.date);
    if (twin !== undefined) add("DUPLICATE_HOLIDAY", path, `le ${formatDate(h.date)} figure déjà en ligne ${twin + 1} des jours fériés conventionnels`);
    else if (monacoHolidays(Number(h.date.slice(0, 4))).has(h.date))
      add("DUPLICATE_HOLIDAY", path, `le ${formatDate(h.date)} est déjà un jour férié légal à Monaco (« ${h.label} » en double)`);
    else seen.set(h.date, i);
  });
  return issues;
}

function rateWords(r: CmrcTrancheARate | undefined): string {
  return r ? `salarié ${fr(r.employeeRate)}, employeur ${fr(r.employerRate)} depuis le ${formatDate(r.validFrom)}` : "aucun taux supérieur (taux légal)";
}

const holidayDates = (c: CompanyInput) => (c.conventionalHolidays ?? []).map((h) => h.date).sort();

/**
 * Where a submitted payslip's company options differ from the stored company's — the figures would then follow
 * options nobody stored — in French ("le classeur a calculé avec … ; la société enregistrée indique …"); undefined
 * when they agree.
 */
export function companySettingsDifference(submitted: CompanyInput, stored: CompanyInput): string | undefined {
  const a = submitted.cmrcTrancheARate;
  const b = stored.cmrcTrancheARate;
  const same = a === b || (a && b && a.validFrom === b.validFrom && a.employeeRate === b.employeeRate && a.employerRate === b.employerRate);
  if (!same)
    return `le classeur a calculé avec le taux CMRC tranche A de la société ${rateWords(a)} ; la société enregistrée indique ${rateWords(b)} — rechargez la société puis recalculez`;
  const ha = holidayDates(submitted);
  const hb = holidayDates(stored);
  if (ha.join() !== hb.join()) {
    const list = (d: string[]) => (d.length ? d.map(formatDate).join(", ") : "aucun");
    return `le classeur a calculé avec les jours fériés conventionnels ${list(ha)} ; la société enregistrée indique ${list(hb)} — rechargez la société puis recalculez`;
  }
  return undefined;
}
