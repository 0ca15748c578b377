/**
 * Generated documents in Blob storage, at deterministic paths:
 *   companies/{companyId}/{period}/v{version}/payslips/{employeeId}.pdf
 *   companies/{companyId}/{period}/v{version}/{journal|charges|provision}.{pdf|csv|xlsx}, …/dsm.xml
 * Regenerating a version overwrites the same blobs; a new version never touches the previous one's.
 * Every blob carries its sha256 in metadata, checked again on read.
 */
import type { ContainerClient } from "@azure/storage-blob";
import type { Storage } from "./config.ts";
import { StorageError, statusOf } from "./errors.ts";
import { sha256Hex } from "./hash.ts";
import { assertCompanyId, assertEmployeeId, assertPeriod } from "./keys.ts";

export type DocumentRef =
  | { kind: "payslip"; employeeId: string }
  | { kind: "journal"; format: "pdf" | "csv" | "xlsx" }
  | { kind: "charges"; format: "pdf" | "xlsx" }
  | { kind: "provision"; format: "pdf" | "xlsx" }
  | { kind: "dsm" };

export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  pdf: "application/pdf",
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  xml: "application/xml",
  json: "application/json",
};

export function versionPrefix(companyId: string, period: string, version: number): string {
  assertCompanyId(companyId);
  assertPeriod(period);
  if (!Number.isInteger(version) || version < 1) throw new StorageError("codec", `Version de document invalide : ${version}.`);
  return `companies/${companyId}/${period}/v${version}/`;
}

export function documentPath(companyId: string, period: string, version: number, doc: DocumentRef): string {
  const prefix = versionPrefix(companyId, period, version);
  switch (doc.kind) {
    case "payslip":
      assertEmployeeId(doc.employeeId);
      return `${prefix}payslips/${doc.employeeId}.pdf`;
    case "dsm":
      return `${prefix}dsm.xml`;
    default:
      return `${prefix}${doc.kind}.${doc.format}`;
  }
}

export function contentTypeOf(path: string): string {
  const ext = path.slice(path.lastIndexOf(".") + 1).toLowerCase();
  return CONTENT_TYPES[ext] ?? "application/octet-stream";
}

export interface StoredBlob {
  path: string;
  size: number;
  contentType: string;
  sha256: string;
}

export function blobStore(storage: Storage, container: ContainerClient = storage.blobService.getContainerClient(storage.documentsContainer)) {
  const store = {
    container,
    async put(path: string, bytes: Uint8Array, contentType = contentTypeOf(path)): Promise<StoredBlob> {
      const sha256 = sha256Hex(bytes);
      await container.getBlockBlobClient(path).uploadData(bytes, {
        blobHTTPHeaders: { blobContentType: contentType },
        metadata: { sha256 },
      });
      return { path, size: bytes.byteLength, contentType, sha256 };
    },
    /** The blob's bytes, or undefined if absent; StorageError("corrupt") if its sha256 no longer matches. */
    async get(path: string): Promise<(StoredBlob & { bytes: Buffer }) | undefined> {
      const client = container.getBlockBlobClient(path);
      try {
        const response = await client.download();
        const chunks: Buffer[] = [];
        for await (const chunk of response.readableStreamBody as AsyncIterable<Buffer>) chunks.push(chunk);
        const bytes = Buffer.concat(chunks);
        const sha256 = sha256Hex(bytes);
        const expected = response.metadata?.sha256;
        if (expected && expected !== sha256) {
          throw new StorageError(
            "corrupt",
            `Document altéré « ${path} » (conteneur « ${container.containerName} ») : empreinte sha256 différente de celle enregistrée.`,
          );
        }
        return { path, size: bytes.byteLength, contentType: response.contentType ?? contentTypeOf(path), sha256, bytes };
      } catch (e) {
        if (statusOf(e) === 404) return undefined;
        throw e;
      }
    },
    async list(prefix = ""): Promise<StoredBlob[]> {
      const out: StoredBlob[] = [];
      for await (const item of container.listBlobsFlat({ prefix, includeMetadata: true })) {
        out.push({
          path: item.name,
          size: item.properties.contentLength ?? 0,
          contentType: item.properties.contentType ?? contentTypeOf(item.name),
          sha256: item.metadata?.sha256 ?? "",
        });
      }
      return out;
    },
    /** True if a blob was deleted. */
    async delete(path: string): Promise<boolean> {
      const response = await container.getBlockBlobClient(path).deleteIfExists();
      return response.succeeded;
    },
    async deletePrefix(prefix: string): Promise<number> {
      let n = 0;
      for (const blob of await store.list(prefix)) if (await store.delete(blob.path)) n++;
      return n;
    },
  };
  return store;
}
export type BlobStore = ReturnType<typeof blobStore>;
