/**
 * `npm run bench`: runs every benchmark of this folder in turn and prints one JSON line each.
 * `npm run bench -- engine` runs only the named ones.
 */
import { existsSync } from "node:fs";
import path from "node:path";

const ALL = ["engine", "documents", "storage", "payroll-run"];
const wanted = process.argv.slice(2).filter((a) => !a.startsWith("-"));
for (const name of wanted.length ? wanted : ALL) {
  const file = path.join(import.meta.dirname, `${name}.ts`);
  if (!existsSync(file)) continue;
  const mod = (await import(file)) as { run: () => Promise<Record<string, unknown>> };
  try {
    console.log(JSON.stringify(await mod.run()));
  } catch (error) {
    console.log(JSON.stringify({ bench: name, error: (error as Error).message }));
    process.exitCode = 1;
  }
}
