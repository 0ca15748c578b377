/**
 * Storage connection from configuration and the clients built from it.
 * One Storage object per process (or per test): it caches table clients and counts HTTP requests,
 * so tests and the benchmark can assert how many round trips an operation costs.
 */
import { TableClient, TableServiceClient, type TableServiceClientOptions } from "@azure/data-tables";
import { DefaultAzureCredential, type TokenCredential } from "@azure/identity";
import { BlobServiceClient } from "@azure/storage-blob";
import { StorageError } from "./errors.ts";

export const TABLES = {
  companies: "companies",
  employees: "employees",
  periods: "periods",
  payslips: "payslips",
  mails: "mails",
  runs: "runs",
  audit: "audit",
  /** Which companies each user may see (functions/auth/grants.ts): backed up and restored with the rest. */
  grants: "grants",
  /** Each employee's payslip document code, encrypted (functions/security/payslip-secrets.ts). */
  documentcodes: "documentcodes",
  /** The dated rates and ceilings the firm entered on top of the bundled ones (functions/storage/parameters.ts). */
  parameters: "parameters",
} as const;
export type TableName = keyof typeof TABLES;
export const TABLE_NAMES = Object.keys(TABLES) as TableName[];

export const DEFAULT_DOCUMENTS_CONTAINER = "documents";

export interface StorageSettings {
  /** Empty in identity mode (`account` set). */
  connectionString: string;
  /** Which setting supplied it (never the value: it holds the account key). */
  source: "PAIE_STORAGE_CONNECTION" | "AzureWebJobsStorage" | "PAIE_STORAGE_ACCOUNT" | "argument";
  /** Identity mode (Azure, shared keys disabled): the account name; clients use the app's managed identity. */
  account?: string;
}

/**
 * `PAIE_STORAGE_CONNECTION`, falling back to `AzureWebJobsStorage` (the Functions host's own account); in Azure,
 * `PAIE_STORAGE_ACCOUNT` alone selects identity-based access (no account key anywhere, infra/main.bicep).
 */
export function readStorageSettings(env: Record<string, string | undefined> = process.env): StorageSettings {
  const own = env.PAIE_STORAGE_CONNECTION?.trim();
  if (own) return { connectionString: own, source: "PAIE_STORAGE_CONNECTION" };
  const host = env.AzureWebJobsStorage?.trim();
  if (host) return { connectionString: host, source: "AzureWebJobsStorage" };
  const account = env.PAIE_STORAGE_ACCOUNT?.trim();
  if (account) {
    if (!/^[a-z0-9]{3,24}$/.test(account))
      throw new StorageError("config", `PAIE_STORAGE_ACCOUNT invalide « ${account} » : nom de compte de stockage (3 à 24 minuscules et chiffres).`);
    return { connectionString: "", source: "PAIE_STORAGE_ACCOUNT", account };
  }
  throw new StorageError(
    "config",
    "Stockage non configuré : définissez PAIE_STORAGE_CONNECTION (chaîne de connexion), ou PAIE_STORAGE_ACCOUNT (accès par identité managée dans Azure).",
  );
}

/** True when the connection string points at plain-http endpoints (Azurite); only then is http allowed. */
export function isInsecureConnection(connectionString: string): boolean {
  const parts = new Map<string, string>();
  for (const part of connectionString.split(";")) {
    const i = part.indexOf("=");
    if (i > 0) parts.set(part.slice(0, i).trim().toLowerCase(), part.slice(i + 1).trim());
  }
  if (parts.get("usedevelopmentstorage") === "true") return true;
  const table = parts.get("tableendpoint");
  if (table) return table.toLowerCase().startsWith("http://");
  return (parts.get("defaultendpointsprotocol") ?? "https").toLowerCase() === "http";
}

/** Counts every HTTP attempt (retries included) sent by the table clients. */
export interface RequestCounter {
  readonly total: number;
  readonly byMethod: Readonly<Record<string, number>>;
  reset(): void;
}

function createCounter(): RequestCounter & { record(method: string): void } {
  let total = 0;
  let byMethod: Record<string, number> = {};
  return {
    get total() {
      return total;
    },
    get byMethod() {
      return byMethod;
    },
    reset() {
      total = 0;
      byMethod = {};
    },
    record(method: string) {
      total += 1;
      byMethod[method] = (byMethod[method] ?? 0) + 1;
    },
  };
}

type AdditionalPolicy = NonNullable<TableServiceClientOptions["additionalPolicies"]>[number];

