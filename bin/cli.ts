/**
 * `paie` — the command line of Paie Monaco.
 *   paie golden DIR        run every reference case (*.json) of DIR, print each difference, "N passed, M failed"
 *   paie compute FILE      print the full result of an engine input (or of each month of a case) as JSON
 *   paie demo [--out DIR]  one sample month end to end on the embedded local stack
 *   paie month FILE.xlsx   a real workbook's month end to end, results written into a copy (bin/month.ts)
 *   paie start [--no-addin] the local stack for development (Azurite, function host with timers, add-in dev server)
 *   paie backup / paie restore DATE   backups of every table and document (see bin/backup.ts)
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { runCase, validateCase } from "../shared/cases/run-case.ts";
import { computePayslip } from "../shared/engine/compute.ts";

const USAGE = `Usage :
  paie golden DOSSIER     exécute chaque cas de référence (*.json) du dossier
  paie compute FICHIER    calcule un bulletin (entrée du moteur ou cas de référence) et l'affiche en JSON
  paie demo [--out DOSSIER]  traite un mois d'exemple de bout en bout
  paie month CLASSEUR.xlsx [--out DOSSIER] [--company SOCIETE.json] [--period AAAA-MM]
                          traite le mois d'un vrai classeur, résultats écrits dans une copie
  paie start [--no-addin]    démarre la pile locale (Azurite, fonctions, complément)
  paie backup [--to CONNEXION] [--retention JOURS]   sauvegarde toutes les tables et tous les documents
  paie restore AAAA-MM-JJ [--from CONNEXION]         restaure une sauvegarde dans un stockage vide
  paie reencrypt             rechiffre les données personnelles avec la clé courante (rotation)`;

function readJson(file: string): { ok: true; value: unknown } | { ok: false; message: string } {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    return { ok: false, message: `${file} : lecture impossible (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, message: `${file} : JSON invalide (${(e as Error).message})` };
  }
}

export function golden(dir: string, out: (line: string) => void): number {
  let files: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new Error("pas un dossier");
    files = readdirSync(dir)
      .filter((f) => f.endsWith(".json"))
      .sort();
  } catch (e) {
    out(`${dir} : dossier illisible (${(e as Error).message})`);
    return 2;
  }
  let passed = 0;
  let failed = 0;
  for (const f of files) {
    const file = path.join(dir, f);
    const json = readJson(file);
    if (!json.ok) {
      failed++;
      out(`✗ ${f}\n    ${json.message}`);
      continue;
    }
    const valid = validateCase(json.value);
    if (!valid.ok) {
      failed++;
      out(`✗ ${f} : cas invalide`);
      for (const e of valid.errors) out(`    ${e.message}`);
      continue;
    }
    const outcome = runCase(valid.value);
    if (outcome.passed) {
      passed++;
      out(`✓ ${outcome.id}`);
      continue;
    }
    failed++;
    out(`✗ ${outcome.id}`);
    for (const e of outcome.errors) out(`    erreur ${e.code} ${e.message}`);
    for (const d of outcome.differences) out(`    ${d.period} ${d.field} : attendu ${d.expected}, obtenu ${d.got}`);
  }
  out(`${passed} passed, ${failed} failed`);
  return failed > 0 || files.length === 0 ? 1 : 0;
}

export function compute(file: string, out: (line: string) => void): number {
  const json = readJson(file);
  if (!json.ok) {
    out(JSON.stringify({ ok: false, errors: [{ code: "INVALID_FILE", path: file, message: json.message }] }, null, 2));
    return 1;
  }
  const value = json.value as { months?: unknown };
  if (value && typeof value === "object" && Array.isArray(value.months)) {
    const valid = validateCase(value);
    if (!valid.ok) {
      out(JSON.stringify({ ok: false, errors: valid.errors }, null, 2));
      return 1;
    }
    const outcome = runCase(valid.value);
    out(JSON.stringify({ ok: outcome.errors.length === 0, id: outcome.id, errors: outcome.errors, results: outcome.results }, null, 2));
    return outcome.errors.length ? 1 : 0;
  }
  const outcome = computePayslip(json.value);
  out(JSON.stringify(outcome, null, 2));
  return outcome.ok ? 0 : 1;
}

export async function main(args: string[], out: (line: string) => void = (l) => console.log(l)): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case "golden":
      if (!rest[0]) break;
      return golden(rest[0], out);
    case "compute":
      if (!rest[0]) break;
      return compute(rest[0], out);
    case "month": {
      const { monthCommand } = await import("./month.ts");
      return monthCommand(rest, out);
    }
    case "demo": {
      const { demo } = await import("./demo.ts");
      return demo(rest, out);
    }
    case "backup": {
      const { backupCommand } = await import("./backup.ts");
      return backupCommand(rest, out);
    }
    case "restore": {
      const { restoreCommand } = await import("./backup.ts");
      return restoreCommand(rest, out);
    }
    case "reencrypt": {
      const { reencryptCommand } = await import("./reencrypt.ts");
      return reencryptCommand(rest, out);
    }
    case "start": {
      const { start } = await import("./start.ts");
      return start(rest, out);
    }
  }
  out(USAGE);
  return 2;
}
