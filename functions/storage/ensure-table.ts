/** Creates a table once per client (idempotent on the service); a failed attempt is retried on the next call. */
import type { TableClient } from "@azure/data-tables";

export function tableCreator(client: TableClient): () => Promise<void> {
  let ensured: Promise<void> | undefined;
  return () => {
    ensured ??= client.createTable().then(
      () => undefined,
      (e: unknown) => {
        ensured = undefined;
        throw e;
      },
    );
    return ensured;
  };
}
