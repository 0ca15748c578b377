/**
 * `paie backup` and `paie restore`: the daily backup and its retention, and a restore into empty storage, by hand
 * (before a risky change, after a loss, to copy production into a test account).
 *
 *   paie backup [--to CONNEXION] [--retention JOURS]
 *       backs up PAIE_STORAGE_CONNECTION (tables + documents) into the "backups" container (of --to if given: a
 *       backup kept in the same account does not survive the loss of that account), then deletes backups older than
 *       --retention days (default PAIE_BACKUP_RETENTION_DAYS, 90).
 *   paie restore AAAA-MM-JJ [--from CONNEXION]
 *       restores that backup into PAIE_STORAGE_CONNECTION, which must be EMPTY (restore refuses otherwise), reading
 *       it from the "backups" container of --from (default: the target account itself).
 *
 * Exit codes: 0 done, 1 refused or failed (message in French), 2 usage.
 */
import { type Env, readConfig } from "../functions/app/config.ts";
import { applyRetention, backupAll, backupContainer, restore } from "../functions/backup/index.ts";
import { createStorage, readStorageSettings, type Storage, StorageError } from "../functions/storage/index.ts";

export interface CommandOptions {
  env?: Env;
  now?: () => Date;
}

export const BACKUP_USAGE = `Usage :
  paie backup [--to CONNEXION] [--retention JOURS]
  paie restore AAAA-MM-JJ [--from CONNEXION]
La chaîne de connexion du stockage de la paie est lue dans PAIE_STORAGE_CONNECTION.`;

class UsageError extends Error {}

/** --name value pairs and positional arguments; an unknown option or a missing value is a usage error. */
function parseArgs(args: string[], known: readonly string[]): { flags: Map<string, string>; positional: string[] } {
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith("--")) {
      positional.push(a);
      continue;
    }
    const [name, inline] = a.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (!known.includes(name)) throw new UsageError(`Option inconnue « --${name} ».`);
    const value = inline ?? args[++i];
    if (value === undefined || value === "") throw new UsageError(`Valeur manquante après « --${name} ».`);
    flags.set(name, value);
  }
  return { flags, positional };
}

function storageOf(env: Env): Storage {
  return createStorage(readStorageSettings(env));
}

function describe(error: unknown): string {
  // Storage and backup errors already carry a French message; an SDK/network error gets a French frame.
  if (error instanceof StorageError) return error.message;
  return `stockage injoignable ou erreur inattendue (${(error as Error)?.message ?? String(error)}).`;
}

function octets(n: number): string {
  return n < 1024 * 1024 ? `${Math.ceil(n / 1024)} Kio` : `${(n / 1024 / 1024).toFixed(1).replace(".", ",")} Mio`;
}

export async function backupCommand(args: string[], out: (line: string) => void, options: CommandOptions = {}): Promise<number> {
  const env = options.env ?? process.env;
  const now = (options.now ?? (() => new Date()))();
  let flags: Map<string, string>;
  try {
    const parsed = parseArgs(args, ["to", "retention"]);
    if (parsed.positional.length) throw new UsageError(`Argument inattendu « ${parsed.positional[0]} ».`);
    flags = parsed.flags;
    const r = flags.get("retention");
    if (r !== undefined && !(/^\d+$/.test(r) && Number(r) >= 1 && Number(r) <= 3650)) {
      throw new UsageError(`Durée de conservation invalide « ${r.slice(0, 20)} » : un nombre entier de jours entre 1 et 3650.`);
    }
  } catch (e) {
    out(`${(e as Error).message}\n${BACKUP_USAGE}`);
    return 2;
  }
  try {
    const storage = storageOf(env);
    const days = flags.has("retention") ? Number(flags.get("retention")) : readConfig(env).backupRetentionDays;
    const targetStorage = flags.has("to") ? createStorage(flags.get("to")!) : storage;
    const target = backupContainer(targetStorage);
    const manifest = await backupAll(storage, { now, target });
    const entities = manifest.tables.reduce((n, t) => n + t.entities, 0);
    const bytes = [...manifest.tables, ...manifest.blobs].reduce((n, f) => n + f.size, 0);
    out(
      `Sauvegarde du ${manifest.date} terminée : ${entities} entités (${manifest.tables.length} tables), ${manifest.blobs.length} documents, ${octets(bytes)}.`,
    );
    for (const t of manifest.tables) out(`  table ${t.table} : ${t.entities}`);
    const retention = await applyRetention(storage, { now, days, target });
    out(
      retention.deleted.length
        ? `Conservation ${days} jours : ${retention.deleted.length} sauvegarde(s) supprimée(s) (${retention.deleted.join(", ")}) ; ${retention.kept.length} conservée(s).`
        : `Conservation ${days} jours : aucune sauvegarde à supprimer ; ${retention.kept.length} conservée(s).`,
    );
    return 0;
  } catch (e) {
    out(`Échec de la sauvegarde : ${describe(e)}`);
    return 1;
  }
}

export async function restoreCommand(args: string[], out: (line: string) => void, options: CommandOptions = {}): Promise<number> {
  const env = options.env ?? process.env;
  let flags: Map<string, string>;
  let date: string;
  try {
    const parsed = parseArgs(args, ["from"]);
    if (parsed.positional.length !== 1) throw new UsageError("Indiquez la date de la sauvegarde à restaurer (AAAA-MM-JJ).");
    date = parsed.positional[0]!;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new UsageError(`Date de sauvegarde invalide « ${date.slice(0, 40)} » : format attendu AAAA-MM-JJ.`);
    flags = parsed.flags;
  } catch (e) {
    out(`${(e as Error).message}\n${BACKUP_USAGE}`);
    return 2;
  }
  try {
    const storage = storageOf(env);
    const source = flags.has("from") ? backupContainer(createStorage(flags.get("from")!)) : undefined;
    const report = await restore(storage, date, source ? { source } : {});
    const entities = Object.values(report.entities).reduce((n, c) => n + c, 0);
    out(`Sauvegarde du ${report.date} restaurée : ${entities} entités, ${report.blobs} documents.`);
    for (const [table, count] of Object.entries(report.entities)) out(`  table ${table} : ${count}`);
    return 0;
  } catch (e) {
    out(`Échec de la restauration : ${describe(e)}`);
    return 1;
  }
}