export interface StorageOptions {
  /** Prepended to every table name (letters/digits): lets several environments share one account. */
  tablePrefix?: string;
  documentsContainer?: string;
  /** Extra pipeline policies for table requests (fault injection in tests, telemetry). */
  additionalPolicies?: AdditionalPolicy[];
  /** Retries of the table clients (default SDK behaviour when absent). */
  maxRetries?: number;
  /** Identity mode only: the credential (default DefaultAzureCredential, i.e. the app's managed identity). */
  credential?: TokenCredential;
}

export interface Storage {
  readonly settings: StorageSettings;
  readonly tablePrefix: string;
  readonly documentsContainer: string;
  readonly requests: RequestCounter;
  readonly tableService: TableServiceClient;
  readonly blobService: BlobServiceClient;
  /** Physical table name of a logical table. */
  tableName(name: TableName): string;
  table(name: TableName): TableClient;
  /** A client for a table outside the app's list (grants), with the same credentials and request counting. */
  rawTable(physicalName: string): TableClient;
  /** Creates every table and the documents container (idempotent, once per Storage). */
  ensure(): Promise<void>;
}

export function createStorage(settings: StorageSettings | string, options: StorageOptions = {}): Storage {
  const resolved: StorageSettings = typeof settings === "string" ? { connectionString: settings, source: "argument" } : settings;
  const { connectionString } = resolved;
  const tablePrefix = options.tablePrefix ?? "";
  if (!/^[A-Za-z]?[A-Za-z0-9]*$/.test(tablePrefix)) {
    throw new StorageError("config", `Préfixe de tables invalide « ${tablePrefix} » : lettres et chiffres, commençant par une lettre.`);
  }
  const documentsContainer = options.documentsContainer ?? DEFAULT_DOCUMENTS_CONTAINER;
  const counter = createCounter();
  const counting: AdditionalPolicy = {
    position: "perRetry",
    policy: {
      name: "paieRequestCounter",
      async sendRequest(request, next) {
        counter.record(request.method);
        return next(request);
      },
    },
  };
  const clientOptions: TableServiceClientOptions = {
    allowInsecureConnection: isInsecureConnection(connectionString),
    additionalPolicies: [counting, ...(options.additionalPolicies ?? [])],
    ...(options.maxRetries !== undefined ? { retryOptions: { maxRetries: options.maxRetries } } : {}),
  };
  let tableService: TableServiceClient;
  let blobService: BlobServiceClient;
  const blobOptions = options.maxRetries !== undefined ? { retryOptions: { maxTries: options.maxRetries + 1 } } : {};
  const account = resolved.account;
  const credential = account ? (options.credential ?? new DefaultAzureCredential()) : undefined;
  const tableUrl = account ? `https://${account}.table.core.windows.net` : "";
  try {
    if (account) {
      tableService = new TableServiceClient(tableUrl, credential!, clientOptions);
      blobService = new BlobServiceClient(`https://${account}.blob.core.windows.net`, credential!, blobOptions);
    } else {
      tableService = TableServiceClient.fromConnectionString(connectionString, clientOptions);
      blobService = BlobServiceClient.fromConnectionString(connectionString, blobOptions);
    }
  } catch (e) {
    throw new StorageError("config", `Chaîne de connexion au stockage invalide (${resolved.source}) : ${(e as Error).message}`, e);
  }
  const clients = new Map<TableName, TableClient>();
  const rawTable = (physical: string) =>
    account ? new TableClient(tableUrl, physical, credential!, clientOptions) : TableClient.fromConnectionString(connectionString, physical, clientOptions);
  const tableName = (name: TableName) => `${tablePrefix}${TABLES[name]}`;
  let ensured: Promise<void> | undefined;
  const table = (name: TableName): TableClient => {
    let client = clients.get(name);
    if (!client) {
      client = rawTable(tableName(name));
      clients.set(name, client);
    }
    return client;
  };

  return {
    settings: resolved,
    tablePrefix,
    documentsContainer,
    requests: counter,
    tableService,
    blobService,
    tableName,
    table,
    rawTable,
    ensure() {
      ensured ??= (async () => {
        await Promise.all(TABLE_NAMES.map((name) => table(name).createTable()));
        await blobService.getContainerClient(documentsContainer).createIfNotExists();
      })().catch((e) => {
        ensured = undefined;
        throw e;
      });
      return ensured;
    },
  };
}

/** The Storage the functions app uses, from its application settings. */
export function storageFromEnv(env: Record<string, string | undefined> = process.env, options: StorageOptions = {}): Storage {
  return createStorage(readStorageSettings(env), options);
}
