import { randomUUID } from "node:crypto";

import { beforeAll, describe, expect, it } from "vitest";

import { db } from "~/db.server";
import { createApiToken } from "~/tokens/create-token.server";

import { call, multipart, shopWithToken } from "./support/api";
import { fixture, withTempStorage } from "./support/storage";

withTempStorage();

async function upload(token: string, key: string | null, file: string, type = "image/jpeg", query = "") {
  // A fresh multipart body each time: the boundary differs, as with two runs of curl -F.
  const { body, contentType } = await multipart(fixture(file), file, type);
  const headers: Record<string, string> = { "Content-Type": contentType };
  if (key !== null) headers["Idempotency-Key"] = key;
  return call(`/api/v1/assets${query}`, { method: "POST", token, body, headers });
}

describe("Idempotency-Key on POST", () => {
  let shopId: string;
  let token: string;
  beforeAll(async () => {
    const made = await shopWithToken("idem.myshopify.com");
    shopId = made.shop.id;
    token = made.plaintext;
  });

  it("same key, same request: the first response is replayed, the work is done once", async () => {
    const key = randomUUID();
    const first = await upload(token, key, "valid-photo.jpg");
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();

    const second = await upload(token, key, "valid-photo.jpg");
    // Without the key this would be "200 deduplicated"; with it, the stored 201 comes back as is.
    expect(second.status).toBe(201);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(second.text).toBe(first.text);
    expect(second.headers.get("location")).toBe(first.headers.get("location"));
    expect(second.headers.get("request-id")).not.toBe(first.headers.get("request-id"));
    expect(await db.asset.count({ where: { shopId } })).toBe(1);
    const record = await db.idempotencyRecord.findFirstOrThrow({ where: { key } });
    expect(record.state).toBe("done");
    expect(record.expiresAt.getTime() - record.createdAt.getTime()).toBe(24 * 3_600_000);
  });

  it("same key, different request: 422 and nothing done", async () => {
    const key = randomUUID();
    expect((await upload(token, key, "alpha.png", "image/png")).status).toBe(201);
    const before = await db.asset.count({ where: { shopId } });
    const other = await upload(token, key, "grayscale.jpg");
    expect(other.status).toBe(422);
    expect(other.body.code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect(other.body.detail).toMatch(/different request/);
    // The query string is part of the request too.
    const otherQuery = await upload(token, key, "alpha.png", "image/png", "?product_id=1");
    expect(otherQuery.status).toBe(422);
    expect(await db.asset.count({ where: { shopId } })).toBe(before);
  });

  it("same key while the first request still runs: 409", async () => {
    const key = randomUUID();
    // An 8000 × 6000 photo takes a while to validate and resize.
    const slow = upload(token, key, "huge-allowed-8000x6000.jpg");
    for (let i = 0; i < 200 && !(await db.idempotencyRecord.findFirst({ where: { key } })); i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const concurrent = await upload(token, key, "huge-allowed-8000x6000.jpg");
    expect(concurrent.status).toBe(409);
    expect(concurrent.body.code).toBe("IDEMPOTENCY_KEY_IN_USE");
    expect(concurrent.headers.get("retry-after")).toBe("1");
    const first = await slow;
    expect(first.status).toBe(201);
    const after = await upload(token, key, "huge-allowed-8000x6000.jpg");
    expect(after.status).toBe(201);
    expect(after.headers.get("idempotent-replayed")).toBe("true");
  });

  it("a request whose process died in flight frees its key after the in-flight timeout", async () => {
    const key = randomUUID();
    expect((await upload(token, key, "tiny-16x16.png", "image/png")).status).toBe(201);
    // Pretend the first request never finished and started 10 minutes ago.
    await db.idempotencyRecord.updateMany({
      where: { key },
      data: { state: "in_flight", responseStatus: null, responseBody: null, createdAt: new Date(Date.now() - 10 * 60_000) },
    });
    const retried = await upload(token, key, "tiny-16x16.png", "image/png");
    expect(retried.status).toBe(200); // ran again (the image was already stored: deduplicated)
    expect(retried.headers.get("idempotent-replayed")).toBeNull();
  });

  it("a failed request releases its key: fix the request and retry with the same key", async () => {
    const key = randomUUID();
    const failed = await upload(token, key, "html-renamed.jpg");
    expect(failed.status).toBe(415);
    expect(await db.idempotencyRecord.count({ where: { key } })).toBe(0);
    const fixed = await upload(token, key, "cmyk.jpg");
    expect(fixed.status).toBe(201);
  });

  it("keys expire after 24 hours", async () => {
    const key = randomUUID();
    expect((await upload(token, key, "photo.webp", "image/webp")).status).toBe(201);
    await db.idempotencyRecord.updateMany({ where: { key }, data: { expiresAt: new Date(Date.now() - 1) } });
    const later = await upload(token, key, "display-p3.jpg");
    expect(later.status).toBe(201); // a different request, but the old key is gone: no 422
    expect(later.headers.get("idempotent-replayed")).toBeNull();
  });

  it("keys belong to a token: another token may use the same key", async () => {
    const key = randomUUID();
    const other = await createApiToken(db, { shopId, name: "second", scopes: ["write"] });
    expect((await upload(token, key, "orientation-6-gps.jpg")).status).toBe(201);
    const theirs = await upload(other.plaintext, key, "rgb16.png", "image/png");
    expect(theirs.status).toBe(201);
    expect(theirs.headers.get("idempotent-replayed")).toBeNull();
  });

  it("refuses a malformed key with 400", async () => {
    const tooLong = await upload(token, "k".repeat(256), "alpha.png", "image/png");
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.code).toBe("INVALID_IDEMPOTENCY_KEY");
    const spaces = await upload(token, "two words", "alpha.png", "image/png");
    expect(spaces.status).toBe(400);
  });
});
