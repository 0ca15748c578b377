/**
 * The embedded local stack: a real Azurite, the function definitions on the local host, the .eml outbox and the
 * development identity — what `npm start` and `npm run demo` run, and what the end-to-end tests start.
 * With `auth`, the development identity is off and bearer tokens are validated for real (jose, a test JWKS).
 * Personal data is encrypted with a random key made for this run (Azurite is in memory: nothing outlives it) — or,
 * with `dataDir` (npm start), Azurite persists into that folder and the key is the folder's own (local-data.ts).
 * Payslips are sealed with a self-signed test certificate made for this run, unless `seal` supplies the settings.
 * The queue triggers are served from Azurite's queue service by the host's workers (queue-workers.ts).
 * Every log line — services.log events and the handlers' context logs — goes through the redacting log sink.
 */
import { mkdirSync } from "node:fs";
import { createServices, type Services } from "../app/services.ts";
import { definitions } from "../definitions.ts";
import { ephemeralDataKeys } from "../security/data-keys.ts";
import { createLogSink } from "../security/log-sink.ts";
import { ephemeralSealKey } from "../security/seal-key.ts";
import { type AzuriteHandle, startAzurite } from "./azurite.ts";
import { type LocalData, openLocalData } from "./local-data.ts";
import { type RunningHost, startLocalHost } from "./local-runner.ts";
import { assertPortFree } from "./ports.ts";
import { type QueueHostSettings, readQueueHostSettings } from "./queue-workers.ts";

export interface LocalStack {
  azurite: AzuriteHandle;
  host: RunningHost;
  services: Services;
  env: Record<string, string>;
  stop(): Promise<void>;
}

export interface LocalStackOptions {
  outbox: string;
  port?: number;
  timers?: boolean;
  /** Browser origins allowed to call the API; default PAIE_CORS_ORIGINS (functions/host/cors.ts). */
  corsOrigins?: string[];
  azuritePorts?: { blob: number; queue: number; table: number };
  now?: () => Date;
  log?: (line: string) => void;
  /** Persist Azurite's data in this folder, with the folder's data key (PAIE_LOCAL_DATA); in memory without. */
  dataDir?: string;
  /** With dataDir: start from an empty folder (its data and key removed first). */
  freshData?: boolean;
  /** The development identity without `auth` (PAIE_DEV_IDENTITY): admin@local by default; operator@local for the operator's view. */
  identity?: "admin@local" | "operator@local";
  /** Real token validation (PAIE_AUTH_TENANT_ID, PAIE_AUTH_API_CLIENT_ID, PAIE_AUTH_JWKS_URL) instead of admin@local. */
  auth?: { tenantId: string; apiClientId: string; jwksUrl: string };
  /** PAIE_SEAL_* settings; by default a fresh test certificate (ephemeralSealKey). */
  seal?: Record<string, string>;
  /** Queue workers: host.json's settings and PAIE_QUEUE_WORKERS, with these overrides (tests: no retry delay). */
  queues?: Partial<QueueHostSettings>;
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  // A fixed host port already held is refused before Azurite starts (port 0: any free one).
  if (options.port) await assertPortFree(options.port, "hôte des fonctions", "PAIE_PORT");
  const data: LocalData | undefined = options.dataDir ? openLocalData(options.dataDir, { fresh: options.freshData ?? false }) : undefined;
  let azurite: AzuriteHandle;
  try {
    azurite = await startAzurite({ ...(options.azuritePorts ? { ports: options.azuritePorts } : {}), ...(data ? { location: data.azuriteLocation } : {}) });
  } catch (e) {
    data?.release();
    throw e;
  }
  try {
    mkdirSync(options.outbox, { recursive: true });
    const env: Record<string, string> = {
      PAIE_STORAGE_CONNECTION: azurite.connectionString,
      // The queue triggers' connection (functions/timers/payroll-queue.ts): the same account, as in Azure.
      AzureWebJobsStorage: azurite.connectionString,
      PAIE_MAIL_TRANSPORT: "eml",
      PAIE_MAIL_OUTBOX: options.outbox,
      PAIE_MAIL_MAILBOX: "paie@demo.example",
      PAIE_MAIL_FROM_NAME: "Service paie",
      PAIE_PUBLIC_BASE_URL: `http://127.0.0.1:${options.port ?? 7071}`,
      ...(data ? data.keyEnv : ephemeralDataKeys().env),
      ...(options.seal ?? (await ephemeralSealKey()).env),
      ...(options.auth
        ? { PAIE_AUTH_TENANT_ID: options.auth.tenantId, PAIE_AUTH_API_CLIENT_ID: options.auth.apiClientId, PAIE_AUTH_JWKS_URL: options.auth.jwksUrl }
        : { PAIE_DEV_IDENTITY: options.identity ?? "admin@local" }),
    };
    const write = options.log ?? (() => undefined);
    const sink = createLogSink({ write: (line) => write(line), ...(options.now ? { now: options.now } : {}) });
    const quiet = (line: string) => sink.line(line);
    const services = createServices(env, { log: sink.event, ...(options.now ? { now: options.now } : {}) });
    await services.storage.ensure();
    const host = await startLocalHost(
      definitions(() => services),
      {
        port: options.port ?? 7071,
        timers: options.timers ?? false,
        ...(options.corsOrigins ? { corsOrigins: options.corsOrigins } : {}),
        log: quiet,
        queues: {
          settings: { ...readQueueHostSettings(process.env), ...options.queues },
          connectionOf: (setting) => {
            const value = env[setting];
            if (!value) throw new Error(`connexion de file « ${setting} » absente de la configuration locale`);
            return value;
          },
        },
      },
    );
    env.PAIE_PUBLIC_BASE_URL = host.url;
    services.config.publicBaseUrl = host.url;
    return {
      azurite,
      host,
      services,
      env,
      stop: async () => {
        await host.close();
        await azurite.stop();
        data?.release();
      },
    };
  } catch (e) {
    await azurite.stop();
    data?.release();
    throw e;
  }
}
