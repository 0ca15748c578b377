/** `paie demo`: placeholder until the local stack lands — computes the reference cases and prints a summary. */
export async function demo(_args: string[], out: (line: string) => void): Promise<number> {
  const { golden } = await import("./cli.ts");
  return golden(new URL("../tests/golden/cases", import.meta.url).pathname, out);
}
