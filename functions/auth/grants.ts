/**
 * Which companies a user may see. Kept out of the token on purpose: ~300 client companies do not fit in
 * a claim, and a change must apply at once, not at the next sign-in.
 * Table `grants`: PartitionKey = user oid, RowKey = company id (or `*` for all companies).
 */
import { odata, RestError, TableClient } from "@azure/data-tables";
import { tableCreator } from "../storage/index.ts";
import { ALL_COMPANIES } from "./principal.ts";

export interface GrantsSource {
  companiesFor(oid: string): Promise<string[]>;
}

const COMPANY = /^[A-Za-z0-9_.-]{1,64}$/;
const OID = /^[0-9a-fA-F-]{36}$|^[A-Za-z0-9_.@-]{1,128}$/;

export class TableGrantsSource implements GrantsSource {
  private readonly ensureTable: () => Promise<void>;
  constructor(private readonly client: TableClient) {
    this.ensureTable = tableCreator(client);
  }

  static fromConnectionString(connectionString: string, tableName = "grants"): TableGrantsSource {
    return new TableGrantsSource(TableClient.fromConnectionString(connectionString, tableName, { allowInsecureConnection: true }));
  }

  async companiesFor(oid: string): Promise<string[]> {
    if (!OID.test(oid)) return [];
    await this.ensureTable();
    const companies: string[] = [];
    for await (const e of this.client.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${oid}`, select: ["RowKey"] } })) {
      if (typeof e.rowKey === "string") companies.push(e.rowKey);
    }
    return companies.sort();
  }

  async grant(oid: string, companyId: string, grantedBy: string): Promise<void> {
    if (!OID.test(oid) || (companyId !== ALL_COMPANIES && !COMPANY.test(companyId))) throw new Error("Droit invalide");
    await this.ensureTable();
    await this.client.upsertEntity({ partitionKey: oid, rowKey: companyId, grantedBy, grantedAt: new Date().toISOString() }, "Replace");
  }

  async revoke(oid: string, companyId: string): Promise<void> {
    await this.ensureTable();
    try {
      await this.client.deleteEntity(oid, companyId);
    } catch (e) {
      if (!(e instanceof RestError && e.statusCode === 404)) throw e;
    }
  }
}
