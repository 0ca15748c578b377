/**
 * `npm start`: the local stack for development — Azurite on fixed ports persisting into the local data folder (kept
 * between restarts; `--fresh` empties it first), the function host on :7071 with its timers, the demo company seeded
 * when absent, and the add-in's dev server (webpack serve over https on :3000 with a locally made certificate,
 * bin/dev-cert.ts; its URL is printed once it answers). It prints the identity the API runs as (admin@local, or
 * PAIE_DEV_IDENTITY=operator@local). Ctrl+C stops everything; the children also end when this process is killed (functions/host/tied-child.mjs),
 * and under npm this process ends when npm does. Ports already held are refused, naming the port.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { request } from "node:https";
import path from "node:path";
import { TIED_CHILD } from "../functions/host/azurite.ts";
import { readCorsOrigins } from "../functions/host/cors.ts";
import { type LocalStack, startLocalStack } from "../functions/host/local-stack.ts";
import { demoStaff } from "./demo.ts";
import { type DevCertificate, ensureDevCertificate } from "./dev-cert.ts";

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

/** Resolves true once `url` answers 200 over https trusting only `cert` (the URL printed is one that works). */
async function answers(url: string, cert: DevCertificate, timeoutMs: number): Promise<boolean> {
  const ca = readFileSync(cert.cert);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const req = request(url, { ca, timeout: 2000 }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on("error", () => resolve(false));
      req.on("timeout", () => req.destroy());
      req.end();
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

const IDENTITIES: Record<string, string> = {
  "admin@local": "administrateur (Payroll.Admin), toutes les sociétés",
  "operator@local": "gestionnaire (Payroll.Operator), sociétés accordées seulement",
};

export async function start(args: string[], out: (line: string) => void): Promise<number> {
  const noAddin = args.includes("--no-addin");
  const fresh = args.includes("--fresh");
  const unknown = args.filter((a) => a !== "--no-addin" && a !== "--fresh");
  if (unknown.length > 0) {
    out(`Option inconnue : ${unknown.join(" ")} (options : --fresh, --no-addin)`);
    return 1;
  }
  const identity = (process.env.PAIE_DEV_IDENTITY || "admin@local").toLowerCase();
  if (!IDENTITIES[identity]) {
    out(`PAIE_DEV_IDENTITY invalide : « ${process.env.PAIE_DEV_IDENTITY} » (admin@local ou operator@local)`);
    return 1;
  }
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
      freshData: fresh,
      identity: identity as "admin@local" | "operator@local",
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
  // Kept data is not overwritten on restart: the demo company is seeded only when it is not there yet.
  const existing = await fetch(`${stack.host.url}/api/companies/${company.id}`);
  await existing.body?.cancel();
  // An operator may not create companies (the API refuses him, as in Azure): he gets the stack as it is.
  const operator = identity === "operator@local";
  const seed = existing.status === 404 && !operator;
  const seeded = seed ? await put(`companies/${company.id}`, company) : existing;
  const staff = seed && seeded.ok ? await put(`companies/${company.id}/employees`, demoStaff(workbook.employees)) : seeded;
  if (!operator && (!seeded.ok || !staff?.ok)) {
    // A stack that cannot write its own demo data is not "started": say why and stop.
    out(!seeded.ok ? `Société de démonstration non créée : ${await refusal(seeded)}` : `Salariés de démonstration non créés : ${await refusal(staff!)}`);
    await stack.stop();
    out("Pile locale non démarrée.");
    return 1;
  }
  out("Paie Monaco — pile locale démarrée");
  out(`  API des fonctions   ${stack.host.url}/api/health`);
  out(`  Azurite (tables)    http://127.0.0.1:${stack.azurite.tablePort}  (blobs :${stack.azurite.blobPort})`);
  out(`  Identité            ${identity} — ${IDENTITIES[identity]} (développement local, sans jeton)`);
  out(
    `  Données locales     ${dataDir}  (${fresh ? "repartie de zéro (--fresh)" : "conservées entre deux démarrages ; --fresh pour repartir de zéro"} ; PAIE_LOCAL_DATA ; clé des données personnelles dans ${path.join(dataDir, "data-key.json")})`,
  );
  out(`  Boîte d'envoi .eml  ${outbox}`);
  out(
    `  Société de démo     ${company.id} (${company.name})${seed ? `, créée avec ${workbook.employees.length - 1} salariés` : existing.ok ? ", déjà présente (conservée)" : " non créée : un gestionnaire ne crée pas de société (démarrez une fois en admin@local)"} ; classeur d'exemple : samples/demo-workbook-2025-08.xlsx`,
  );
  let child: ReturnType<typeof spawn> | undefined;
  if (!noAddin) {
    let cert: DevCertificate;
    try {
      cert = ensureDevCertificate(process.env.PAIE_DEV_CERT_DIR || path.join(dataDir, "certs"));
    } catch (e) {
      out((e as Error).message);
      await stack.stop();
      return 1;
    }
    // Under the same watchdog as Azurite: the dev server must not outlive this process and keep :3000.
    child = spawn(
      process.execPath,
      [
        TIED_CHILD,
        path.join(ROOT, "node_modules/webpack/bin/webpack.js"),
        "serve",
        "--mode",
        "development",
        "--server-type",
        "https",
        "--server-options-key",
        cert.key,
        "--server-options-cert",
        cert.cert,
      ],
      { cwd: ROOT, stdio: ["pipe", "inherit", "inherit"] },
    );
    const url = "https://localhost:3000/taskpane.html";
    out(
      `  Certificat https    ${cert.cert} (${cert.created ? "créé" : "réutilisé"}, valable jusqu'au ${cert.notAfter.toLocaleDateString("fr-FR")}, SHA-256 ${cert.fingerprint})`,
    );
    out("  Complément Excel    compilation du volet en cours…");
    void answers(url, cert, 180_000).then((ok) =>
      out(
        ok
          ? `  Complément Excel    prêt : ${url} — chargez manifest.xml dans Excel (README « Charger le complément »)`
          : `  Complément Excel    ${url} ne répond pas après 3 minutes : voir la sortie de webpack ci-dessus`,
      ),
    );
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
