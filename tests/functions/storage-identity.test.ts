/** In Azure the app reaches storage with its managed identity (shared keys disabled in infra/main.bicep). */

import assert from "node:assert/strict";
import { test } from "node:test";
import type { AccessToken, TokenCredential } from "@azure/identity";
import { createStorage, readStorageSettings } from "../../functions/storage/index.ts";

test("PAIE_STORAGE_ACCOUNT alone selects identity-based clients on the account's https endpoints", () => {
  const settings = readStorageSettings({ PAIE_STORAGE_ACCOUNT: "paiemonacoprod" });
  assert.equal(settings.account, "paiemonacoprod");
  assert.equal(settings.source, "PAIE_STORAGE_ACCOUNT");
  const credential: TokenCredential = { getToken: async (): Promise<AccessToken> => ({ token: "t", expiresOnTimestamp: Date.now() + 60_000 }) };
  const storage = createStorage(settings, { credential });
  assert.equal(storage.table("payslips").url, "https://paiemonacoprod.table.core.windows.net");
  assert.equal(storage.rawTable("grants").tableName, "grants");
  assert.equal(storage.blobService.url, "https://paiemonacoprod.blob.core.windows.net/");
  // A connection string still wins (local stack, tests).
  assert.equal(readStorageSettings({ PAIE_STORAGE_CONNECTION: "UseDevelopmentStorage=true", PAIE_STORAGE_ACCOUNT: "x" }).source, "PAIE_STORAGE_CONNECTION");
  assert.throws(() => readStorageSettings({ PAIE_STORAGE_ACCOUNT: "Bad_Name" }), /PAIE_STORAGE_ACCOUNT invalide/);
  assert.throws(() => readStorageSettings({}), /Stockage non configuré/);
});
