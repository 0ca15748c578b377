/**
 * The local stack's data folder (PAIE_LOCAL_DATA): Azurite's files and the one data key that encrypts the personal
 * data inside them, side by side, so that a restart reads what the previous run wrote. The key is made on first use
 * (random, 32 bytes, file mode 0600) and never replaced: a folder holding data without its key is refused rather
 * than given a new key that could not read it. A lock file names the process using the folder, so two stacks never
 * share one Azurite location; a lock left by a process that died is taken over.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createDataKeyRing, ephemeralDataKeys } from "../security/data-keys.ts";

export const KEY_FILE = "data-key.json";
export const LOCK_FILE = "stack.pid";
const AZURITE_DIR = "azurite";

export interface LocalData {
  dir: string;
  /** Azurite's --location. */
  azuriteLocation: string;
  /** PAIE_DATA_KEYS / PAIE_DATA_KEY_CURRENT for the app, from the folder's key file. */
  keyEnv: { PAIE_DATA_KEYS: string; PAIE_DATA_KEY_CURRENT: string };
  /** Removes the lock (only if it is still this process's). */
  release(): void;
}

export class LocalDataError extends Error {
  override readonly name = "LocalDataError";
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, under another user.
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function lock(dir: string): () => void {
  const file = path.join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: "wx" });
      return () => {
        try {
          if (readFileSync(file, "utf8").trim() === String(process.pid)) unlinkSync(file);
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const owner = Number(readFileSync(file, "utf8").trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
        throw new LocalDataError(
          `Le dossier de données locales ${dir} est déjà utilisé par le processus ${owner} (une autre pile locale) : arrêtez-le, ou choisissez un autre dossier avec PAIE_LOCAL_DATA.`,
        );
      }
      unlinkSync(file); // left by a process that died (kill -9): take over
    }
  }
  throw new LocalDataError(`Verrou ${file} impossible à prendre : réessayez.`);
}

function readKey(file: string): LocalData["keyEnv"] {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as { keys?: Record<string, string>; current?: string };
    const ring = createDataKeyRing(parsed.keys ?? {}, parsed.current ?? "");
    const keys = Object.fromEntries([...ring.keys].map(([id, key]) => [id, key.toString("base64")]));
    return { PAIE_DATA_KEYS: JSON.stringify(keys), PAIE_DATA_KEY_CURRENT: ring.current };
  } catch (e) {
    // The message of createDataKeyRing never prints key material.
    throw new LocalDataError(`Clé des données locales illisible (${file}) : ${(e as Error).message}`);
  }
}

/** `fresh` (npm start --fresh) empties the folder's data and key first — under the lock, so never a running stack's. */
export function openLocalData(dir: string, options: { fresh?: boolean } = {}): LocalData {
  const root = path.resolve(dir);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const release = lock(root);
  try {
    const azuriteLocation = path.join(root, AZURITE_DIR);
    const keyFile = path.join(root, KEY_FILE);
    if (options.fresh) {
      rmSync(azuriteLocation, { recursive: true, force: true });
      rmSync(keyFile, { force: true });
    }
    if (!existsSync(keyFile)) {
      if (existsSync(azuriteLocation) && readdirSync(azuriteLocation).length > 0) {
        throw new LocalDataError(
          `Le dossier de données locales ${root} contient des données mais pas leur clé (${KEY_FILE}) : elles ne peuvent pas être relues. Remettez la clé, ou videz le dossier pour repartir de zéro.`,
        );
      }
      const { env } = ephemeralDataKeys("local");
      const body = { keys: JSON.parse(env.PAIE_DATA_KEYS) as Record<string, string>, current: env.PAIE_DATA_KEY_CURRENT, createdAt: new Date().toISOString() };
      writeFileSync(keyFile, `${JSON.stringify(body, null, 2)}\n`, { flag: "wx", mode: 0o600 });
    }
    mkdirSync(azuriteLocation, { recursive: true, mode: 0o700 });
    return { dir: root, azuriteLocation, keyEnv: readKey(keyFile), release };
  } catch (e) {
    release();
    throw e;
  }
}
