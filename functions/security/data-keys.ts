/**
 * The data keys that encrypt personal data at rest (AES-256-GCM), read once at startup from configuration:
 *
 *   PAIE_DATA_KEYS         JSON object { "<keyId>": "<base64 of 32 random bytes>", … } — every key still needed
 *                          to read stored values (old ones stay listed until `reencryptAll` has run)
 *   PAIE_DATA_KEY_CURRENT  the key id used for every new write
 *
 * In Azure both are Key Vault references (`@Microsoft.KeyVault(SecretUri=…)`) resolved by the host, so the keys are
 * never in code, in the repository or in storage. Errors say which setting is wrong and never print key material.
 */
import type { Storage } from "../storage/config.ts";

export type Env = Record<string, string | undefined>;

export interface DataKeyRing {
  /** Key id for new writes. */
  readonly current: string;
  /** Every usable key by id (32 bytes each). */
  readonly keys: ReadonlyMap<string, Buffer>;
}

/** Key ids end up inside stored values (`enc:v1:<keyId>:…`): no colon, short, printable. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9_.-]{1,32}$/;

export class DataKeyConfigError extends Error {
  override readonly name = "DataKeyConfigError";
}

export function createDataKeyRing(keys: Record<string, string | Buffer>, current: string): DataKeyRing {
  const map = new Map<string, Buffer>();
  for (const [id, value] of Object.entries(keys)) {
    if (!KEY_ID_PATTERN.test(id)) {
      throw new DataKeyConfigError(
        `PAIE_DATA_KEYS : identifiant de clé invalide « ${id.slice(0, 40)} » (lettres, chiffres, « _ », « - », « . », 32 caractères au plus).`,
      );
    }
    let bytes: Buffer;
    if (Buffer.isBuffer(value)) bytes = value;
    else if (typeof value !== "string") throw new DataKeyConfigError(`PAIE_DATA_KEYS : la clé « ${id} » doit être une chaîne base64.`);
    else {
      const text = value.trim();
      // Node's base64 decoder skips invalid characters silently: check the alphabet first.
      if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) {
        throw new DataKeyConfigError(
          `PAIE_DATA_KEYS : la clé « ${id} » n'est pas du base64 ; attendu 32 octets aléatoires encodés en base64 (openssl rand -base64 32).`,
        );
      }
      bytes = Buffer.from(text, /[-_]/.test(text) ? "base64url" : "base64");
    }
    if (bytes.length !== 32) {
      // The length is not secret; the value is, so it is never echoed.
      throw new DataKeyConfigError(
        `PAIE_DATA_KEYS : la clé « ${id} » fait ${bytes.length} octets ; AES-256 exige exactement 32 octets aléatoires encodés en base64 (openssl rand -base64 32).`,
      );
    }
    map.set(id, Buffer.from(bytes));
  }
  if (map.size === 0) throw new DataKeyConfigError("PAIE_DATA_KEYS ne contient aucune clé : au moins une clé de 32 octets en base64 est requise.");
  if (!current) throw new DataKeyConfigError("PAIE_DATA_KEY_CURRENT est obligatoire : identifiant de la clé utilisée pour les nouvelles écritures.");
  if (!map.has(current)) {
    throw new DataKeyConfigError(
      `PAIE_DATA_KEY_CURRENT vaut « ${current.slice(0, 40)} », qui n'est pas une clé de PAIE_DATA_KEYS (clés connues : ${[...map.keys()].join(", ")}).`,
    );
  }
  return { current, keys: map };
}

/** Reads PAIE_DATA_KEYS / PAIE_DATA_KEY_CURRENT; throws a French startup error when missing or wrong. */
export function readDataKeys(env: Env = process.env): DataKeyRing {
  const raw = env.PAIE_DATA_KEYS?.trim();
  if (!raw) {
    throw new DataKeyConfigError(
      'Chiffrement des données personnelles non configuré : définissez PAIE_DATA_KEYS (JSON { "<id>": "<clé de 32 octets en base64>" }, référence Key Vault dans Azure) et PAIE_DATA_KEY_CURRENT.',
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    // JSON.parse's message quotes the input, i.e. key material: not repeated here.
    throw new DataKeyConfigError('PAIE_DATA_KEYS n\'est pas un JSON valide : attendu { "<id>": "<clé de 32 octets en base64>" }.');
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new DataKeyConfigError('PAIE_DATA_KEYS doit être un objet JSON { "<id>": "<clé de 32 octets en base64>" }.');
  }
  const entries = Object.entries(parsed as Record<string, unknown>);
  for (const [id, v] of entries) {
    if (typeof v !== "string") throw new DataKeyConfigError(`PAIE_DATA_KEYS : la clé « ${id.slice(0, 40)} » doit être une chaîne base64.`);
  }
  const current = env.PAIE_DATA_KEY_CURRENT?.trim() || (entries.length === 1 ? entries[0]![0] : "");
  return createDataKeyRing(Object.fromEntries(entries) as Record<string, string>, current);
}

/** A fresh random ring (local stack on in-memory Azurite, tests): nothing to keep, nothing in code. */
export function ephemeralDataKeys(id = "local"): { ring: DataKeyRing; env: { PAIE_DATA_KEYS: string; PAIE_DATA_KEY_CURRENT: string } } {
  const key = globalThis.crypto.getRandomValues(new Uint8Array(32));
  const b64 = Buffer.from(key).toString("base64");
  return { ring: createDataKeyRing({ [id]: b64 }, id), env: { PAIE_DATA_KEYS: JSON.stringify({ [id]: b64 }), PAIE_DATA_KEY_CURRENT: id } };
}

// The repositories take a Storage only (their public API); the composition root binds the keys to it once.
const bound = new WeakMap<Storage, DataKeyRing>();

export function bindDataKeys(storage: Storage, ring: DataKeyRing): void {
  bound.set(storage, ring);
}

export function dataKeysOf(storage: Storage): DataKeyRing | undefined {
  return bound.get(storage);
}
