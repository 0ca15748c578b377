/**
 * The composition root: storage, blob stores, mail transport and queue, authenticator, fonts and clock,
 * built once per host from the configuration and handed to every handler. Tests build their own with
 * real Azurite and a test transport.
 */

import type { Fonts } from "../../shared/documents/types.ts";
import { type Authenticator, createAuthenticator, TableGrantsSource } from "../auth/index.ts";
import { loadDocumentFonts } from "../documents/fonts.ts";
import { TableMailQueue } from "../mail/table-mail-queue.ts";
import { createMailTransport } from "../mail/transport.ts";
import type { MailTransport } from "../mail/types.ts";
import { bindDataKeys, dataKeysOf, readDataKeys } from "../security/data-keys.ts";
import { createLogSink } from "../security/log-sink.ts";
import { lazySealKey, type SealKey } from "../security/seal-key.ts";
import { type BlobStore, blobStore, type Storage, storageFromEnv } from "../storage/index.ts";
import { type AppConfig, type Env, readConfig } from "./config.ts";

export interface Services {
  config: AppConfig;
  storage: Storage;
  documents: BlobStore;
  mailQueue: TableMailQueue;
  transport: MailTransport;
  auth: Authenticator;
  fonts: () => Fonts;
  /** The certificate and key that seal payslips (PAIE_SEAL_*), read on first use; throws a French error when missing. */
  sealKey: () => SealKey;
  now: () => Date;
  /** Structured log without personal data: event name and non-identifying fields only. */
  log: (event: string, fields?: Record<string, string | number | boolean>) => void;
}

export function createServices(env: Env = process.env, overrides: Partial<Services> = {}): Services {
  const config = overrides.config ?? readConfig(env);
  const storage = overrides.storage ?? storageFromEnv(env);
  // Personal data is encrypted at rest: no keys, no app (a French startup error naming the missing setting).
  bindDataKeys(storage, dataKeysOf(storage) ?? readDataKeys(env));
  const grants = new TableGrantsSource(storage.table("grants"));
  return {
    config,
    storage,
    documents: overrides.documents ?? blobStore(storage),
    mailQueue: overrides.mailQueue ?? new TableMailQueue(storage.table("mails"), { leaseMs: config.mailLeaseMs }),
    transport: overrides.transport ?? createMailTransport(env),
    auth: overrides.auth ?? createAuthenticator(env, { grants }),
    fonts: overrides.fonts ?? loadDocumentFonts,
    sealKey: overrides.sealKey ?? lazySealKey(env),
    now: overrides.now ?? (() => new Date()),
    // Every event goes through the redacting sink (functions/security/log-sink.ts).
    log: overrides.log ?? createLogSink().event,
  };
}
