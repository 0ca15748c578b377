/**
 * Pacing per mailbox across dispatchers (finding 4 of issue 10): three dispatchers running at once on real
 * storage (Azurite) and the Graph contract server, in virtual time (tests/support/virtual-clock.ts), so the
 * rate is measured exactly on what the server accepted — not on wall-clock timers of a loaded machine.
 */

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { TableClient } from "@azure/data-tables";
import type { AccessToken, TokenCredential } from "@azure/identity";
import { type DispatchResult, dispatchDue } from "../../functions/mail/dispatcher.ts";
import { GraphTransport } from "../../functions/mail/graph-transport.ts";
import { type MailPacer, TableMailPacer } from "../../functions/mail/pacing.ts";
import { mailJobId, TableMailQueue } from "../../functions/mail/table-mail-queue.ts";
import type { MailJob } from "../../functions/mail/types.ts";
import { type AzuriteHandle, startAzurite } from "../support/azurite.ts";
import { caTrustingTerminal, type GraphServer, startGraphServer } from "../support/graph-server.ts";
import { maxInSlidingWindow, VirtualClock } from "../support/virtual-clock.ts";

const TOKEN = `tok-${randomBytes(8).toString("hex")}`;
const MAILBOX = "paie@cabinet.example";
const T0 = Date.parse("2025-09-01T08:00:00Z");
const MINUTE = 60_000;

const credential: TokenCredential = {
  async getToken(): Promise<AccessToken> {
    return { token: TOKEN, expiresOnTimestamp: Date.now() + 3600_000 };
  },
};

