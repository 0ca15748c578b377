/**
 * The dispatcher end to end on real storage (Azurite) and the Graph contract server: exactly once under
 * concurrency, resumable across invocations, paced, failures recorded.
 */

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { AccessToken, TokenCredential } from "@azure/identity";
import { dispatchDue } from "../../functions/mail/dispatcher.ts";
import { GraphTransport } from "../../functions/mail/graph-transport.ts";
import { mailJobId, TableMailQueue } from "../../functions/mail/table-mail-queue.ts";
import { mailBudgetMs } from "../../functions/mail/timer.ts";
import { createMailTransport, mailRatePerMinute } from "../../functions/mail/transport.ts";
import type { MailJob } from "../../functions/mail/types.ts";
import { type AzuriteHandle, startAzurite } from "../support/azurite.ts";
import { caTrustingTerminal, type GraphServer, startGraphServer } from "../support/graph-server.ts";

const TOKEN = `tok-${randomBytes(8).toString("hex")}`;
const T0 = Date.parse("2025-09-01T08:00:00Z");

const credential: TokenCredential = {
  async getToken(): Promise<AccessToken> {
    return { token: TOKEN, expiresOnTimestamp: Date.now() + 3600_000 };
  },
};

/** Payslip PDFs "in blob storage": distinct bytes per employee so a mix-up would show. */
const pdfs = new Map<string, Buffer>();
async function loadAttachment(job: MailJob): Promise<Uint8Array> {
  const pdf = pdfs.get(job.id);
  if (!pdf) throw new Error("document absent");
  return pdf;
}

/** A clock that only moves when the dispatcher sleeps: pacing is asserted on sleeps, not wall time. */
function fakeClock(start = T0) {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => new Date(t),
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    sleeps,
    advance: (ms: number) => void (t += ms),
  };
}

