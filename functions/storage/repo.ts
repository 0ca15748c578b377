/** Small helpers shared by the repositories: typed reads through a codec, ISO timestamps, row ids. */
import { randomBytes } from "node:crypto";
import type { TableClient } from "@azure/data-tables";
import type { Static, TSchema } from "@sinclair/typebox";
import { Type } from "@sinclair/typebox";
import { getOrUndefined } from "./batch.ts";
import { type EntityCodec, STORED_AS, type Stored } from "./codec.ts";

export const IsoDateTime = (options: { description?: string } = {}) =>
  Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?Z$", ...options });
export const IsoDate = () => Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$" });
/** Integer cents, stored by the codec as Int32 or, beyond, a decimal string (see codec.ts). */
export const Cents = () => Type.Integer({ [STORED_AS]: "cents" });
export const Email = () => Type.String({ pattern: "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", maxLength: 254 });

export function withEtag<T>(value: T, etag: string): Stored<T> {
  return { ...value, etag } as Stored<T>;
}

export async function readOne<S extends TSchema>(
  client: TableClient,
  codec: EntityCodec<S>,
  partitionKey: string,
  rowKey: string,
): Promise<Stored<Static<S>> | undefined> {
  const raw = await getOrUndefined(client, partitionKey, rowKey);
  if (!raw) return undefined;
  const decoded = codec.fromEntity(raw);
  return withEtag(decoded.value, decoded.etag);
}

export async function readMany<S extends TSchema>(
  client: TableClient,
  codec: EntityCodec<S>,
  filter: string | undefined,
  limit = Number.POSITIVE_INFINITY,
): Promise<Array<Stored<Static<S>>>> {
  const out: Array<Stored<Static<S>>> = [];
  const pages = client.listEntities<Record<string, unknown>>({ queryOptions: filter ? { filter } : {} }).byPage({ maxPageSize: 1000 });
  for await (const page of pages) {
    for (const raw of page) {
      const decoded = codec.fromEntity(raw);
      out.push(withEtag(decoded.value, decoded.etag));
      if (out.length >= limit) return out;
    }
  }
  return out;
}

/** 13 digits that sort newest first: 9999999999999 − epoch milliseconds. */
export function invertedTimestamp(date: Date): string {
  return String(9_999_999_999_999 - date.getTime()).padStart(13, "0");
}

export function randomSuffix(bytes = 4): string {
  return randomBytes(bytes).toString("hex");
}
