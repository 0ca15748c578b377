/** Client companies: one partition (a firm has hundreds, not millions), row = company id. */
import type { Static } from "@sinclair/typebox";
import { CompanyRecord } from "../../shared/api/company.ts";
import { createIfAbsent, replaceIfMatch } from "./batch.ts";
import { defineCodec, type Stored } from "./codec.ts";
import type { Storage } from "./config.ts";
import { ConcurrencyError, statusOf } from "./errors.ts";
import { assertCompanyId } from "./keys.ts";
import { readMany, readOne, withEtag } from "./repo.ts";

/** The stored row is the API's company record (shared/api/company.ts), typed down to the engine's contracts and settings. */
export const CompanySchema = CompanyRecord;
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
