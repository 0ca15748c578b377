/**
 * The `Reprise` sheet: a company taken over mid-year brings each employee's opening state — year-to-date totals, the
 * bases already used against each running ceiling, the paid-leave counters N-1 and N — as they stood at the end of
 * the month before its first month on the product (column « Arrêté au », a month's last day). It becomes that first
 * month's carry, for employees who have no carry from the previous month (the server's, or the hidden « Cumuls »
 * sheet): once a month has been computed, its carry wins and the row is no longer read.
 *
 * The amounts are what the previous system's cumulative report shows (Cegid « Cumuls salariés »), in euros as in the
 * other sheets; the engine's carry keeps euros at its JSON boundary (shared/core/carry.ts). The windows are not typed:
 * they follow from « Arrêté au » and each family's regularisation year (shared/rates/regularisation.json — CAR from
 * 1 October, unemployment and CMRC over the calendar year), so a reprise cannot name a window the engine would not.
 */
import type { CarryInput } from "../../shared/core/carry.ts";
import { toCents as cents } from "../../shared/core/fixed.ts";
import { formatDate } from "../../shared/core/format.ts";
import { periodEnd } from "../../shared/core/period.ts";
import { FAMILIES } from "../../shared/rates/parameters.ts";
import { leaveYearStart, windowStart } from "../../shared/rules/calendar.ts";
import type { ColumnDef } from "./columns.ts";
import { previousPeriod } from "./period.ts";
import { type ParsedRow, parseTable, type SheetData, type SheetIssue } from "./table.ts";

export const REPRISE_SHEET = "Reprise";

const MONEY = "#,##0.00";
const QTY = "0.00";
const money = (key: string, header: string, aliases: string[] = []): ColumnDef => ({
  key,
  header,
  aliases,
  type: "money",
  min: 0,
  max: 100_000_000,
  numberFormat: MONEY,
});
const days = (key: string, header: string): ColumnDef => ({ key, header, type: "days", min: 0, max: 400, numberFormat: QTY });

/**
 * Every family the engine carries (shared/engine/compute.ts FAMILY_ORDER). The CCSS ceiling is applied month by
 * month, but its running totals are carried all the same (the CSM regularises them yearly): brought too, so that the
 * first month's carry is the one the months before would have left.
 */
const RUNNING = ["CAR", "CCSS", "AC", "CMRC", "RC"] as const;
type Running = (typeof RUNNING)[number];
const FAMILY_LABEL: Record<Running, string> = { CAR: "CAR", CCSS: "CCSS", AC: "chômage", CMRC: "CMRC", RC: "retraite complémentaire" };

function ceilingColumns(f: Running): ColumnDef[] {
  const l = FAMILY_LABEL[f];
  const cols = [money(`${f}.base`, `Base ${l} cumulée`), money(`${f}.ceiling`, `Plafond ${l} cumulé`), money(`${f}.ta`, `Tranche A ${l} cumulée`)];
  if (FAMILIES[f].tranches === 2) cols.push(money(`${f}.tb`, `Tranche B ${l} cumulée`));
  return cols;
}

export const REPRISE_COLUMNS: readonly ColumnDef[] = [
  { key: "id", header: "Matricule", type: "matricule", required: true, numberFormat: "@" },
  { key: "asOf", header: "Arrêté au", aliases: ["Cumuls au", "Date d'arrêté"], type: "date", required: true, numberFormat: "dd/mm/yyyy" },
  money("gross", "Brut cumulé", ["Cumul brut"]),
  money("baseSS", "Base SS cumulée", ["Cumul base SS"]),
  money("taxableNet", "Net imposable cumulé", ["Cumul net imposable"]),
  money("netPaid", "Net payé cumulé", ["Cumul net payé", "Cumul net à payer"]),
  money("ceilingSS", "Plafond SS cumulé", ["Cumul plafond SS"]),
  { key: "hours", header: "Heures cumulées", aliases: ["Cumul heures"], type: "hours", min: 0, max: 10_000, numberFormat: QTY },
  money("employeeContributions", "Cotisations salariales cumulées"),
  money("employerContributions", "Cotisations patronales cumulées"),
  ...RUNNING.flatMap(ceilingColumns),
  days("previous.acquired", "CP N-1 acquis"),
  days("previous.taken", "CP N-1 pris"),
  { key: "previous.months", header: "Mois CP N-1", type: "count", min: 0, max: 12, numberFormat: "0" },
  money("previous.referenceGross", "Brut de référence CP N-1"),
  days("current.acquired", "CP N acquis"),
  days("current.taken", "CP N pris"),
  { key: "current.months", header: "Mois CP N", type: "count", min: 0, max: 12, numberFormat: "0" },
  money("current.referenceGross", "Brut de référence CP N"),
];

export interface RepriseContext {
  period: string;
  data: SheetData;
  /** The matricules of `Salariés`. */
  known: ReadonlySet<string>;
  /** Employees who already have last month's carry: their row is not read. */
  carried: ReadonlySet<string>;
}

export interface MonthReprise {
  carries: Map<string, CarryInput>;
  /** Employees whose reprise row is wrong: not computed rather than computed from zero cumuls. */
  blocked: Set<string>;
  issues: SheetIssue[];
}

const num = (row: ParsedRow, key: string): number => (typeof row.fields[key] === "number" ? (row.fields[key] as number) : 0);

