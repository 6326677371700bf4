import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createStorage, StorageError, type ObjectStorage } from "~/storage/index.server";
import { createR2Client } from "~/storage/r2.server";

import { storageContract } from "./support/contract";
import { checksumQueryParams, forbiddenR2Headers, startS3rver, type S3rverHarness } from "./support/s3rver-harness";

const MIB = 1024 * 1024;

function r2Config(h: S3rverHarness) {
  return {
    kind: "r2" as const,
    endpoint: h.endpoint,
    bucket: h.bucket,
    accessKeyId: h.accessKeyId,
    secretAccessKey: h.secretAccessKey,
    forcePathStyle: true,
    multipartThresholdBytes: 5 * MIB,
    partSizeBytes: 5 * MIB,
  };
}

// The contract suite, against a real s3rver behind a recording proxy. The wire checks below
// look at every request the contract run produced.
let contractHarness: S3rverHarness | undefined;
storageContract("r2 (s3rver)", async () => {
  const h = await startS3rver();
  contractHarness = h;
  return { storage: createStorage(r2Config(h)), close: () => h.close() };
});

describe("R2 backend on the wire", () => {
  let h: S3rverHarness;
  let storage: ObjectStorage;

  beforeAll(async () => {
    h = await startS3rver("wire-bucket");
    storage = createStorage(r2Config(h));
  });
  afterAll(async () => {
    await h?.close();
  });

  it("uploads a >5 MiB object as multipart with parts of at least 5 MiB", async () => {
    const body = randomBytes(12 * MIB + 7);
    const key = "shops/s1/generated/g1/original.png";
    const before = h.requests.length;
    await storage.put(key, body, { contentType: "image/png" });
    const sent = h.requests.slice(before);

    const create = sent.filter((r) => r.method === "POST" && /[?&]uploads(=|&|$)/.test(r.url));
    const parts = sent.filter((r) => r.method === "PUT" && /[?&]partNumber=/.test(r.url));
    const complete = sent.filter((r) => r.method === "POST" && /[?&]uploadId=/.test(r.url));
    expect(create).toHaveLength(1);
    expect(complete).toHaveLength(1);
    expect(parts).toHaveLength(3);
    const sizes = parts
      .map((p) => ({ n: Number(new URL(p.url, "http://x").searchParams.get("partNumber")), size: p.bodyBytes }))
      .sort((a, b) => a.n - b.n)
      .map((p) => p.size);
    expect(sizes).toEqual([5 * MIB, 5 * MIB, 2 * MIB + 7]);
    expect((await storage.head(key))?.contentLength).toBe(body.length);
  });

  it("uploads a small Buffer as one plain PUT", async () => {
    const before = h.requests.length;
    await storage.put("shops/s1/uploads/u1/thumb.webp", randomBytes(1000), { contentType: "image/webp" });
    const sent = h.requests.slice(before);
    expect(sent.map((r) => `${r.method} ${new URL(r.url, "http://x").pathname}`)).toEqual([
      "PUT /wire-bucket/shops/s1/uploads/u1/thumb.webp",
    ]);
    expect(sent[0]!.headers["content-type"]).toBe("image/webp");
  });

  it("deletePrefix lists and deletes in batches of at most 1000", async () => {
    const keys = Array.from({ length: 1003 }, (_, i) => `shops/bulk/uploads/a${i}/original.jpg`);
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(keys.slice(i, i + 50).map((k) => storage.put(k, Buffer.from("x"), { contentType: "image/jpeg" })));
    }
    await storage.put("shops/bulk2/uploads/a/original.jpg", Buffer.from("keep"), { contentType: "image/jpeg" });

    const before = h.requests.length;
    expect(await storage.deletePrefix("shops/bulk/")).toBe(1003);
    const sent = h.requests.slice(before);
    const deletes = sent.filter((r) => r.method === "POST" && /[?&]delete(=|&|$)/.test(r.url));
    const lists = sent.filter((r) => r.method === "GET" && /list-type=2/.test(r.url));
    expect(deletes).toHaveLength(2);
    expect(lists).toHaveLength(2);
    expect(await storage.head("shops/bulk2/uploads/a/original.jpg")).not.toBeNull();
  }, 60_000);

  it("presigned GET URLs carry no x-amz-checksum* / x-amz-sdk-checksum* parameters", async () => {
    const key = "shops/s1/generated/g1/display.webp";
    await storage.put(key, randomBytes(10), { contentType: "image/webp" });
    for (const options of [{ expiresIn: 60 }, { expiresIn: 604_800, filename: "mug.webp" }]) {
      const url = await storage.presignGet(key, options);
      expect(checksumQueryParams(url), url).toEqual([]);
      expect(forbiddenR2Headers({ url, headers: {} }), url).toEqual([]);
      const params = new URL(url).searchParams;
      expect(params.get("X-Amz-Expires")).toBe(String(options.expiresIn));
      expect(params.get("X-Amz-Credential")).toMatch(/\/auto\/s3\/aws4_request$/); // region 'auto'
    }
  });

  it("the checksum and header detectors do flag offenders (so the checks above can fail)", async () => {
    expect(checksumQueryParams("https://x/b/k?x-amz-checksum-crc32=AAAAAA%3D%3D&X-Amz-Expires=60")).toEqual(["x-amz-checksum-crc32"]);
    expect(checksumQueryParams("https://x/b/k?x-amz-sdk-checksum-algorithm=CRC32")).toEqual(["x-amz-sdk-checksum-algorithm"]);
    // A plain SDK client (not ours) sending an ACL and tags through the same recording proxy.
    const raw = new S3Client({
      region: "auto",
      endpoint: h.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: h.accessKeyId, secretAccessKey: h.secretAccessKey },
    });
    const before = h.requests.length;
    await raw
      .send(new PutObjectCommand({ Bucket: h.bucket, Key: "control/x", Body: "x", ACL: "public-read", Tagging: "a=b" }))
      .catch(() => undefined);
    const flagged = h.requests.slice(before).flatMap(forbiddenR2Headers);
    expect(flagged).toEqual(expect.arrayContaining(["x-amz-acl", "x-amz-tagging"]));
    raw.destroy();
  });

  it("our client refuses to send R2-unsupported headers even if a caller asks for them", async () => {
    const client = createR2Client(r2Config(h));
    const before = h.requests.length;
    for (const input of [
      { ACL: "public-read" as const },
      { Tagging: "a=b" },
      { ServerSideEncryption: "aws:kms" as const, SSEKMSKeyId: "k" },
      { ObjectLockMode: "GOVERNANCE" as const, ObjectLockRetainUntilDate: new Date(Date.now() + 86_400_000) },
    ]) {
      await expect(
        client.send(new PutObjectCommand({ Bucket: h.bucket, Key: "shops/s1/uploads/x/original.jpg", Body: "x", ...input })),
      ).rejects.toBeInstanceOf(StorageError);
    }
    expect(h.requests.length).toBe(before);
    client.destroy();
  });
});

