/**
 * Send pacing per mailbox, shared by every dispatcher that sends from it (overlapping timer runs, scaled-out
 * instances): Exchange Online counts messages per mailbox — 30 per minute
 * (https://learn.microsoft.com/en-us/office365/servicedescriptions/exchange-online-service-description/exchange-online-limits#sending-limits)
 * — not per process, so a budget kept in memory let three dispatchers send about 90 a minute.
 *
 * The budget lives in Table Storage (table `mailpacing`, owned by this module; one row per mailbox) as the
 * mailbox's next free send slot. `acquire` reserves the slot max(now, next, paused-until) and moves `next`
 * one interval (60 000 / rate ms) further, in one ETag-guarded replace: of two dispatchers reading the same
 * row only one write succeeds, the other reads again and takes the following slot. Then it waits until its
 * slot. Slots are therefore at least one interval apart across every dispatcher, so ANY 60-second window
 * holds at most `rate` sends — unlike a per-minute counter or a token bucket, which allow twice the rate
 * across a window boundary. A slot reserved and not used (claim lost, crash) is simply lost: pacing errs
 * slow, never fast.
 *
 * The row is working state, not business data: it is not in the backup (functions/storage TABLES) and can be
 * deleted at any time (the next acquire recreates it). Clock skew between instances matters only when an
 * instance's clock runs ahead of the others (it may then send up to that much early); Azure hosts are NTP-synced.
 */
import { RestError, type TableClient, type TableEntity } from "@azure/data-tables";
import { type Storage, tableCreator } from "../storage/index.ts";

export const PACING_TABLE = "mailpacing";
const PARTITION = "mailbox";

export interface AcquireOptions {
  /** Do not reserve a slot later than this (the caller's time budget); undefined is returned instead. */
  notAfter?: Date;
}

export interface MailPacer {
  /**
   * Reserves the next send slot of `mailbox` and resolves at that instant with it; undefined (nothing
   * reserved) when the slot would fall after `notAfter`.
   */
  acquire(mailbox: string, options?: AcquireOptions): Promise<Date | undefined>;
  /** Nobody sends from `mailbox` before `until` (after a 429: the penalty is the mailbox's, not one dispatcher's). */
  pause(mailbox: string, until: Date): Promise<void>;
}

export interface TableMailPacerOptions {
  /** Sends per minute from one mailbox; at most Exchange Online's 30. */
  ratePerMinute: number;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** Lost ETag races tolerated in one acquire before giving up (each loss means another dispatcher progressed). */
  maxConflicts?: number;
}

type PacingEntity = TableEntity<{
  /** ISO instant of the next free slot. */
  nextSlotAt: string;
  /** ISO instant before which no slot is given (Retry-After of a 429), if any. */
  pausedUntil?: string;
  intervalMs: number;
  updatedAt: string;
}>;

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const statusOf = (e: unknown) => (e instanceof RestError ? e.statusCode : undefined);

/** Row key of a mailbox: case-insensitive like an address, and free of the characters Table keys forbid. */
export function pacingRowKey(mailbox: string): string {
  const m = mailbox.trim().toLowerCase();
  if (m === "") throw new Error("Boîte d'envoi vide : impossible de régler la cadence d'envoi");
  return encodeURIComponent(m);
}

export class TableMailPacer implements MailPacer {
  readonly intervalMs: number;
  private readonly ensureTable: () => Promise<void>;
  private readonly now: () => Date;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly maxConflicts: number;

  constructor(
    private readonly client: TableClient,
    options: TableMailPacerOptions,
  ) {
    const rate = options.ratePerMinute;
    if (!(Number.isFinite(rate) && rate > 0)) throw new Error("La cadence d'envoi doit être un nombre de messages par minute positif");
    // Rounded up: a fractional interval rounded down would let the rate be exceeded by a hair.
    this.intervalMs = Math.ceil(60_000 / rate);
    this.ensureTable = tableCreator(client);
    this.now = options.now ?? (() => new Date());
    this.sleep = options.sleep ?? defaultSleep;
    this.maxConflicts = options.maxConflicts ?? 100;
  }

