/** fast-check with reports a human can read: seed, path and the first failure, truncated (cells can be 200 KB). */
import fc from "fast-check";

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
}

export function check<Ts extends [unknown, ...unknown[]]>(property: fc.IProperty<Ts>, params: fc.Parameters<Ts> & { seed: number; numRuns: number }): void {
  const details = fc.check(property, { ...params, endOnFailure: true });
  if (!details.failed) return;
  const error = details.errorInstance as Error | undefined;
  const sample = JSON.stringify(details.counterexample, (_k, v) => (typeof v === "string" ? cut(v, 120) : v === undefined ? "<undefined>" : v));
  throw new Error(
    `property failed after ${details.numRuns} runs (seed ${details.seed}, path "${details.counterexamplePath}")\n` +
      `${cut(error?.message ?? String(details.errorInstance), 1500)}\ncounterexample: ${cut(sample ?? "", 3000)}`,
  );
}
