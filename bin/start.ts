/**
 * `npm start`: the local stack for development — Azurite on fixed ports persisting into the local data folder, the
 * function host on :7071 with its timers, the demo company seeded, and the add-in's dev server (webpack serve on
 * :3000). Ctrl+C stops everything; the children also end when this process is killed (functions/host/tied-child.mjs),
 * and under npm this process ends when npm does. Ports already held are refused, naming the port.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { TIED_CHILD } from "../functions/host/azurite.ts";
import { readCorsOrigins } from "../functions/host/cors.ts";
import { type LocalStack, startLocalStack } from "../functions/host/local-stack.ts";
import { demoStaff } from "./demo.ts";

const ROOT = path.resolve(import.meta.dirname, "..");

/** Fixed ports so Storage Explorer can stay connected across restarts; PAIE_AZURITE_PORTS="blob,queue,table" to move them. */
function azuritePorts(setting: string | undefined): { blob: number; queue: number; table: number } {
  const [blob, queue, table] = (setting ?? "10100,10101,10102").split(",").map(Number);
  if (![blob, queue, table].every((p) => Number.isInteger(p) && p! > 0 && p! < 65536))
    throw new Error(`PAIE_AZURITE_PORTS invalide : « ${setting} » (trois ports séparés par des virgules)`);
  return { blob: blob!, queue: queue!, table: table! };
}

/** The reason a seeding request failed, from the API's French error when there is one. */
async function refusal(res: Response): Promise<string> {
  const text = await res.text().catch(() => "");
  try {
    const message = (JSON.parse(text) as { error?: { message?: string } }).error?.message;
    if (message) return `${res.status} ${message}`;
  } catch {
    // not JSON
  }
  return `${res.status} ${text.slice(0, 200)}`;
}

/** npm runs this under its own process: when npm is killed (even -9), this process is re-parented and ends too. */
function endWithNpm(stop: () => void): void {
  if (!process.env.npm_lifecycle_event) return;
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop();
  }, 500).unref();
}

export async function start(args: string[], out: (line: string) => void): Promise<number> {
  const noAddin = args.includes("--no-addin");
  const outbox = path.join(ROOT, "outbox");
  const dataDir = path.resolve(process.env.PAIE_LOCAL_DATA || path.join(ROOT, ".paie-local"));
  mkdirSync(outbox, { recursive: true });
  let stack: LocalStack;
  try {
    stack = await startLocalStack({
      outbox,
      port: Number(process.env.PAIE_PORT ?? 7071),
      timers: true,
      corsOrigins: readCorsOrigins(process.env),
      azuritePorts: azuritePorts(process.env.PAIE_AZURITE_PORTS),
      dataDir,
      log: (l) => out(l),
    });
  } catch (e) {
    out(`Pile locale non démarrée : ${(e as Error).message}`);
    return 1;
  }
  const company = JSON.parse(readFileSync(path.join(ROOT, "samples/demo-company.json"), "utf8")).company;
  const put = (route: string, body: unknown) =>
    fetch(`${stack.host.url}/api/${route}`, { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const workbook = JSON.parse(readFileSync(path.join(ROOT, "samples/demo-workbook-2025-08.json"), "utf8"));
  const seeded = await put(`companies/${company.id}`, company);
  const staff = seeded.ok ? await put(`companies/${company.id}/employees`, demoStaff(workbook.employees)) : undefined;
  if (!seeded.ok || !staff?.ok) {
    // A stack that cannot write its own demo data is not "started": say why and stop.
    out(!seeded.ok ? `Société de démonstration non créée : ${await refusal(seeded)}` : `Salariés de démonstration non créés : ${await refusal(staff!)}`);
    await stack.stop();
    out("Pile locale non démarrée.");
    return 1;
  }
  out("Paie Monaco — pile locale démarrée");
  out(`  API des fonctions   ${stack.host.url}/api/health`);
  out(`  Azurite (tables)    http://127.0.0.1:${stack.azurite.tablePort}  (blobs :${stack.azurite.blobPort})`);
  out(`  Données locales     ${dataDir}  (PAIE_LOCAL_DATA ; clé des données personnelles dans ${path.join(dataDir, "data-key.json")})`);
  out(`  Boîte d'envoi .eml  ${outbox}`);
  out(
    `  Société de démo     ${company.id} (${company.name}), ${workbook.employees.length - 1} salariés ; classeur d'exemple : samples/demo-workbook-2025-08.json`,
  );
  let child: ReturnType<typeof spawn> | undefined;
  if (!noAddin) {
    // Under the same watchdog as Azurite: the dev server must not outlive this process and keep :3000.
    child = spawn(process.execPath, [TIED_CHILD, path.join(ROOT, "node_modules/webpack/bin/webpack.js"), "serve", "--mode", "development"], {
      cwd: ROOT,
      stdio: ["pipe", "inherit", "inherit"],
    });
    out("  Complément Excel    https://localhost:3000/taskpane.html (manifest.xml à charger dans Excel)");
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    endWithNpm(stop);
  });
  child?.kill("SIGTERM");
  await stack.stop();
  return 0;
}
