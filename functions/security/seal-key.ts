/**
 * The certificate and private key that seal the payslips (functions/documents/seal.ts), read from configuration:
 *
 *   PAIE_SEAL_PEM        one PEM holding the private key and the certificate chain (signer first) — the form in which
 *                        Key Vault exposes a certificate as a secret (content type application/x-pem-file), so in
 *                        Azure it is a Key Vault reference to the certificate: @Microsoft.KeyVault(…;SecretName=paie-seal)
 *   or PAIE_SEAL_CERT_PEM (the chain, signer first) and PAIE_SEAL_KEY_PEM (PKCS#8, or PKCS#1 / SEC 1, unencrypted)
 *
 * Like the data keys, the key is never in code, in the repository or in storage. Errors name the setting and never
 * print key material. Read lazily (first document sealed), so a host without documents to seal does not need it; a
 * missing or wrong seal refuses the sealing — nothing is ever mailed or stored unsealed.
 *
 * `ephemeralSealKey` makes a self-signed test certificate (ECDSA P-256, 30 days) for the local stack, the demo and
 * the tests. Why @peculiar/x509 1.14.3: a maintained X.509 builder on Web Crypto (node:crypto has no certificate
 * generation), from the same authors as the ASN.1 modules the CMS signer uses.
 */
import { createPrivateKey, type KeyObject, webcrypto, X509Certificate } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { assertKeyMatchesCertificate, type SigningKey } from "../documents/cms.ts";

export type Env = Record<string, string | undefined>;

export class SealKeyConfigError extends Error {
  override readonly name = "SealKeyConfigError";
}

export interface SealKey extends SigningKey {
  /** The signer's subject, for logs and the README (no secret). */
  subject: string;
  notAfter: Date;
}

const BLOCK = /-----BEGIN ([A-Z ]+)-----([\s\S]*?)-----END \1-----/g;

/** App Settings sometimes carry PEMs with literal "\n": accept both. */
const unescapePem = (pem: string) => pem.replace(/\\n/g, "\n").trim();

function blocks(pem: string): { label: string; der: Buffer; text: string }[] {
  return [...unescapePem(pem).matchAll(BLOCK)].map((m) => ({ label: m[1]!, der: Buffer.from(m[2]!.replace(/\s+/g, ""), "base64"), text: m[0] }));
}

export function parseSealKey(certificatePem: string, keyPem: string, settings: { cert: string; key: string }, now = new Date()): SealKey {
  const certs = blocks(certificatePem).filter((b) => b.label === "CERTIFICATE");
  if (certs.length === 0) throw new SealKeyConfigError(`${settings.cert} ne contient aucun certificat PEM (-----BEGIN CERTIFICATE-----).`);
  const keyBlock = blocks(keyPem).find((b) => /PRIVATE KEY$/.test(b.label));
  if (!keyBlock) throw new SealKeyConfigError(`${settings.key} ne contient aucune clé privée PEM (-----BEGIN PRIVATE KEY-----).`);
  if (keyBlock.label === "ENCRYPTED PRIVATE KEY")
    throw new SealKeyConfigError(`${settings.key} : clé privée chiffrée par mot de passe non prise en charge ; Key Vault la fournit en clair au service.`);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(keyBlock.text);
  } catch {
    throw new SealKeyConfigError(`${settings.key} : clé privée illisible (PKCS#8, PKCS#1 ou SEC 1 en PEM attendu).`);
  }
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(certs[0]!.der);
    for (const c of certs.slice(1)) new X509Certificate(c.der);
  } catch {
    throw new SealKeyConfigError(`${settings.cert} : certificat illisible.`);
  }
  const key: SealKey = {
    certificates: certs.map((c) => new Uint8Array(c.der)),
    privateKey,
    subject: leaf.subject.replace(/\n/g, ", "),
    notAfter: new Date(leaf.validTo),
  };
  try {
    assertKeyMatchesCertificate(key);
  } catch (e) {
    throw new SealKeyConfigError((e as Error).message);
  }
  if (key.notAfter.getTime() <= now.getTime()) {
    throw new SealKeyConfigError(
      `${settings.cert} : le certificat de scellement a expiré le ${key.notAfter.toISOString().slice(0, 10)} ; un sceau fait avec lui serait refusé par les lecteurs PDF.`,
    );
  }
  return key;
}

/** Reads the seal from the settings above; throws a French error naming the setting when missing or wrong. */
export function readSealKey(env: Env = process.env, now = new Date()): SealKey {
  const both = env.PAIE_SEAL_PEM?.trim();
  if (both) return parseSealKey(both, both, { cert: "PAIE_SEAL_PEM", key: "PAIE_SEAL_PEM" }, now);
  const cert = env.PAIE_SEAL_CERT_PEM?.trim();
  const key = env.PAIE_SEAL_KEY_PEM?.trim();
  if (!cert || !key) {
    throw new SealKeyConfigError(
      "Scellement des bulletins non configuré : définissez PAIE_SEAL_PEM (clé et certificat, référence Key Vault au certificat dans Azure), ou PAIE_SEAL_CERT_PEM et PAIE_SEAL_KEY_PEM.",
    );
  }
  return parseSealKey(cert, key, { cert: "PAIE_SEAL_CERT_PEM", key: "PAIE_SEAL_KEY_PEM" }, now);
}

/** The seal read on first use and kept; a configuration error is raised at each use until fixed. */
export function lazySealKey(env: Env = process.env): () => SealKey {
  let key: SealKey | undefined;
  return () => (key ??= readSealKey(env));
}

/** A self-signed ECDSA P-256 test certificate valid 30 days, and the settings that carry it. Never for production. */
export async function ephemeralSealKey(
  commonName = "Cachet de test Paie Monaco",
): Promise<{ key: SealKey; env: { PAIE_SEAL_CERT_PEM: string; PAIE_SEAL_KEY_PEM: string } }> {
  // Real time, not a test clock: readers and readSealKey judge validity against the actual date.
  const now = new Date();
  const algorithm = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ["sign", "verify"]);
  const escaped = commonName.replace(/[,+"\\<>;=]/g, " ");
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(8)))
        .toString("hex")
        .replace(/^[89a-f]/, "1"),
      name: `CN=${escaped}, O=Test (non valable), C=MC`,
      notBefore: new Date(now.getTime() - 60_000),
      notAfter: new Date(now.getTime() + 30 * 24 * 3600_000),
      signingAlgorithm: algorithm,
      keys,
      extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true)],
    },
    webcrypto as unknown as Crypto,
  );
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", keys.privateKey)).toString("base64");
  const env = {
    PAIE_SEAL_CERT_PEM: cert.toString("pem"),
    PAIE_SEAL_KEY_PEM: `-----BEGIN PRIVATE KEY-----\n${pkcs8.replace(/(.{64})/g, "$1\n")}\n-----END PRIVATE KEY-----\n`,
  };
  return { key: readSealKey(env, now), env };
}
