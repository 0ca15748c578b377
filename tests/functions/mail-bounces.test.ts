/**
 * A wrong address is accepted by Graph (202) and bounces later (issue 10, finding 9): the mail is sent through the
 * Graph transport to the contract server from the real queue on Azurite; once Exchange's report is in the mailbox,
 * readNonDeliveries marks that mail « retourné » with the reason, and only that one.
 */

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import type { AccessToken, TokenCredential } from "@azure/identity";
import { readNonDeliveries } from "../../functions/mail/bounces.ts";
import { dispatchDue } from "../../functions/mail/dispatcher.ts";
import { GraphTransport } from "../../functions/mail/graph-transport.ts";
import { TableMailQueue } from "../../functions/mail/table-mail-queue.ts";
import { type AzuriteHandle, startAzurite } from "../support/azurite.ts";
import { caTrustingTerminal, type GraphServer, startGraphServer } from "../support/graph-server.ts";

const TOKEN = `test-token-${randomBytes(8).toString("hex")}`;
const MAILBOX = "paie@cabinet.example";
const credential: TokenCredential = { getToken: async (): Promise<AccessToken> => ({ token: TOKEN, expiresOnTimestamp: Date.now() + 3600_000 }) };

let azurite: AzuriteHandle;
let server: GraphServer;

before(async () => {
  azurite = await startAzurite();
  server = await startGraphServer({ token: TOKEN });
});
after(async () => {
  server?.close();
  await azurite?.stop();
});

test("a bounce read back from the mailbox marks that mail « retourné » with the reason, and only that one", async () => {
  const queue = TableMailQueue.fromConnectionString(azurite.connectionString, `bounces${randomBytes(3).toString("hex")}`);
  const now = new Date();
  const base = { companyId: "C001", period: "2025-08", firstName: "Zoé", lastName: "Müller", companyName: "Essai", dueAt: new Date(now.getTime() - 1000) };
  await queue.enqueue({ ...base, employeeId: "M001", recipient: "zoe@example.mc", documentPath: "companies/C001/2025-08/v1/payslips/M001.pdf" });
  await queue.enqueue({ ...base, employeeId: "M002", recipient: "personne@example.mc", documentPath: "companies/C001/2025-08/v1/payslips/M002.pdf" });
  server.bounce("personne@example.mc");
  const transport = new GraphTransport({
    mailbox: MAILBOX,
    credential,
    baseUrl: server.baseUrl,
    httpTerminal: caTrustingTerminal(server.ca),
    sleep: async () => undefined,
    timeoutMs: 5000,
  });
  const sent = await dispatchDue({
    queue,
    transport,
    now: () => new Date(),
    ratePerMinute: 60_000,
    budgetMs: 600_000,
    sleep: async () => undefined,
    loadAttachment: async () => new TextEncoder().encode("%PDF-1.7\n%test\n"),
  });
  assert.equal(sent.sent, 2, "Graph accepted both (202)");

  assert.deepEqual(await readNonDeliveries(transport, queue, new Date()), { reports: 0, bounced: 0 }, "no report yet");
  assert.equal(server.deliverReports(), 1);
  assert.deepEqual(await readNonDeliveries(transport, queue, new Date()), { reports: 1, bounced: 1 });
  const bad = await queue.get("C001|2025-08|M002");
  assert.equal(bad?.status, "bounced");
  assert.match(bad?.lastError ?? "", /^retourné · personne@example\.mc : 550 5\.1\.10/);
  assert.equal((await queue.get("C001|2025-08|M001"))?.status, "sent");
  // Reading the same report again changes nothing.
  assert.deepEqual(await readNonDeliveries(transport, queue, new Date()), { reports: 1, bounced: 0 });
});
