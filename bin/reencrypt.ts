/**
 * `paie reencrypt`: after adding a data key and making it current (PAIE_DATA_KEYS / PAIE_DATA_KEY_CURRENT), rewrites
 * every employee's personal data with the current key, so the old key can then be removed from the settings.
 */
import { readDataKeys } from "../functions/security/data-keys.ts";
import { reencryptAll } from "../functions/security/reencrypt.ts";
import { storageFromEnv } from "../functions/storage/index.ts";

export async function reencryptCommand(_args: string[], out: (line: string) => void, env: Record<string, string | undefined> = process.env): Promise<number> {
  try {
    const keys = readDataKeys(env);
    const storage = storageFromEnv(env);
    await storage.ensure();
    const report = await reencryptAll(storage, { keys });
    out(`Rechiffrement terminé : ${JSON.stringify(report)}`);
    return 0;
  } catch (e) {
    out(`Rechiffrement impossible : ${(e as Error).message}`);
    return 1;
  }
}
