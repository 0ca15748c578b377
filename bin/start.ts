/**
 * `npm start`: the local stack for development — Azurite on fixed ports, the function host on :7071 with its timers,
 * the demo company seeded, and the add-in's dev server (webpack serve on :3000). Ctrl+C stops everything.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { startLocalStack } from "../functions/host/local-stack.ts";
import { readCorsOrigins } from "../functions/host/cors.ts";
import { demoStaff } from "./demo.ts";

const ROOT = path.resolve(import.meta.dirname, "..");

/** Fixed ports so Storage Explorer can stay connected across restarts; PAIE_AZURITE_PORTS="blob,queue,table" to move them. */
function azuritePorts(setting: string | undefined): { blob: number; queue: number; table: number } {
  const [blob, queue, table] = (setting ?? "10100,10101,10102").split(",").map(Number);
  if (![blob, queue, table].every((p) => Number.isInteger(p) && p! > 0 && p! < 65536)) throw new Error(`PAIE_AZURITE_PORTS invalide : « ${setting} » (trois ports séparés par des virgules)`);
  return { blob: blob!, queue: queue!, table: table! };
}

export async function start(args: string[], out: (line: string) => void): Promise<number> {
  const noAddin = args.includes("--no-addin");
  const outbox = path.join(ROOT, "outbox");
  mkdirSync(outbox, { recursive: true });
  const stack = await startLocalStack({
    outbox,
    port: Number(process.env.PAIE_PORT ?? 7071),
    timers: true,
    corsOrigins: readCorsOrigins(process.env),
    azuritePorts: azuritePorts(process.env.PAIE_AZURITE_PORTS),
    log: (l) => out(l),
  });
  const company = JSON.parse(readFileSync(path.join(ROOT, "samples/demo-company.json"), "utf8")).company;
  const put = (route: string, body: unknown) =>
    fetch(`${stack.host.url}/api/${route}`, { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const seeded = await put(`companies/${company.id}`, company);
  if (!seeded.ok) out(`Société de démonstration non créée : ${seeded.status}`);
  const workbook = JSON.parse(readFileSync(path.join(ROOT, "samples/demo-workbook-2025-08.json"), "utf8"));
  const staff = await put(`companies/${company.id}/employees`, demoStaff(workbook.employees));
  if (!staff.ok) out(`Salariés de démonstration non créés : ${staff.status}`);
  out("Paie Monaco — pile locale démarrée");
  out(`  API des fonctions   ${stack.host.url}/api/health`);
  out(`  Azurite (tables)    http://127.0.0.1:${stack.azurite.tablePort}  (blobs :${stack.azurite.blobPort})`);
  out(`  Boîte d'envoi .eml  ${outbox}`);
  out(`  Société de démo     ${company.id} (${company.name}), ${workbook.employees.length - 1} salariés ; classeur d'exemple : samples/demo-workbook-2025-08.json`);
  let child: ReturnType<typeof spawn> | undefined;
  if (!noAddin) {
    child = spawn(process.execPath, [path.join(ROOT, "node_modules/webpack/bin/webpack.js"), "serve", "--mode", "development"], { cwd: ROOT, stdio: "inherit" });
    out("  Complément Excel    https://localhost:3000/taskpane.html (manifest.xml à charger dans Excel)");
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  child?.kill("SIGTERM");
  await stack.stop();
  return 0;
}
