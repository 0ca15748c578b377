/** Client companies: one partition (a firm has hundreds, not millions), row = company id. */
import { type Static, Type } from "@sinclair/typebox";
import { createIfAbsent, replaceIfMatch } from "./batch.ts";
import { defineCodec, type Stored } from "./codec.ts";
import type { Storage } from "./config.ts";
import { ConcurrencyError, statusOf } from "./errors.ts";
import { assertCompanyId, COMPANY_ID_PATTERN } from "./keys.ts";
import { Email, IsoDateTime, readMany, readOne, withEtag } from "./repo.ts";

export const CompanySchema = Type.Object(
  {
    id: Type.String({ pattern: COMPANY_ID_PATTERN }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    address: Type.String({ maxLength: 500 }),
    ccssEmployerNumber: Type.String({ pattern: "^[0-9A-Za-z]{1,20}$" }),
    payrollDay: Type.Integer({ minimum: 1, maximum: 28 }),
    emailDelayHours: Type.Integer({ minimum: 0, maximum: 720 }),
    notificationRecipients: Type.Array(Email(), { maxItems: 50 }),
    notifyOnSuccess: Type.Boolean(),
    notifyOnFailure: Type.Boolean(),
    notifyOnCasesToCheck: Type.Boolean(),
    senderMailbox: Email(),
    contracts: Type.Array(Type.Unknown(), { maxItems: 500 }),
    chartOfAccounts: Type.Unknown(),
    paidLeaveSystem: Type.Union([Type.Literal("ouvrables"), Type.Literal("ouvres")]),
    settings: Type.Record(Type.String(), Type.Unknown()),
    updatedAt: IsoDateTime(),
    updatedBy: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type Company = Static<typeof CompanySchema>;

export const COMPANY_PARTITION = "company";

export function companiesRepository(storage: Storage) {
  const client = storage.table("companies");
  const codec = defineCodec(client.tableName, CompanySchema);
  return {
    codec,
    async get(id: string): Promise<Stored<Company> | undefined> {
      assertCompanyId(id);
      return readOne(client, codec, COMPANY_PARTITION, id);
    },
    list(): Promise<Array<Stored<Company>>> {
      return readMany(client, codec, `PartitionKey eq '${COMPANY_PARTITION}'`);
    },
    /** Fails with ConcurrencyError when the id is already taken. */
    async create(company: Company): Promise<Stored<Company>> {
      const etag = await createIfAbsent(client, codec.toEntity(COMPANY_PARTITION, company.id, company));
      return withEtag(company, etag);
    },
    /** Replaces the row only if nobody changed it since `company.etag` was read. */
    async update(company: Stored<Company>): Promise<Stored<Company>> {
      const { etag, ...value } = company;
      const next = await replaceIfMatch(client, codec.toEntity(COMPANY_PARTITION, value.id, value), etag);
      return withEtag(value, next);
    },
    async delete(id: string, etag = "*"): Promise<void> {
      assertCompanyId(id);
      try {
        await client.deleteEntity(COMPANY_PARTITION, id, { etag });
      } catch (e) {
        if (statusOf(e) === 412) throw new ConcurrencyError(client.tableName, COMPANY_PARTITION, id, e);
        if (statusOf(e) !== 404) throw e;
      }
    },
  };
}
export type CompaniesRepository = ReturnType<typeof companiesRepository>;