describe("mail pacing per mailbox, shared by every dispatcher", () => {
  let azurite: AzuriteHandle;
  let graph: GraphServer;
  let clock = new VirtualClock(T0);
  let seq = 0;
  const pdfs = new Map<string, Buffer>();
  const loadAttachment = async (job: MailJob) => pdfs.get(job.id)!;
  const table = (prefix: string) => `${prefix}${Date.now().toString(36)}${seq++}`;
  const tableClient = (name: string) => TableClient.fromConnectionString(azurite.connectionString, name, { allowInsecureConnection: true });
  /** The Graph transport against the contract server, sleeping on the test's clock. */
  const graphTransport = (sleep: (ms: number) => Promise<void>, extra: { maxRetryDelayMs?: number } = {}) =>
    new GraphTransport({
      mailbox: MAILBOX,
      credential,
      baseUrl: graph.baseUrl,
      httpTerminal: caTrustingTerminal(graph.ca),
      sleep,
      timeoutMs: 10_000,
      ...extra,
    });

  before(async () => {
    // The server stamps accepted mails with the virtual clock of the running test.
    [azurite, graph] = await Promise.all([startAzurite(), startGraphServer({ token: TOKEN, now: () => clock.now() })]);
  });
  after(async () => {
    await Promise.all([azurite?.stop(), graph?.close()]);
  });

  async function seed(queueTable: string, count: number): Promise<void> {
    const queue = TableMailQueue.fromConnectionString(azurite.connectionString, queueTable);
    for (let i = 1; i <= count; i++) {
      const employeeId = `M${String(i).padStart(3, "0")}`;
      pdfs.set(mailJobId("CPACE", "2025-08", employeeId), Buffer.concat([Buffer.from("%PDF-1.7\n"), randomBytes(200)]));
      await queue.enqueue({
        companyId: "CPACE",
        period: "2025-08",
        employeeId,
        recipient: `${employeeId.toLowerCase()}@example.mc`,
        dueAt: new Date(T0 - 3600_000),
        firstName: "Léa",
        lastName: `Nom${i}`,
        companyName: "Société d'essai",
      });
    }
  }

  /** Three dispatchers, each with its own storage clients and Graph client (three instances), started together. */
  async function threeDispatchers(mails: number, shared: boolean) {
    clock = new VirtualClock(T0);
    graph.reset();
    const queueTable = table("mailspace");
    const pacingTable = table("mailpacing");
    await seed(queueTable, mails);
    const slots: number[] = [];
    const results = await clock.run(
      [0, 1, 2].map(() => async (sleep: (ms: number) => Promise<void>): Promise<DispatchResult> => {
        const pacer = new TableMailPacer(tableClient(pacingTable), { ratePerMinute: 30, now: clock.now, sleep });
        const recording: MailPacer = {
          acquire: async (mailbox, options) => {
            const slot = await pacer.acquire(mailbox, options);
            if (slot) slots.push(slot.getTime());
            return slot;
          },
          pause: (mailbox, until) => pacer.pause(mailbox, until),
        };
        return dispatchDue({
          queue: TableMailQueue.fromConnectionString(azurite.connectionString, queueTable),
          transport: graphTransport(sleep),
          now: clock.now,
          sleep,
          ratePerMinute: 30,
          budgetMs: 240_000,
          loadAttachment,
          log: () => undefined,
          ...(shared ? { pacing: { pacer: recording, mailbox: MAILBOX } } : {}),
        });
      }),
    );
    const fulfilled = results.map((r) => {
      if (r.status === "rejected") throw r.reason;
      return r.value;
    });
    const at = graph.accepted.map((m) => m.acceptedAt);
    return { results: fulfilled, at, slots, perMinute: maxInSlidingWindow(at, MINUTE) };
  }

  it("three dispatchers at once send at most 30 a minute from the mailbox, each mail once", async () => {
    const { results, at, slots, perMinute } = await threeDispatchers(75, true);
    assert.equal(
      results.reduce((n, r) => n + r.sent, 0),
      75,
    );
    assert.equal(new Set(graph.accepted.map((m) => m.to[0])).size, 75, "each employee exactly once");
    assert.ok(
      results.every((r) => r.sent > 0),
      `all three dispatchers sent: ${results.map((r) => r.sent).join("/")}`,
    );
    assert.ok(perMinute <= 30, `at most 30 per sliding minute, measured ${perMinute}`);
    const sorted = [...at].sort((a, b) => a - b);
    const gaps = sorted.slice(1).map((t, i) => t - sorted[i]!);
    assert.ok(Math.min(...gaps) >= 2000, `sends at least 2 s apart, smallest gap ${Math.min(...gaps)} ms`);
    // Every send happened exactly at a slot the shared budget gave out, and no slot was given twice.
    assert.deepEqual(
      sorted,
      [...slots].sort((a, b) => a - b),
    );
    assert.equal(new Set(slots).size, slots.length);
    console.log(
      `pacing shared: ${at.length} mails, max ${perMinute}/sliding minute, span ${(sorted.at(-1)! - sorted[0]!) / 1000} s, per dispatcher ${results.map((r) => r.sent).join("/")}`,
    );
  });

  it("control: the same three dispatchers pacing only themselves exceed the mailbox rate (finding 4)", async () => {
    const { results, perMinute, at } = await threeDispatchers(75, false);
    assert.equal(
      results.reduce((n, r) => n + r.sent, 0),
      75,
    );
    assert.ok(perMinute > 30, `without the shared budget the measure must see the excess, measured ${perMinute}`);
    console.log(`pacing per dispatcher only: ${at.length} mails, max ${perMinute}/sliding minute`);
  });

  it("slots across pacer instances are one interval apart; notAfter reserves nothing; pause holds every instance", async () => {
    clock = new VirtualClock(T0);
    const name = table("mailpacing");
    const got: number[][] = [[], [], []];
    await clock.run(
      [0, 1, 2].map((i) => async (sleep: (ms: number) => Promise<void>) => {
        const pacer = new TableMailPacer(tableClient(name), { ratePerMinute: 60, now: clock.now, sleep });
        for (let k = 0; k < 8; k++) got[i]!.push((await pacer.acquire(MAILBOX))!.getTime());
      }),
    );
    const all = got.flat().sort((a, b) => a - b);
    assert.equal(all.length, 24);
    assert.deepEqual(
      all,
      Array.from({ length: 24 }, (_, k) => T0 + k * 1000),
      "24 slots, 1 s apart, none shared",
    );
    assert.ok(got.every((g) => g.length === 8));

    // The next slot is T0 + 24 s: a budget ending before that reserves nothing (the slot stays free).
    const [checked] = await clock.run([
      async (sleep: (ms: number) => Promise<void>) => {
        const p = new TableMailPacer(tableClient(name), { ratePerMinute: 60, now: clock.now, sleep });
        assert.equal(await p.acquire(MAILBOX, { notAfter: new Date(T0 + 23_000) }), undefined);
        const other = new TableMailPacer(tableClient(name), { ratePerMinute: 60, now: clock.now, sleep });
        await other.pause(MAILBOX.toUpperCase(), new Date(T0 + 90_000));
        assert.equal((await p.acquire(MAILBOX))!.getTime(), T0 + 90_000, "a 429 seen by one instance holds the others");
        assert.equal(clock.now().getTime(), T0 + 90_000, "acquire waited for its slot");
        assert.equal((await p.acquire(MAILBOX))!.getTime(), T0 + 91_000);
      },
    ]);
    if (checked?.status === "rejected") throw checked.reason;
  });

  it("a throttled send pauses the mailbox for every dispatcher for Graph's Retry-After", async () => {
    clock = new VirtualClock(T0);
    graph.reset();
    const queueTable = table("mailspace");
    const pacingTable = table("mailpacing");
    await seed(queueTable, 6);
    graph.script({ status: 429, code: "ApplicationThrottled", retryAfter: 120 });
    const run = (sleep: (ms: number) => Promise<void>) =>
      dispatchDue({
        queue: TableMailQueue.fromConnectionString(azurite.connectionString, queueTable),
        transport: graphTransport(sleep, { maxRetryDelayMs: 60_000 }),
        now: clock.now,
        sleep,
        budgetMs: 240_000,
        loadAttachment,
        log: () => undefined,
        retryDelayMs: () => 1000,
        pacing: { pacer: new TableMailPacer(tableClient(pacingTable), { ratePerMinute: 30, now: clock.now, sleep }), mailbox: MAILBOX },
      });
    const [first] = await clock.run([run]);
    assert.equal(first?.status === "fulfilled" && first.value.stoppedBy, "throttled");
    const [second] = await clock.run([run]);
    assert.ok(second?.status === "fulfilled" && second.value.sent > 0);
    assert.ok(
      graph.accepted.every((m) => m.acceptedAt >= T0 + 120_000),
      "nothing sent from the mailbox before Retry-After ran out",
    );
  });
});
