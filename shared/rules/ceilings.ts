/**
 * Splitting a base into tranches under a monthly ceiling, either month by month or progressively
 * (year-to-date base against year-to-date ceiling, as in the firm's "COTISATIONS" sheet: a month below the
 * ceiling leaves room that a later month uses; a later low month can give TB back as a negative amount).
 */

export interface CeilingCarryCents {
  windowStart: string;
  base: number;
  ceiling: number;
  ta: number;
  tb: number;
}

export interface TrancheRequest {
  base: number;
  /** This month's first-tranche ceiling, prorated, in cents; undefined when only a lower bound is known. */
  ceiling?: number;
  atLeast?: number;
  /** TB runs up to this multiple of the TA ceiling; undefined for a single capped base. */
  tbMultiple?: number;
  mode: "monthly" | "progressive";
  windowStart: string;
  carry?: CeilingCarryCents;
}

export interface TrancheResult {
  /** Bases a plain monthly cap gives. */
  monthlyTa: number;
  monthlyTb: number;
  /** Bases retained (equal to the monthly ones in monthly mode). */
  ta: number;
  tb: number;
  carry: CeilingCarryCents;
  /** The ceiling is unknown and the base may exceed its known lower bound: the split cannot be decided. */
  undetermined: boolean;
}

const clamp0 = (n: number) => (n < 0 ? 0 : n);

export function splitTranches(req: TrancheRequest): TrancheResult {
  const prior: CeilingCarryCents =
    req.carry && req.carry.windowStart === req.windowStart ? req.carry : { windowStart: req.windowStart, base: 0, ceiling: 0, ta: 0, tb: 0 };
  const c1 = req.ceiling ?? req.atLeast ?? 0;
  const known = req.ceiling !== undefined;
  const k = req.tbMultiple;

  const monthlyTa = clamp0(Math.min(req.base, c1));
  const monthlyTb = k === undefined ? 0 : clamp0(Math.min(req.base, c1 * k) - monthlyTa);
  let undetermined = !known && req.base > c1;

  const cumBase = prior.base + req.base;
  const cumCeiling = prior.ceiling + c1;
  let ta = monthlyTa;
  let tb = monthlyTb;
  if (req.mode === "progressive") {
    const taCum = clamp0(Math.min(cumBase, cumCeiling));
    const tbCum = k === undefined ? 0 : clamp0(Math.min(cumBase, cumCeiling * k) - taCum);
    ta = taCum - prior.ta;
    tb = tbCum - prior.tb;
    undetermined = !known && cumBase > cumCeiling;
  }
  return {
    monthlyTa,
    monthlyTb,
    ta,
    tb,
    carry: { windowStart: req.windowStart, base: cumBase, ceiling: cumCeiling, ta: prior.ta + ta, tb: prior.tb + tb },
    undetermined,
  };
}
