/**
 * Starts a real Azurite (Blob + Queue + Table) as a child process on free ports (in memory by default),
 * for the local stack (npm start, npm run demo) and the integration tests. Never uses the default ports: another Azurite may own them.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { createRequire } from "node:module";
import path from "node:path";

/** The documented well-known development account (public, not a secret). */
export const AZURITE_ACCOUNT = "devstoreaccount1";
export const AZURITE_KEY =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export interface AzuriteHandle {
  connectionString: string;
  blobPort: number;
  tablePort: number;
  /** Kills the process (data is lost: in-memory). */
  stop(): Promise<void>;
  /** Kills the process without waiting, to simulate storage dying mid-run. */
  kill(): void;
  /** Starts it again on the same ports (empty storage). */
  restart(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function azuriteEntry(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve("azurite/package.json")), "dist/src/azurite.js");
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const { connect } = await import("node:net");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Azurite exited with code ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`Azurite did not open port ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startAzurite(options: { location?: string; ports?: { blob: number; queue: number; table: number } } = {}): Promise<AzuriteHandle> {
  const blobPort = options.ports?.blob ?? (await freePort());
  const queuePort = options.ports?.queue ?? (await freePort());
  const tablePort = options.ports?.table ?? (await freePort());
  let child: ChildProcess | undefined;

  const launch = async () => {
    const args = [
      azuriteEntry(),
      "--disableTelemetry",
      "--skipApiVersionCheck",
      "--silent",
      "--loose",
      "--blobHost", "127.0.0.1", "--blobPort", String(blobPort),
      "--queueHost", "127.0.0.1", "--queuePort", String(queuePort),
      "--tableHost", "127.0.0.1", "--tablePort", String(tablePort),
    ];
    if (options.location) args.push("--location", options.location);
    else args.push("--inMemoryPersistence");
    child = spawn(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    try {
      await waitForPort(blobPort, child, 20_000);
      await waitForPort(tablePort, child, 20_000);
    } catch (e) {
      child.kill("SIGKILL");
      throw new Error(`${(e as Error).message}\n${stderr}`);
    }
  };
  await launch();

  const stop = async () => {
    const c = child;
    // A process ended by a signal has signalCode set and exitCode null: it is gone too.
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once("exit", () => resolve());
      c.kill("SIGTERM");
      setTimeout(() => c.kill("SIGKILL"), 3000).unref();
    });
  };

  const connectionString =
    `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};` +
    `BlobEndpoint=http://127.0.0.1:${blobPort}/${AZURITE_ACCOUNT};` +
    `QueueEndpoint=http://127.0.0.1:${queuePort}/${AZURITE_ACCOUNT};` +
    `TableEndpoint=http://127.0.0.1:${tablePort}/${AZURITE_ACCOUNT};`;

  return {
    connectionString,
    blobPort,
    tablePort,
    stop,
    kill: () => child?.kill("SIGKILL"),
    restart: async () => {
      await stop();
      await launch();
    },
  };
}
