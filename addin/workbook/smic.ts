/**
 * Hourly SMIC (Monaco applies the French minimum wage), used only for a warning. Temporary local table until
 * shared/rates exposes it; the engine's own parameters remain the reference for the calculation.
 */
const SMIC_HOURLY: { from: string; value: number; source: string }[] = [
  { from: "2023-05-01", value: 11.52, source: "SMIC horaire brut au 1er mai 2023" },
  { from: "2024-01-01", value: 11.65, source: "SMIC horaire brut au 1er janvier 2024" },
  { from: "2024-11-01", value: 11.88, source: "SMIC horaire brut au 1er novembre 2024" },
  { from: "2026-01-01", value: 12.02, source: "SMIC horaire brut au 1er janvier 2026 (à confirmer)" },
];

export function smicHourly(date: string): number | undefined {
  let found: number | undefined;
  for (const row of SMIC_HOURLY) if (row.from <= date) found = row.value;
  return found;
}
