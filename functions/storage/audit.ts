/**
 * Audit trail, append-only: this repository deliberately has no update or delete.
 * Partition = company (or `~global` for firm-wide actions, which no company id can collide with);
 * row = inverted timestamp + random suffix, so the newest entries come first and two entries written
 * in the same millisecond never overwrite each other (rows are created, never upserted).
 */
import { type Static, Type } from "@sinclair/typebox";
import { createIfAbsent } from "./batch.ts";
import { defineCodec, type Stored } from "./codec.ts";
import type { Storage } from "./config.ts";
import { assertCompanyId, COMPANY_ID_PATTERN, odataString } from "./keys.ts";
import { IsoDateTime, invertedTimestamp, randomSuffix, readMany, withEtag } from "./repo.ts";

export const GLOBAL_AUDIT_PARTITION = "~global";

export const AuditSchema = Type.Object(
  {
    companyId: Type.Optional(Type.String({ pattern: COMPANY_ID_PATTERN })),
    at: IsoDateTime(),
    actor: Type.String({ minLength: 1, maxLength: 200 }),
    action: Type.String({ minLength: 1, maxLength: 100 }),
    target: Type.String({ maxLength: 500 }),
    before: Type.Optional(Type.Unknown()),
    after: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: false },
);
export type AuditEntry = Static<typeof AuditSchema>;

export function auditRepository(storage: Storage) {
  const client = storage.table("audit");
  const codec = defineCodec(client.tableName, AuditSchema);
  const partitionOf = (companyId: string | undefined) => {
    if (companyId === undefined) return GLOBAL_AUDIT_PARTITION;
    assertCompanyId(companyId);
    return companyId;
  };
  return {
    codec,
    async append(entry: AuditEntry): Promise<Stored<AuditEntry> & { rowKey: string }> {
      const rowKey = invertedTimestamp(new Date(entry.at)) + randomSuffix();
      const etag = await createIfAbsent(client, codec.toEntity(partitionOf(entry.companyId), rowKey, entry));
      return { ...withEtag(entry, etag), rowKey };
    },
    /** Newest first. */
    list(companyId: string | undefined, limit?: number): Promise<Array<Stored<AuditEntry>>> {
      return readMany(client, codec, `PartitionKey eq ${odataString(partitionOf(companyId))}`, limit);
    },
  };
}
export type AuditRepository = ReturnType<typeof auditRepository>;
