/**
 * Starts a real Azurite (Blob + Queue + Table) as a child process on free ports (in memory by default),
 * for the local stack (npm start, npm run demo) and the integration tests. Never uses the default ports: another Azurite may own them.
 * The child is tied to this process (tied-child.mjs): it ends when this one dies, even by SIGKILL. It counts as
 * started only when it says its own servers listen — a port answered by someone else is never taken for it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import path from "node:path";
import { assertPortFree, PortInUseError } from "./ports.ts";

/** The watchdog wrapper the child runs under (plain JavaScript: spawned without the TypeScript loader). */
export const TIED_CHILD = path.join(import.meta.dirname, "tied-child.mjs");

/** The documented well-known development account (public, not a secret). */
export const AZURITE_ACCOUNT = "devstoreaccount1";
export const AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

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

const SERVICES = [
  { name: "Blob", label: "Azurite, blobs" },
  { name: "Queue", label: "Azurite, files d'attente" },
  { name: "Table", label: "Azurite, tables" },
] as const;

/** Waits for Azurite's own "… service is successfully listening" line of each service, or its death. */
function waitForListening(child: ChildProcess, timeoutMs: number, output: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => SERVICES.every((svc) => output().includes(`Azurite ${svc.name} service is successfully listening`));
    const timer = setTimeout(() => finish(new Error(`Azurite n'a pas ouvert ses ports en ${timeoutMs} ms`)), timeoutMs);
    const check = () => {
      if (done()) finish();
    };
    const exited = (code: number | null, signal: string | null) => finish(new Error(`Azurite s'est arrêté au démarrage (code ${code ?? signal})`));
    function finish(error?: Error) {
      clearTimeout(timer);
      child.stdout?.off("data", check);
      child.off("exit", exited);
      if (error) reject(error);
      else resolve();
    }
    child.stdout?.on("data", check);
    child.once("exit", exited);
    check();
  });
}

export async function startAzurite(options: { location?: string; ports?: { blob: number; queue: number; table: number } } = {}): Promise<AzuriteHandle> {
  const blobPort = options.ports?.blob ?? (await freePort());
  const queuePort = options.ports?.queue ?? (await freePort());
  const tablePort = options.ports?.table ?? (await freePort());
  let child: ChildProcess | undefined;

  const ports = { Blob: blobPort, Queue: queuePort, Table: tablePort };
  const launch = async () => {
    for (const svc of SERVICES) await assertPortFree(ports[svc.name], `${svc.label}`, "PAIE_AZURITE_PORTS");
    const args = [
      TIED_CHILD,
      azuriteEntry(),
      "--disableTelemetry",
      "--skipApiVersionCheck",
      "--silent",
      "--loose",
      "--blobHost",
      "127.0.0.1",
      "--blobPort",
      String(blobPort),
      "--queueHost",
      "127.0.0.1",
      "--queuePort",
      String(queuePort),
      "--tableHost",
      "127.0.0.1",
      "--tablePort",
      String(tablePort),
    ];
    if (options.location) args.push("--location", options.location);
    else args.push("--inMemoryPersistence");
    // stdin stays an open pipe for the child's lifetime: its end is how the child learns that this process died.
    const started = spawn(process.execPath, args, { stdio: ["pipe", "pipe", "pipe"] });
    child = started;
    let stdout = "";
    let stderr = "";
    started.stdout?.on("data", (d: Buffer) => {
      if (stdout.length < 64 * 1024) stdout += d.toString();
    });
    started.stderr?.on("data", (d: Buffer) => {
      if (stderr.length < 64 * 1024) stderr += d.toString();
    });
    try {
      await waitForListening(started, 20_000, () => stdout);
    } catch (e) {
      started.kill("SIGKILL");
      // Taken between the check above and Azurite's own listen: the same refusal, naming the port.
      const taken = /EADDRINUSE[^\n]*:(\d+)/.exec(stderr + stdout)?.[1];
      const svc = SERVICES.find((x) => String(ports[x.name]) === taken);
      if (svc) throw new PortInUseError(ports[svc.name], svc.label, "PAIE_AZURITE_PORTS");
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
