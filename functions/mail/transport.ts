/**
 * Picks the mail transport from configuration. Everything before `transport.send` (queue, claim,
 * message, pacing) is identical whichever is chosen.
 *
 *   PAIE_MAIL_TRANSPORT   graph | eml   (default: eml on a developer machine, graph in Azure)
 *   PAIE_MAIL_MAILBOX     the sending mailbox (UPN); required for graph, used as From in .eml files
 *   PAIE_MAIL_FROM_NAME   display name for .eml files (Graph uses the mailbox's own name)
 *   PAIE_MAIL_OUTBOX      folder for .eml files (default ./outbox)
 *   PAIE_GRAPH_BASE_URL   Graph root (default https://graph.microsoft.com)
 *   PAIE_MAIL_RATE_PER_MINUTE  dispatcher pacing (default 30, Exchange Online's per-mailbox limit)
 * Graph credentials come from @azure/identity's DefaultAzureCredential (managed identity in Azure,
 * AZURE_TENANT_ID / AZURE_CLIENT_ID / AZURE_CLIENT_SECRET elsewhere) unless one is passed in.
 */
import path from "node:path";
import { DefaultAzureCredential, type TokenCredential } from "@azure/identity";
import { EmlTransport } from "./eml-transport.ts";
import { GraphTransport } from "./graph-transport.ts";
import type { MailTransport } from "./types.ts";

export type Env = Record<string, string | undefined>;

export function runningInAzure(env: Env): boolean {
  return Boolean(env.WEBSITE_INSTANCE_ID || env.WEBSITE_SITE_NAME);
}

export function mailRatePerMinute(env: Env): number {
  const raw = env.PAIE_MAIL_RATE_PER_MINUTE;
  if (raw === undefined || raw === "") return 30;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || n > 30) throw new Error("PAIE_MAIL_RATE_PER_MINUTE doit être un nombre entre 0 et 30 (limite d'Exchange Online)");
  return n;
}

export function createMailTransport(env: Env, deps: { credential?: TokenCredential; now?: () => Date } = {}): MailTransport {
  const kind = (env.PAIE_MAIL_TRANSPORT ?? (runningInAzure(env) ? "graph" : "eml")).trim().toLowerCase();
  const mailbox = env.PAIE_MAIL_MAILBOX?.trim();
  if (kind === "eml") {
    if (runningInAzure(env)) {
      // In Azure an .eml outbox would silently swallow every payslip.
      throw new Error("PAIE_MAIL_TRANSPORT=eml est refusé dans Azure : les bulletins ne partiraient jamais");
    }
    return new EmlTransport({
      outboxDir: path.resolve(env.PAIE_MAIL_OUTBOX ?? "outbox"),
      from: mailbox || "paie@localhost.localdomain",
      ...(env.PAIE_MAIL_FROM_NAME ? { fromName: env.PAIE_MAIL_FROM_NAME } : {}),
      ...(deps.now ? { now: deps.now } : {}),
    });
  }
  if (kind === "graph") {
    if (!mailbox) throw new Error("PAIE_MAIL_MAILBOX est obligatoire avec PAIE_MAIL_TRANSPORT=graph");
    const baseUrl = env.PAIE_GRAPH_BASE_URL;
    if (baseUrl && !baseUrl.startsWith("https://")) {
      // The Graph client only attaches the token to https URLs; over http every call would be a 401.
      throw new Error("PAIE_GRAPH_BASE_URL doit être une adresse https");
    }
    return new GraphTransport({
      mailbox,
      credential: deps.credential ?? new DefaultAzureCredential(),
      ...(baseUrl ? { baseUrl } : {}),
    });
  }
  throw new Error(`PAIE_MAIL_TRANSPORT inconnu : « ${kind} » (attendu graph ou eml)`);
}
