/**
 * The development HTTPS certificate of `npm start`: Office loads a task pane only over https, so the dev server needs
 * a certificate for localhost. Made once per local data folder with openssl (installed by tests/setup.sh; no npm
 * package generates X.509 certificates as simply) and reused until 7 days before it expires. It is self-signed: the
 * browser or Excel must be told to trust it (README "Sideloading"), or on a Windows workstation use
 * `npx office-addin-dev-certs install`, whose CA is trusted by the system, and point PAIE_DEV_CERT_DIR at its folder.
 */
import { spawnSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";

export interface DevCertificate {
  key: string;
  cert: string;
  /** sha256 fingerprint, printed so a person can compare it with what the browser shows. */
  fingerprint: string;
  notAfter: Date;
  created: boolean;
}

const RENEW_MS = 7 * 24 * 3600 * 1000;

function usable(certFile: string, keyFile: string, now: Date): X509Certificate | undefined {
  if (!existsSync(certFile) || !existsSync(keyFile)) return undefined;
  try {
    const x509 = new X509Certificate(readFileSync(certFile));
    if (new Date(x509.validTo).getTime() - now.getTime() < RENEW_MS) return undefined;
    if (!x509.checkHost("localhost")) return undefined;
    return x509;
  } catch {
    return undefined;
  }
}

export function ensureDevCertificate(dir: string, now = new Date()): DevCertificate {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = path.join(dir, "localhost.key");
  const cert = path.join(dir, "localhost.crt");
  let x509 = usable(cert, key, now);
  const created = !x509;
  if (!x509) {
    const r = spawnSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-sha256",
        "-days",
        "365",
        "-subj",
        "/CN=localhost/O=Paie Monaco (développement)",
        "-addext",
        "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1",
        "-addext",
        "extendedKeyUsage=serverAuth",
        "-keyout",
        key,
        "-out",
        cert,
      ],
      { encoding: "utf8" },
    );
    if (r.error || r.status !== 0)
      throw new Error(
        `Certificat https de développement non créé : ${r.error ? "openssl introuvable (sudo apt-get install openssl)" : (r.stderr || "").trim().split("\n").at(-1)}`,
      );
    // Checked against the real clock: `now` only decides whether a kept certificate is renewed.
    x509 = usable(cert, key, new Date());
    if (!x509) throw new Error(`Certificat https de développement illisible après sa création : ${cert}`);
  }
  return { key, cert, fingerprint: x509.fingerprint256, notAfter: new Date(x509.validTo), created };
}
