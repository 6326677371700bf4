import type { Readable } from "node:stream";

import { AppError } from "~/errors";

/** Largest presign lifetime R2 (and S3) accept: 7 days. */
export const MAX_PRESIGN_SECONDS = 7 * 24 * 60 * 60;

export interface PutOptions {
  contentType: string;
  /** Required by nothing, but lets a small stream go up as a single PUT and is checked on disk. */
  contentLength?: number;
}

export interface ObjectInfo {
  contentType: string;
  contentLength: number;
  lastModified?: Date;
}

export interface GetResult extends ObjectInfo {
  /** Must be consumed or destroyed by the caller. */
  stream: Readable;
}

export interface PresignGetOptions {
  /** Seconds, 1 .. 604800 (7 days). */
  expiresIn: number;
  /** Offered as the download file name (Content-Disposition: attachment). */
  filename?: string;
}

/**
 * The only storage surface the rest of the app sees. Keys are validated
 * (see keys.ts); build them with `shopObjectKey`, never from user input.
 */
export interface ObjectStorage {
  readonly kind: "r2" | "disk";
  put(key: string, body: Buffer | Readable, options: PutOptions): Promise<void>;
  /** `null` when the object does not exist. */
  get(key: string): Promise<GetResult | null>;
  /** `null` when the object does not exist. */
  head(key: string): Promise<ObjectInfo | null>;
  /** Deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /**
   * Deletes every object whose key starts with `prefix` and returns how many.
   * The prefix must end with "/" so `shops/a/` can never take `shops/ab/` with it.
   */
  deletePrefix(prefix: string): Promise<number>;
  /** A URL anyone holding it can GET until it expires. */
  presignGet(key: string, options: PresignGetOptions): Promise<string>;
}

export interface R2StorageConfig {
  kind: "r2";
  /** e.g. https://<account>.r2.cloudflarestorage.com */
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  region?: "auto";
  forcePathStyle?: boolean;
  /** Bodies at or above this size go up as multipart (default 16 MiB, min 5 MiB). */
  multipartThresholdBytes?: number;
  /** Multipart part size (default 8 MiB, min 5 MiB: R2 rejects smaller non-final parts). */
  partSizeBytes?: number;
}

export interface DiskStorageConfig {
  kind: "disk";
  /** Directory that holds the objects; created if missing. */
  root: string;
  /** Absolute URL of the route that serves objects, without trailing slash, e.g. https://app.example.com/files */
  publicBaseUrl: string;
  /** HMAC key for presigned URLs; at least 32 characters. */
  signingSecret: string;
}

export type StorageConfig = R2StorageConfig | DiskStorageConfig;

/** The store failed or refused; `message` is for logs, the user is told storage did not answer (503). */
export class StorageError extends AppError {
  override name = "StorageError";
  constructor(message: string, options: { cause?: unknown } = {}) {
    super("STORAGE_UNAVAILABLE", message, {
      status: 503,
      title: "Storage unavailable",
      userMessage: "Lightbox's image storage did not answer. Try again in a moment.",
      retryable: true,
      log: true,
      cause: options.cause,
    });
  }
}

/** A key or prefix that does not match the allowed shape (never a user-facing error). */
export class InvalidStorageKeyError extends StorageError {
  override name = "InvalidStorageKeyError";
}

export function assertPresignSeconds(expiresIn: number): void {
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_PRESIGN_SECONDS) {
    throw new StorageError(`presign expiresIn must be an integer from 1 to ${MAX_PRESIGN_SECONDS} seconds, got ${expiresIn}`);
  }
}

/** RFC 6266 Content-Disposition with an ASCII fallback and a UTF-8 filename*. */
export function attachmentDisposition(filename: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const cleaned = filename.replace(/[\u0000-\u001f\u007f/\\]/g, "_").slice(0, 200) || "download";
  const ascii = cleaned.replace(/[^\x20-\x7e]/g, "_").replace(/["%;]/g, "_");
  const encoded = encodeURIComponent(cleaned).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
