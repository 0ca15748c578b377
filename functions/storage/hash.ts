/** Canonical JSON (keys sorted, no spaces) and its sha256: the identity of a submitted input. */
import { createHash } from "node:crypto";
import { StorageError } from "./errors.ts";

export function canonicalJson(value: unknown, path = "$"): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw new StorageError("codec", `JSON canonique : nombre non fini à « ${path} ».`);
      return JSON.stringify(value);
    case "object": {
      if (Array.isArray(value)) return `[${value.map((v, i) => canonicalJson(v === undefined ? null : v, `${path}[${i}]`)).join(",")}]`;
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record)
        .filter((k) => record[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k], `${path}.${k}`)}`).join(",")}}`;
    }
    default:
      throw new StorageError("codec", `JSON canonique : valeur de type ${typeof value} non représentable à « ${path} ».`);
  }
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

export function inputHash(input: unknown): string {
  return sha256Hex(canonicalJson(input));
}
