/**
 * Configuration of the functions app, read once from the environment (App Settings in Azure, the local runner's
 * environment here). Secrets only come from here (or Key Vault references resolved by the host), never from code.
 */
export type Env = Record<string, string | undefined>;

export interface AppConfig {
  /** Time zone of the firm: payroll days and the 03:00 backup are local times. */
  timeZone: string;
  backupRetentionDays: number;
  /**
   * How long payslip rows of superseded versions (and of failed submission attempts) stay in the payslips table once
   * unreachable; then the daily backup timer deletes them, right after that day's backup, so the backups kept
   * (PAIE_BACKUP_RETENTION_DAYS) still hold them. Default 400 days: a whole pay year plus a month, so "what did the
   * version before the correction say" can be answered from the live tables through the year's closing and the
   * annual statements of the next winter, without the table growing with every correction for ever. The documents of
   * those versions (PDFs an employee may have received) are not touched.
   */
  supersededRetentionDays: number;
  /**
   * How long a mail's "sending" claim holds (PAIE_MAIL_LEASE_MS, default 10 min — longer than a dispatcher's
   * 4-minute budget and Graph's send timeout): past it, the sender is presumed dead and the mail is recovered.
   */
  mailLeaseMs: number;
  /** Largest request body accepted (bytes). */
  maxBodyBytes: number;
  /** Base URL printed in document links (the API's own origin). */
  publicBaseUrl: string;
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} doit être un entier entre ${min} et ${max} (reçu « ${raw} »)`);
  return n;
}

export function readConfig(env: Env = process.env): AppConfig {
  return {
    timeZone: env.PAIE_TIME_ZONE || "Europe/Monaco",
    backupRetentionDays: int(env, "PAIE_BACKUP_RETENTION_DAYS", 90, 1, 3650),
    supersededRetentionDays: int(env, "PAIE_SUPERSEDED_RETENTION_DAYS", 400, 1, 3650),
    mailLeaseMs: int(env, "PAIE_MAIL_LEASE_MS", 10 * 60_000, 1000, 24 * 3600_000),
    maxBodyBytes: int(env, "PAIE_MAX_BODY_BYTES", 8 * 1024 * 1024, 1024, 64 * 1024 * 1024),
    publicBaseUrl: env.PAIE_PUBLIC_BASE_URL || "http://localhost:7071",
  };
}

/** The local date (YYYY-MM-DD) and hour in the firm's time zone — Azure's Linux plans run timers in UTC. */
export function localParts(now: Date, timeZone: string): { date: string; hour: number; day: number; period: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", hourCycle: "h23" })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  return { date, hour: Number(parts.hour), day: Number(parts.day), period: date.slice(0, 7) };
}