  static fromStorage(storage: Storage, options: TableMailPacerOptions): TableMailPacer {
    return new TableMailPacer(storage.rawTable(`${storage.tablePrefix}${PACING_TABLE}`), options);
  }

  async acquire(mailbox: string, options: AcquireOptions = {}): Promise<Date | undefined> {
    const rowKey = pacingRowKey(mailbox);
    await this.ensureTable();
    for (let conflicts = 0; ; conflicts++) {
      const row = await this.read(rowKey);
      const t = this.now().getTime();
      const slot = Math.max(t, row ? Date.parse(row.nextSlotAt) : 0, row?.pausedUntil ? Date.parse(row.pausedUntil) : 0);
      if (options.notAfter && slot > options.notAfter.getTime()) return undefined;
      const next: PacingEntity = {
        partitionKey: PARTITION,
        rowKey,
        nextSlotAt: new Date(slot + this.intervalMs).toISOString(),
        intervalMs: this.intervalMs,
        updatedAt: new Date(t).toISOString(),
      };
      if (row?.pausedUntil && Date.parse(row.pausedUntil) > slot) next.pausedUntil = row.pausedUntil;
      if (await this.write(next, row?.etag)) {
        // The slot is ours; wait for it (a loop: a timer may fire a little early against Date.now()).
        for (let left = slot - this.now().getTime(); left > 0; left = slot - this.now().getTime()) await this.sleep(left);
        return new Date(slot);
      }
      if (conflicts >= this.maxConflicts) {
        throw new Error(`Cadence d'envoi de « ${mailbox} » : ${conflicts + 1} conflits d'écriture de suite dans la table ${this.client.tableName}`);
      }
    }
  }

  async pause(mailbox: string, until: Date): Promise<void> {
    const rowKey = pacingRowKey(mailbox);
    await this.ensureTable();
    for (let conflicts = 0; ; conflicts++) {
      const row = await this.read(rowKey);
      if (row?.pausedUntil && Date.parse(row.pausedUntil) >= until.getTime()) return;
      const t = this.now();
      const next: PacingEntity = {
        partitionKey: PARTITION,
        rowKey,
        nextSlotAt: row?.nextSlotAt ?? t.toISOString(),
        pausedUntil: until.toISOString(),
        intervalMs: this.intervalMs,
        updatedAt: t.toISOString(),
      };
      if (await this.write(next, row?.etag)) return;
      if (conflicts >= this.maxConflicts) {
        throw new Error(`Cadence d'envoi de « ${mailbox} » : ${conflicts + 1} conflits d'écriture de suite dans la table ${this.client.tableName}`);
      }
    }
  }

  private async read(rowKey: string): Promise<(PacingEntity & { etag: string }) | undefined> {
    try {
      const e = await this.client.getEntity<PacingEntity>(PARTITION, rowKey);
      if (typeof e.nextSlotAt !== "string" || Number.isNaN(Date.parse(e.nextSlotAt))) {
        // A damaged row must not stop mailing: treated as absent, it is overwritten (ETag-guarded) below.
        return { ...e, nextSlotAt: new Date(0).toISOString(), etag: e.etag };
      }
      return e as PacingEntity & { etag: string };
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw e;
    }
  }

  /** Create (no row yet) or replace if unchanged since read; false when another dispatcher wrote first. */
  private async write(entity: PacingEntity, etag: string | undefined): Promise<boolean> {
    try {
      if (etag === undefined) await this.client.createEntity(entity);
      else await this.client.updateEntity(entity, "Replace", { etag });
      return true;
    } catch (e) {
      const s = statusOf(e);
      if (s === 409 || s === 412) return false;
      throw e;
    }
  }
}
