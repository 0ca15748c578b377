/**
 * The local stack's fixed ports: a port already held (typically by the Azurite or the host of a previous
 * `npm start` that was killed) is refused with a French message naming it, before anything is started — attaching to
 * a stranger's storage would run with another data key and fail later, far from the cause.
 */
import { createServer } from "node:net";

export class PortInUseError extends Error {
  override readonly name = "PortInUseError";
  constructor(
    readonly port: number,
    readonly what: string,
    readonly setting: string,
  ) {
    super(
      `Le port ${port} (${what}) est déjà occupé par un autre processus — sans doute une pile locale précédente restée active ` +
        `(« ss -ltnp 'sport = :${port}' » le montre) : arrêtez-le, ou choisissez un autre port avec ${setting}.`,
    );
  }
}

/** Resolves when nobody listens on 127.0.0.1:port; rejects with PortInUseError otherwise. */
export function assertPortFree(port: number, what: string, setting: string, host = "127.0.0.1"): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once("error", (e: NodeJS.ErrnoException) => reject(e.code === "EADDRINUSE" ? new PortInUseError(port, what, setting) : e));
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
