import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { Readable } from "node:stream";

import { assertValidKey, assertValidPrefix } from "./keys";
import {
  assertPresignSeconds,
  attachmentDisposition,
  StorageError,
  type GetResult,
  type ObjectInfo,
  type ObjectStorage,
  type PresignGetOptions,
  type PutOptions,
  type R2StorageConfig,
} from "./types";

const MIB = 1024 * 1024;
/** R2 (like S3) rejects non-final multipart parts below 5 MiB. */
export const MIN_PART_SIZE = 5 * MIB;
const DEFAULT_PART_SIZE = 8 * MIB;
const DEFAULT_MULTIPART_THRESHOLD = 16 * MIB;
const DELETE_BATCH = 1000;

/**
 * Header (and presign query) names R2 does not support; any request carrying one is a bug.
 * The client refuses to send them (see `r2HeaderGuard`), and tests check the wire.
 */
export const R2_FORBIDDEN_HEADER = /^x-amz-(acl|grant-|tagging|server-side-encryption|object-lock)/i;

export function createR2Storage(config: R2StorageConfig): ObjectStorage {
  const partSize = Math.max(MIN_PART_SIZE, config.partSizeBytes ?? DEFAULT_PART_SIZE);
  const threshold = Math.max(MIN_PART_SIZE, config.multipartThresholdBytes ?? DEFAULT_MULTIPART_THRESHOLD);
  const bucket = config.bucket;
  const client = createR2Client(config);

  async function singlePut(key: string, body: Buffer | Readable, options: PutOptions, length: number) {
    await client.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: options.contentType, ContentLength: length }),
    );
  }

  async function multipartPut(key: string, body: Buffer | Readable, options: PutOptions) {
    const upload = new Upload({
      client,
      params: { Bucket: bucket, Key: key, Body: body, ContentType: options.contentType },
      partSize,
      queueSize: 2,
      leavePartsOnError: false, // abort the upload so no orphaned parts are billed
    });
    await upload.done();
  }

  return {
    kind: "r2",

    async put(key: string, body: Buffer | Readable, options: PutOptions): Promise<void> {
      assertValidKey(key);
      if (Buffer.isBuffer(body)) {
        if (options.contentLength !== undefined && options.contentLength !== body.length) {
          throw new StorageError(`body was ${body.length} bytes but contentLength said ${options.contentLength}`);
        }
        if (body.length < threshold) return singlePut(key, body, options, body.length);
        return multipartPut(key, body, options);
      }
      if (options.contentLength !== undefined && options.contentLength < threshold) {
        return singlePut(key, body, options, options.contentLength);
      }
      // Unknown or large length: lib-storage buffers one part at a time (single PUT if it all fits in one).
      return multipartPut(key, body, options);
    },

    async get(key: string): Promise<GetResult | null> {
      assertValidKey(key);
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        if (!(out.Body instanceof Readable)) throw new StorageError("R2 returned a body that is not a Node stream");
        return {
          stream: out.Body,
          contentType: out.ContentType ?? "application/octet-stream",
          contentLength: out.ContentLength ?? 0,
          lastModified: out.LastModified,
        };
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },

    async head(key: string): Promise<ObjectInfo | null> {
      assertValidKey(key);
      try {
        const out = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return {
          contentType: out.ContentType ?? "application/octet-stream",
          contentLength: out.ContentLength ?? 0,
          lastModified: out.LastModified,
        };
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },

    async delete(key: string): Promise<void> {
      assertValidKey(key);
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },

    async deletePrefix(prefix: string): Promise<number> {
      assertValidPrefix(prefix);
      // List the first page, delete it, list again from the start: no continuation token has to
      // survive the deletions, and R2 listings are strongly consistent. A key that reappears
      // after R2 said it was deleted means no progress: stop rather than loop.
      const deletedKeys = new Set<string>();
      for (;;) {
        const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: DELETE_BATCH }));
        const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : []));
        if (keys.length === 0) break;
        const again = keys.find((key) => deletedKeys.has(key));
        if (again) throw new StorageError(`R2 still lists ${again} after deleting it; giving up on ${prefix}`);
        const out = await client.send(
          new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }),
        );
        if (out.Errors && out.Errors.length > 0) {
          const first = out.Errors[0];
          throw new StorageError(
            `R2 refused to delete ${out.Errors.length} of ${keys.length} objects under ${prefix} (first: ${first?.Key} ${first?.Code} ${first?.Message})`,
          );
        }
        for (const key of keys) deletedKeys.add(key);
        if (!page.IsTruncated) break;
      }
      return deletedKeys.size;
    },

    async presignGet(key: string, options: PresignGetOptions): Promise<string> {
      assertValidKey(key);
      assertPresignSeconds(options.expiresIn);
      const command = new GetObjectCommand({
        Bucket: bucket,
        Key: key,
        ResponseContentDisposition: options.filename === undefined ? undefined : attachmentDisposition(options.filename),
      });
      return getSignedUrl(client, command, { expiresIn: options.expiresIn });
    },
  };
}

/** Exported for tests and for tooling that needs the same wire behaviour. */
export function createR2Client(config: R2StorageConfig): S3Client {
  const clientConfig: S3ClientConfig = {
    region: config.region ?? "auto",
    endpoint: config.endpoint,
    forcePathStyle: config.forcePathStyle,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    // SDK >= 3.729 would add CRC32 checksums; R2 rejects those on presigned PUTs.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  };
  const client = new S3Client(clientConfig);
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string>; query?: Record<string, unknown> };
      const names = [...Object.keys(request.headers ?? {}), ...Object.keys(request.query ?? {})];
      const bad = names.find((name) => R2_FORBIDDEN_HEADER.test(name));
      if (bad) throw new StorageError(`refusing to send ${bad} to R2: it does not support it`);
      return next(args);
    },
    { step: "finalizeRequest", name: "r2HeaderGuard", priority: "high", override: true },
  );
  return client;
}

function isNotFound(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === "NoSuchKey" || e.name === "NotFound" || e.$metadata?.httpStatusCode === 404;
}
