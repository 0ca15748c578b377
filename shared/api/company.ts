/**
 * The company as the API sends and receives it and as functions/storage stores it: one schema, typed down to the
 * engine's own (contract lines, company settings) and the journal's chart of accounts. The engine's company input
 * and the documents' employer identity are derived from it here, once, for the pane and for the server.
 */
import { type Static, Type } from "@sinclair/typebox";
import { ChartOfAccounts } from "../schema/chart-of-accounts.ts";
import { type CompanyInput, ContractLine, Company as EngineCompany } from "../schema/payslip-input.ts";
import { CompanyId, Email, IsoDateTime } from "./fields.ts";

export const CompanyRecord = Type.Object(
  {
    id: CompanyId(),
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
    contracts: Type.Array(ContractLine, { maxItems: 40 }),
    /** null: the default chart (shared/documents/journal.ts DEFAULT_CHART). */
    chartOfAccounts: Type.Union([ChartOfAccounts, Type.Null()]),
    paidLeaveSystem: Type.Union([Type.Literal("ouvrables"), Type.Literal("ouvres")]),
    /** The engine's company settings; its id, name, leave system and contracts are the record's own fields. */
    settings: Type.Object({ engine: Type.Optional(EngineCompany) }, { additionalProperties: false }),
    updatedAt: IsoDateTime(),
    updatedBy: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type CompanyRecord = Static<typeof CompanyRecord>;

/** PUT /api/companies/{companyId}: the record without what the server sets. */
export const CompanyBody = Type.Omit(CompanyRecord, ["updatedAt", "updatedBy"]);
export type CompanyBody = Static<typeof CompanyBody>;

/** GET /api/companies/{companyId} and PUT's answer: the record and its version, also sent as the ETag header. */
export const CompanyResponse = Type.Object({ ...CompanyRecord.properties, etag: Type.String() }, { additionalProperties: false });
export type CompanyResponse = Static<typeof CompanyResponse>;
/** GET /api/companies: the companies the caller may see. */
export const CompaniesResponse = Type.Object({ companies: Type.Array(CompanyRecord) });
export type CompaniesResponse = Static<typeof CompaniesResponse>;

/** The engine's company input: its settings, then the record's own fields, which win. */
export function engineCompany(c: CompanyRecord): CompanyInput {
  return { ...(c.settings.engine ?? {}), id: c.id, name: c.name, paidLeaveSystem: c.paidLeaveSystem, contracts: c.contracts };
}

/** The employer as documents print it (shared/documents/types.ts CompanyInfo). */
export function companyInfo(c: Pick<CompanyRecord, "name" | "address" | "ccssEmployerNumber">) {
  return { name: c.name, addressLines: c.address.split(/\r?\n/).filter(Boolean), ccssEmployerNumber: c.ccssEmployerNumber };
}

/** The company's own chart of accounts, or undefined for the default one. */
export function companyChart(c: CompanyRecord): ChartOfAccounts | undefined {
  return c.chartOfAccounts ?? undefined;
}