describe("R2 contract run: wire hygiene over every request it sent", () => {
  it("sent no x-amz-acl / x-amz-tagging / x-amz-server-side-encryption* / x-amz-object-lock* header or parameter", () => {
    const requests = contractHarness?.requests ?? [];
    // The check only means something if the contract run exercised every operation.
    const kinds = new Set(
      requests.map((r) => {
        const q = new URL(r.url, "http://x").searchParams;
        if (r.method === "POST" && q.has("uploads")) return "create-multipart";
        if (r.method === "PUT" && q.has("partNumber")) return "upload-part";
        if (r.method === "POST" && q.has("uploadId")) return "complete-multipart";
        if (r.method === "POST" && q.has("delete")) return "delete-objects";
        if (r.method === "GET" && q.get("list-type") === "2") return "list";
        if (r.method === "GET" && q.has("X-Amz-Signature")) return "presigned-get";
        return r.method;
      }),
    );
    expect([...kinds].sort()).toEqual(
      ["DELETE", "GET", "HEAD", "PUT", "complete-multipart", "create-multipart", "delete-objects", "list", "presigned-get", "upload-part"].sort(),
    );
    const offenders = requests.flatMap((r) => forbiddenR2Headers(r).map((name) => `${r.method} ${r.url}: ${name}`));
    expect(offenders).toEqual([]);
  });
});
