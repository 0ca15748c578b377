/**
 * kill -9 during sending (issue 10, finding 2): 200 payslip mails queued on Azurite (its own process), a dispatcher
 * process (tests/reliability/children/dispatch.ts: the production queue and .eml transport) killed with SIGKILL at
 * several moments — mid-write of a message, between the write and its record, between mails — then restarted until
 * nothing remains. Expected: every mail sent, each exactly once (no Message-ID sent twice), none left "sending".
 */

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { TableMailQueue } from "../../functions/mail/table-mail-queue.ts";
import { startAzurite } from "../support/azurite.ts";
import { reportAtEnd, tally } from "./summary.ts";

reportAtEnd(import.meta.filename);

const MAILS = 200;
const LEASE_MS = 1500;
const CHILD = path.join(import.meta.dirname, "children", "dispatch.ts");

test("kill -9 of the dispatcher at several moments over 200 mails: 0 lost, 0 sent twice", { timeout: 300_000 }, async () => {
  const azurite = await startAzurite();
  try {
    const table = "crashmails";
    const queue = TableMailQueue.fromConnectionString(azurite.connectionString, table, { leaseMs: LEASE_MS });
    const dueAt = new Date(Date.now() - 60_000);
    for (let i = 0; i < MAILS; i++) {
      const employeeId = `E${String(i).padStart(3, "0")}`;
      await queue.enqueue({
        companyId: "CRASH",
        period: "2025-08",
        employeeId,
        recipient: `${employeeId.toLowerCase()}@example.mc`,
        dueAt,
        firstName: "A",
        lastName: "B",
        companyName: "Crash",
        documentPath: `companies/CRASH/2025-08/v1/payslips/${employeeId}.pdf`,
      });
    }
    const outbox = mkdtempSync(path.join(tmpdir(), "crash-outbox-"));
    const log = path.join(outbox, "..", `${path.basename(outbox)}.log`);
    const files = () => readdirSync(outbox).filter((f) => f.endsWith(".eml")).length;

    // Kill when the outbox reaches these counts (polled every few ms, so the kill lands wherever the child is then:
    // inside a write, between rename and markSent, or between two mails); then a final run to completion.
    const killAt = [7, 31, 64, 101, 140, 177];
    let kills = 0;
    for (let round = 0; round < killAt.length + 3; round++) {
      const child = spawn(process.execPath, ["--import", "tsx", CHILD, azurite.connectionString, table, outbox, log, String(LEASE_MS)], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      const target = killAt[round];
      const ended = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      if (target !== undefined) {
        const poll = setInterval(() => {
          if (files() >= target) {
            child.kill("SIGKILL");
            clearInterval(poll);
          }
        }, 2);
        const code = await ended;
        clearInterval(poll);
        if (code === null) {
          kills++;
          tally.fault();
        }
      } else {
        const code = await ended;
        assert.equal(code, 0, stderr);
      }
      // Let the killed claim's lease run out, as a restart after a crash would find it.
      await new Promise((r) => setTimeout(r, LEASE_MS + 200));
      const rest = (await queue.listDue(new Date(), 1000)).length;
      if (target === undefined && rest === 0) break;
    }
    assert.ok(kills >= 4, `the dispatcher was killed ${kills} times`);

    const sentIds = existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean) : [];
    const seen = new Map<string, number>();
    for (const id of sentIds) seen.set(id, (seen.get(id) ?? 0) + 1);
    const duplicates = [...seen.values()].filter((n) => n > 1).length;
    let notSent = 0;
    for (let i = 0; i < MAILS; i++) {
      const job = await queue.get(`CRASH|2025-08|E${String(i).padStart(3, "0")}`);
      if (job?.status !== "sent") notSent++;
    }
    const lost = Math.max(notSent, MAILS - files());
    tally.duplicates(duplicates);
    tally.lost(lost);
    assert.equal(duplicates, 0, "no Message-ID sent twice");
    assert.equal(files(), MAILS, "one .eml per mail");
    assert.equal(notSent, 0, "every row sent, none left sending");
  } finally {
    await azurite.stop();
  }
});
