/** The one way a document code leaves the server: a PDF attachment, never cached. */
import type { HttpResponseInit } from "@azure/functions";

export const pdf = (bytes: Uint8Array, name: string, headers: Record<string, string> = {}): HttpResponseInit => ({
  status: 200,
  body: bytes,
  headers: { "Content-Type": "application/pdf", "Content-Disposition": `attachment; filename="${name}"`, "Cache-Control": "private, no-store", ...headers },
});
