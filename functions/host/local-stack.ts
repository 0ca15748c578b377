/**
 * The embedded local stack: a real Azurite, the function definitions on the local host, the .eml outbox and the
 * development identity — what `npm start` and `npm run demo` run, and what the end-to-end tests start.
 */
import { mkdirSync } from "node:fs";
import { createServices, type Services } from "../app/services.ts";
import { definitions } from "../definitions.ts";
import { startAzurite, type AzuriteHandle } from "./azurite.ts";
import { startLocalHost, type RunningHost } from "./local-runner.ts";

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
  corsOrigins?: string[];
  azuritePorts?: { blob: number; queue: number; table: number };
  now?: () => Date;
  log?: (line: string) => void;
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const azurite = await startAzurite(options.azuritePorts ? { ports: options.azuritePorts } : {});
  try {
    mkdirSync(options.outbox, { recursive: true });
    const env: Record<string, string> = {
      PAIE_STORAGE_CONNECTION: azurite.connectionString,
      PAIE_MAIL_TRANSPORT: "eml",
      PAIE_MAIL_OUTBOX: options.outbox,
      PAIE_MAIL_MAILBOX: "paie@demo.example",
      PAIE_MAIL_FROM_NAME: "Service paie",
      PAIE_DEV_IDENTITY: "admin@local",
      PAIE_PUBLIC_BASE_URL: `http://127.0.0.1:${options.port ?? 7071}`,
    };
    const quiet = options.log ?? (() => undefined);
    const services = createServices(env, { log: (event, fields) => quiet(JSON.stringify({ event, ...fields })), ...(options.now ? { now: options.now } : {}) });
    await services.storage.ensure();
    const host = await startLocalHost(definitions(() => services), {
      port: options.port ?? 7071,
      timers: options.timers ?? false,
      corsOrigins: options.corsOrigins ?? [],
      log: quiet,
    });
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
      },
    };
  } catch (e) {
    await azurite.stop();
    throw e;
  }
}
