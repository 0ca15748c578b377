/** A real Azurite and a Storage on it for the whole test file: started before its tests, stopped after. */
import { after, before } from "node:test";
import { createStorage, type Storage, type StorageOptions } from "../../functions/storage/index.ts";
import { type AzuriteHandle, startAzurite } from "./azurite.ts";

export function startAzuriteStorage(options: StorageOptions = { maxRetries: 0 }): {
  readonly azurite: AzuriteHandle;
  readonly storage: Storage;
  /** Resolves once Azurite is up and the tables exist (the test runner may start root hooks together). */
  readonly ready: Promise<Storage>;
} {
  let azurite: AzuriteHandle | undefined;
  let storage: Storage | undefined;
  let resolve!: (s: Storage) => void;
  let reject!: (e: unknown) => void;
  const ready = new Promise<Storage>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  ready.catch(() => undefined); // reported by the hook below; avoid an unhandled rejection
  before(async () => {
    try {
      azurite = await startAzurite();
      storage = createStorage(azurite.connectionString, options);
      await storage.ensure();
      resolve(storage);
    } catch (e) {
      reject(e);
      throw e;
    }
  });
  after(async () => {
    await azurite?.stop();
  });
  return {
    ready,
    get azurite() {
      if (!azurite) throw new Error("Azurite is not started yet (use it inside a test)");
      return azurite;
    },
    get storage() {
      if (!storage) throw new Error("storage is not ready yet (use it inside a test)");
      return storage;
    },
  };
}