describe("mail dispatcher on Azurite + Graph contract server", () => {
  let azurite: AzuriteHandle;
  let graph: GraphServer;
  let tableSeq = 0;

  before(async () => {
    [azurite, graph] = await Promise.all([startAzurite(), startGraphServer({ token: TOKEN })]);
  });
  after(async () => {
    await Promise.all([azurite?.stop(), graph?.close()]);
  });

  const freshQueue = () => {
    const name = `mails${Date.now().toString(36)}${tableSeq++}`;
    return { name, queue: TableMailQueue.fromConnectionString(azurite.connectionString, name) };
  };
  const graphTransport = () =>
    new GraphTransport({
      mailbox: "paie@cabinet.example",
      credential,
      baseUrl: graph.baseUrl,
      httpTerminal: caTrustingTerminal(graph.ca),
      sleep: async () => {},
      timeoutMs: 5000,
    });

  async function seed(queue: TableMailQueue, companyId: string, count: number, dueAt = new Date(T0 - 3600_000)): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 1; i <= count; i++) {
      const employeeId = `M${String(i).padStart(3, "0")}`;
      const id = mailJobId(companyId, "2025-08", employeeId);
      pdfs.set(id, Buffer.concat([Buffer.from("%PDF-1.7\n"), randomBytes(2000)]));
      assert.equal(
        await queue.enqueue({
          companyId,
          period: "2025-08",
          employeeId,
          recipient: `${employeeId.toLowerCase()}.${companyId.toLowerCase()}@example.mc`,
          dueAt,
          firstName: "Léa",
          lastName: `Nom${i}`,
          companyName: `Société ${companyId}`,
        }),
        true,
      );
      ids.push(id);
    }
    return ids;
  }

  const acceptedFor = (companyId: string) => graph.accepted.filter((m) => m.to[0]!.endsWith(`.${companyId.toLowerCase()}@example.mc`));

  it("enqueue is idempotent per (company, period, employee)", async () => {
    const { queue } = freshQueue();
    const [id] = await seed(queue, "CIDEM", 1);
    assert.equal(await queue.enqueue({ companyId: "CIDEM", period: "2025-08", employeeId: "M001", recipient: "x@example.mc", dueAt: new Date(T0) }), false);
    assert.equal((await queue.get(id!))!.recipient, "m001.cidem@example.mc");
  });

  it("two dispatchers started together send each mail exactly once", async () => {
    const { name } = freshQueue();
    // Two queue objects = two independent clients on the same table, as two function instances would be.
    const q1 = TableMailQueue.fromConnectionString(azurite.connectionString, name);
    const q2 = TableMailQueue.fromConnectionString(azurite.connectionString, name);
    const ids = await seed(q1, "CCONC", 12);
    // Both must list the same 12 rows before either claims one, or there would be no race to win.
    let listed = 0;
    let release!: () => void;
    const bothListed = new Promise<void>((r) => (release = r));
    const barrier = (queue: TableMailQueue): TableMailQueue =>
      Object.assign(Object.create(queue) as TableMailQueue, {
        listDue: async (now: Date, limit: number) => {
          const jobs = await queue.listDue(now, limit);
          if (++listed === 2) release();
          await bothListed;
          return jobs;
        },
      });
    graph.setLatency(15);
    try {
      const run = (queue: TableMailQueue) =>
        dispatchDue({
          queue: barrier(queue),
          transport: graphTransport(),
          now: () => new Date(T0),
          sleep: async () => {},
          ratePerMinute: 30,
          budgetMs: 60_000,
          reserveMs: 0,
          loadAttachment,
        });
      const [a, b] = await Promise.all([run(q1), run(q2)]);
      assert.equal(a.sent + b.sent, 12);
      assert.equal(a.skipped + b.skipped, 12, "every mail was seen by both, won by one");
    } finally {
      graph.setLatency(0);
    }
    const accepted = acceptedFor("CCONC");
    assert.equal(accepted.length, 12);
    assert.equal(new Set(accepted.map((m) => m.to[0])).size, 12);
    for (const id of ids) {
      const job = (await q1.get(id))!;
      assert.equal(job.status, "sent");
      assert.equal(job.attempts, 1);
      const mail = accepted.find((m) => m.requestId === job.graphRequestId);
      assert.ok(mail, "the stored request-id is the one Graph returned for this mail");
      assert.equal(mail.to[0], job.recipient);
      assert.ok(mail.attachments[0]!.bytes.equals(pdfs.get(id)!), "each employee got their own PDF");
    }
  });

  it("claim is won by exactly one of many concurrent claimers (ETag)", async () => {
    const { name } = freshQueue();
    const queues = Array.from({ length: 8 }, () => TableMailQueue.fromConnectionString(azurite.connectionString, name));
    const [id] = await seed(queues[0]!, "CRACE", 1);
    const wins = await Promise.all(queues.map((q) => q.claim(id!, new Date(T0))));
    assert.equal(wins.filter(Boolean).length, 1);
    assert.equal((await queues[0]!.get(id!))!.status, "sending");
    assert.equal(await queues[1]!.claim(id!, new Date(T0)), false, "a claimed mail cannot be claimed again");
  });

  it("a mail not yet due is neither listed nor claimable", async () => {
    const { queue } = freshQueue();
    const [id] = await seed(queue, "CLATE", 1, new Date(T0 + 3600_000));
    assert.deepEqual(await queue.listDue(new Date(T0), 10), []);
    assert.equal(await queue.claim(id!, new Date(T0)), false);
    assert.equal((await queue.listDue(new Date(T0 + 3600_000), 10)).length, 1);
  });

  it("pacing: one send per 60/ratePerMinute seconds, measured on the injected sleep", async () => {
    const { queue } = freshQueue();
    await seed(queue, "CPACE", 4);
    const clock = fakeClock();
    const r = await dispatchDue({
      queue,
      transport: graphTransport(),
      now: clock.now,
      sleep: clock.sleep,
      ratePerMinute: 12,
      budgetMs: 10 * 60_000,
      reserveMs: 0,
      loadAttachment,
    });
    assert.equal(r.sent, 4);
    assert.deepEqual(clock.sleeps, [5000, 5000, 5000]);
  });

  it("budget exhausted between two mails: stops, and the next invocation sends the rest, none twice", async () => {
    const { queue } = freshQueue();
    const ids = await seed(queue, "CBUDG", 7);
    const clock = fakeClock();
    const opts = { queue, transport: graphTransport(), now: clock.now, sleep: clock.sleep, ratePerMinute: 30, reserveMs: 0, loadAttachment };
    const first = await dispatchDue({ ...opts, budgetMs: 5000 });
    // sends at t = 0, 2 s, 4 s; the 4th would start at 6 s > 5 s
    assert.deepEqual({ sent: first.sent, remaining: first.remaining, stoppedBy: first.stoppedBy }, { sent: 3, remaining: 4, stoppedBy: "budget" });
    assert.equal(acceptedFor("CBUDG").length, 3);
    const pendingBetween = (await Promise.all(ids.map((id) => queue.get(id)))).filter((j) => j!.status === "pending");
    assert.equal(pendingBetween.length, 4, "the unsent ones are still pending, none stuck in 'sending'");

    clock.advance(60_000);
    const second = await dispatchDue({ ...opts, budgetMs: 60_000 });
    assert.equal(second.sent, 4);
    assert.equal(second.stoppedBy, "done");
    const accepted = acceptedFor("CBUDG");
    assert.equal(accepted.length, 7);
    assert.equal(new Set(accepted.map((m) => m.to[0])).size, 7);
    for (const id of ids) assert.equal((await queue.get(id))!.status, "sent");
  });

  it("aborted (host shutdown) between two mails: the next invocation resumes, nothing lost or duplicated", async () => {
    const { queue } = freshQueue();
    const ids = await seed(queue, "CABRT", 5);
    const clock = fakeClock();
    const controller = new AbortController();
    const first = await dispatchDue({
      queue,
      transport: graphTransport(),
      now: clock.now,
      // the host asks us to stop while we wait between mail 2 and mail 3
      sleep: async (ms) => {
        await clock.sleep(ms);
        if (clock.sleeps.length === 2) controller.abort();
      },
      signal: controller.signal,
      ratePerMinute: 30,
      budgetMs: 600_000,
      reserveMs: 0,
      loadAttachment,
    });
    assert.equal(first.stoppedBy, "aborted");
    assert.equal(first.sent, 2);
    const second = await dispatchDue({
      queue,
      transport: graphTransport(),
      now: clock.now,
      sleep: clock.sleep,
      budgetMs: 600_000,
      reserveMs: 0,
      loadAttachment,
    });
    assert.equal(second.sent, 3);
    assert.equal(acceptedFor("CABRT").length, 5);
    assert.equal(new Set(acceptedFor("CABRT").map((m) => m.to[0])).size, 5);
    for (const id of ids) assert.equal((await queue.get(id))!.status, "sent");
  });

  it("records failures: 403 final with Graph code and request-id; 503 x4 back to pending later; missing PDF rescheduled", async () => {
    const { queue } = freshQueue();
    const [denied, unavailable, noPdf] = await seed(queue, "CFAIL", 3);
    pdfs.delete(noPdf!);
    graph.script(
      { status: 403, code: "ErrorAccessDenied", message: "Access to OData is disabled." },
      ...Array.from({ length: 4 }, () => ({ status: 503, code: "ServiceUnavailable" })),
    );
    const clock = fakeClock();
    const r = await dispatchDue({ queue, transport: graphTransport(), now: clock.now, sleep: clock.sleep, budgetMs: 600_000, reserveMs: 0, loadAttachment });
    assert.deepEqual({ sent: r.sent, failed: r.failed, retried: r.retried }, { sent: 0, failed: 1, retried: 2 });

    const d = (await queue.get(denied!))!;
    assert.equal(d.status, "failed");
    assert.equal(d.attempts, 1);
    assert.match(d.lastError!, /HTTP 403 · ErrorAccessDenied/);
    assert.ok(d.graphRequestId);

    const u = (await queue.get(unavailable!))!;
    assert.equal(u.status, "pending");
    assert.equal(u.attempts, 1);
    assert.match(u.lastError!, /HTTP 503/);
    assert.ok(Date.parse(u.dueAt) > clock.now().getTime(), "not due again right away");

    const n = (await queue.get(noPdf!))!;
    assert.equal(n.status, "pending");
    assert.equal(n.attempts, 0, "a missing document is not a send attempt");
    assert.ok(Date.parse(n.dueAt) > clock.now().getTime());

    // Nothing due now: a new invocation sends nothing.
    const again = await dispatchDue({
      queue,
      transport: graphTransport(),
      now: clock.now,
      sleep: clock.sleep,
      budgetMs: 600_000,
      reserveMs: 0,
      loadAttachment,
    });
    assert.equal(again.sent + again.failed + again.retried + again.skipped, 0);
  });

  it("throttled (long Retry-After): the mail waits at least that long and the invocation stops", async () => {
    const { queue } = freshQueue();
    const [first, second] = await seed(queue, "CTHRO", 2);
    graph.script({ status: 429, code: "ApplicationThrottled", retryAfter: 600 });
    const clock = fakeClock();
    const r = await dispatchDue({
      queue,
      transport: graphTransport(),
      now: clock.now,
      sleep: clock.sleep,
      budgetMs: 600_000,
      reserveMs: 0,
      loadAttachment,
      retryDelayMs: () => 1000,
    });
    assert.deepEqual(
      { stoppedBy: r.stoppedBy, retried: r.retried, remaining: r.remaining, sent: r.sent },
      { stoppedBy: "throttled", retried: 1, remaining: 1, sent: 0 },
    );
    const j = (await queue.get(first!))!;
    assert.equal(j.status, "pending");
    assert.ok(Date.parse(j.dueAt) >= clock.now().getTime() + 600_000, "Retry-After honoured");
    assert.equal((await queue.get(second!))!.status, "pending");
    assert.equal((await queue.get(second!))!.attempts, 0, "the second mail was not touched");
  });

  it("a retryable failure becomes final after maxAttempts dispatches", async () => {
    const { queue } = freshQueue();
    const [id] = await seed(queue, "CMAXA", 1);
    const clock = fakeClock();
    for (let i = 0; i < 2; i++) {
      graph.script(...Array.from({ length: 4 }, () => ({ status: 503 })));
      await dispatchDue({
        queue,
        transport: graphTransport(),
        now: clock.now,
        sleep: clock.sleep,
        budgetMs: 600_000,
        reserveMs: 0,
        loadAttachment,
        maxAttempts: 2,
        retryDelayMs: () => 1000,
      });
      clock.advance(2000);
    }
    const job = (await queue.get(id!))!;
    assert.equal(job.status, "failed");
    assert.equal(job.attempts, 2);
  });

  it("same path with the .eml transport chosen by configuration", async () => {
    const { queue } = freshQueue();
    const ids = await seed(queue, "CEML", 3);
    const outbox = await mkdtemp(path.join(tmpdir(), "paie-outbox-"));
    try {
      const transport = createMailTransport({ PAIE_MAIL_TRANSPORT: "eml", PAIE_MAIL_OUTBOX: outbox, PAIE_MAIL_MAILBOX: "paie@cabinet.example" });
      assert.equal(transport.kind, "eml");
      const r = await dispatchDue({ queue, transport, now: () => new Date(T0), sleep: async () => {}, budgetMs: 600_000, reserveMs: 0, loadAttachment });
      assert.equal(r.sent, 3);
      assert.deepEqual((await readdir(outbox)).sort(), ["CEML_2025-08_M001.eml", "CEML_2025-08_M002.eml", "CEML_2025-08_M003.eml"]);
      for (const id of ids) assert.match((await queue.get(id))!.graphRequestId!, /^<.+@paie-monaco\.invalid>$/);
    } finally {
      await rm(outbox, { recursive: true, force: true });
    }
  });

  it("a mail left in 'sending' (process killed mid-send) is not re-sent, and is listed as stuck", async () => {
    const { queue } = freshQueue();
    const [stuck, other] = await seed(queue, "CSTCK", 2);
    assert.equal(await queue.claim(stuck!, new Date(T0)), true); // then the process dies
    const clock = fakeClock(T0 + 60_000);
    const r = await dispatchDue({ queue, transport: graphTransport(), now: clock.now, sleep: clock.sleep, budgetMs: 600_000, reserveMs: 0, loadAttachment });
    assert.equal(r.sent, 1);
    assert.equal((await queue.get(other!))!.status, "sent");
    assert.equal(acceptedFor("CSTCK").length, 1);
    assert.deepEqual(
      (await queue.listStuck(new Date(T0 + 30_000))).map((j) => j.id),
      [stuck],
    );
    assert.deepEqual(await queue.listStuck(new Date(T0 - 1)), []);
  });

  it("timer settings: budget and rate are read from settings and bad values refused", () => {
    assert.equal(mailBudgetMs({}), 240_000);
    assert.equal(mailBudgetMs({ PAIE_MAIL_BUDGET_MS: "600000" }), 600_000);
    assert.throws(() => mailBudgetMs({ PAIE_MAIL_BUDGET_MS: "5" }), /PAIE_MAIL_BUDGET_MS/);
    assert.throws(() => mailRatePerMinute({ PAIE_MAIL_RATE_PER_MINUTE: "100" }), /PAIE_MAIL_RATE_PER_MINUTE/);
  });

  it("transport selection refuses unsafe configurations", () => {
    assert.throws(() => createMailTransport({ PAIE_MAIL_TRANSPORT: "graph" }), /PAIE_MAIL_MAILBOX/);
    assert.throws(() => createMailTransport({ PAIE_MAIL_TRANSPORT: "eml", WEBSITE_INSTANCE_ID: "abc" }), /refusé dans Azure/);
    assert.throws(
      () => createMailTransport({ PAIE_MAIL_TRANSPORT: "graph", PAIE_MAIL_MAILBOX: "a@b.mc", PAIE_GRAPH_BASE_URL: "http://127.0.0.1:1" }, { credential }),
      /https/,
    );
    assert.equal(createMailTransport({ PAIE_MAIL_TRANSPORT: "graph", PAIE_MAIL_MAILBOX: "a@b.mc" }, { credential }).kind, "graph");
    assert.equal(createMailTransport({}).kind, "eml");
  });
});