export function readReprise(ctx: RepriseContext): MonthReprise {
  const table = parseTable(ctx.data, REPRISE_COLUMNS);
  const out: MonthReprise = { carries: new Map(), blocked: new Set(), issues: [...table.issues] };
  const previous = previousPeriod(ctx.period);
  const expectedAsOf = periodEnd(previous);
  const say = (row: ParsedRow, key: string, severity: SheetIssue["severity"], code: string, message: string, employeeId?: string) => {
    const def = REPRISE_COLUMNS.find((d) => d.key === key)!;
    out.issues.push({
      sheet: table.sheet,
      row: row.row,
      column: def.header,
      address: row.address[key] ?? "",
      code,
      severity,
      message,
      ...(employeeId ? { employeeId } : {}),
    });
    if (severity === "error" && employeeId) out.blocked.add(employeeId);
  };
  const seen = new Map<string, number>();
  for (const row of table.rows) {
    const id = typeof row.fields.id === "string" ? row.fields.id : undefined;
    if (!id) continue;
    if (row.invalid) {
      out.blocked.add(id);
      continue;
    }
    if (seen.has(id)) {
      say(row, "id", "error", "duplicate-reprise", `Matricule ${id} : deux lignes de reprise (la première ligne ${seen.get(id)}).`, id);
      continue;
    }
    seen.set(id, row.row);
    if (!ctx.known.has(id)) {
      say(row, "id", "error", "unknown-employee", `Matricule ${id} absent de la feuille Salariés.`);
      continue;
    }
    // Once a month is computed, its carry is the truth: the reprise was only the first month's.
    if (ctx.carried.has(id)) continue;
    const asOf = row.fields.asOf as string;
    if (asOf !== expectedAsOf) {
      const message =
        asOf > expectedAsOf
          ? `Arrêté au ${formatDate(asOf)} : postérieur au mois précédent (${formatDate(expectedAsOf)}) — une reprise s'arrête à la fin du mois qui précède le premier mois calculé.`
          : `Arrêté au ${formatDate(asOf)} : les cumuls du ${formatDate(expectedAsOf)} manquent (aucun mois calculé depuis la reprise) — calculez d'abord les mois intermédiaires, ou mettez la reprise à jour.`;
      say(row, "asOf", "error", "reprise-date", message, id);
      continue;
    }
    const checked = checkRow(row, id, say);
    if (!checked) continue;
    out.carries.set(id, toCarry(row, previous));
  }
  return out;
}

type Say = (row: ParsedRow, key: string, severity: SheetIssue["severity"], code: string, message: string, employeeId?: string) => void;

/** What a cumulative report cannot say: tranches above the base, a balance below zero. */
function checkRow(row: ParsedRow, id: string, say: Say): boolean {
  let ok = true;
  for (const f of RUNNING) {
    const base = cents(num(row, `${f}.base`));
    const ceiling = cents(num(row, `${f}.ceiling`));
    const ta = cents(num(row, `${f}.ta`));
    const tb = cents(num(row, `${f}.tb`));
    if (ta > Math.min(base, ceiling)) {
      say(row, `${f}.ta`, "error", "reprise-tranche", `Tranche A ${FAMILY_LABEL[f]} : plus grande que la base ou le plafond cumulés.`, id);
      ok = false;
    }
    if (FAMILIES[f].tranches === 2 && ta + tb > base) {
      say(row, `${f}.tb`, "error", "reprise-tranche", `Tranches ${FAMILY_LABEL[f]} : leur somme dépasse la base cumulée.`, id);
      ok = false;
    }
  }
  if (num(row, "previous.taken") > num(row, "previous.acquired")) {
    say(row, "previous.taken", "error", "reprise-leave", "CP N-1 pris : plus que les jours acquis — le solde serait négatif.", id);
    ok = false;
  }
  // Leave of the current year taken in advance exists (« par anticipation »): said, not refused.
  if (num(row, "current.taken") > num(row, "current.acquired")) {
    say(
      row,
      "current.taken",
      "confirm",
      "reprise-leave-advance",
      "CP N pris : plus que les jours acquis — congés pris par anticipation ? Le solde N sera négatif.",
      id,
    );
  }
  // Net paid above the gross over the same months is rare (only allowances outside the gross added after the net): said, not refused.
  if (cents(num(row, "netPaid")) > cents(num(row, "gross"))) {
    say(row, "netPaid", "warning", "reprise-net", "Net payé cumulé supérieur au brut : vérifiez le report.", id);
  }
  return ok;
}

function toCarry(row: ParsedRow, previous: string): CarryInput {
  const ceilings: CarryInput["ceilings"] = {};
  for (const f of RUNNING) {
    const base = num(row, `${f}.base`);
    const ceiling = num(row, `${f}.ceiling`);
    if (base === 0 && ceiling === 0) continue;
    ceilings[f] = { windowStart: windowStart(previous, FAMILIES[f].windowStartMonth), base, ceiling, ta: num(row, `${f}.ta`), tb: num(row, `${f}.tb`) };
  }
  const year = (part: "previous" | "current") => ({
    acquired: num(row, `${part}.acquired`),
    taken: num(row, `${part}.taken`),
    months: num(row, `${part}.months`),
    referenceGross: num(row, `${part}.referenceGross`),
  });
  return {
    year: Number(previous.slice(0, 4)),
    ytd: {
      gross: num(row, "gross"),
      baseSS: num(row, "baseSS"),
      taxableNet: num(row, "taxableNet"),
      netPaid: num(row, "netPaid"),
      ceilingSS: num(row, "ceilingSS"),
      hours: num(row, "hours"),
      employeeContributions: num(row, "employeeContributions"),
      employerContributions: num(row, "employerContributions"),
    },
    ceilings,
    leave: { yearStart: leaveYearStart(previous), current: year("current"), previous: year("previous") },
  };
}
