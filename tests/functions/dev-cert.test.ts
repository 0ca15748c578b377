/** The https certificate of `npm start`'s add-in server (bin/dev-cert.ts): made once, reused, renewed before expiry, trusted for localhost. */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer, request } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { ensureDevCertificate } from "../../bin/dev-cert.ts";

test("the dev certificate is made once, reused, renewed within 7 days of expiry, and serves https://localhost to a client trusting it", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "dev-cert-"));
  const first = ensureDevCertificate(dir);
  assert.equal(first.created, true);
  const again = ensureDevCertificate(dir);
  assert.equal(again.created, false);
  assert.equal(again.fingerprint, first.fingerprint);
  const late = ensureDevCertificate(dir, new Date(first.notAfter.getTime() - 3 * 24 * 3600 * 1000));
  assert.equal(late.created, true, "renewed when it expires within a week");
  assert.notEqual(late.fingerprint, first.fingerprint);
  const server = createServer({ key: readFileSync(late.key), cert: readFileSync(late.cert) }, (_req, res) => res.end("ok"));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  try {
    const get = (ca: Buffer | undefined) =>
      new Promise<string>((resolve, reject) => {
        const req = request({ host: "127.0.0.1", servername: "localhost", port, path: "/", ...(ca ? { ca } : {}) }, (res) => {
          let body = "";
          res.on("data", (d) => (body += d));
          res.on("end", () => resolve(body));
        });
        req.on("error", reject);
        req.end();
      });
    assert.equal(await get(readFileSync(late.cert)), "ok");
    await assert.rejects(get(undefined), /self-signed|self signed/, "without trusting it, the certificate is refused");
  } finally {
    server.close();
  }
});
