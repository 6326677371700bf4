import { beforeAll, describe, expect, it } from "vitest";

import { creditBalance } from "~/credits/ledger.server";
import { db } from "~/db.server";
import { createApiToken } from "~/tokens/create-token.server";

import { call, multipart, shopWithToken } from "./support/api";
import { fixture, withTempStorage } from "./support/storage";

const storage = withTempStorage();

async function upload(token: string, file: string, type: string, query = "", headers: Record<string, string> = {}) {
  const { body, contentType } = await multipart(fixture(file), file, type);
  return call(`/api/v1/assets${query}`, { method: "POST", token, body, headers: { "Content-Type": contentType, ...headers } });
}

describe("GET /api/v1/me", () => {
  it("names the shop, the token, its scopes and the credit balance", async () => {
    const { shop, plaintext, token } = await shopWithToken("me.myshopify.com", ["read"], { name: "Agency script" });
    const { status, body, headers } = await call("/api/v1/me", { token: plaintext, headers: { "User-Agent": "curl/8.5.0" } });
    expect(status).toBe(200);
    expect(body).toEqual({
      shop: { domain: "me.myshopify.com" },
      token: { id: token.id, name: "Agency script", scopes: ["read"], expires_at: token.expiresAt, daily_credit_cap: null },
      credits: { balance: await creditBalance(db, shop.id) },
    });
    expect(headers.get("request-id")).toMatch(/^req_[0-9A-Za-z]{20}$/);
    expect(headers.get("cache-control")).toBe("no-store");
    const log = await db.apiRequestLog.findUniqueOrThrow({ where: { id: headers.get("request-id")! } });
    expect(log).toMatchObject({ shopId: shop.id, tokenId: token.id, method: "GET", route: "/api/v1/me", status: 200, userAgent: "curl/8.5.0" });
    expect(log.durationMs).toBeGreaterThanOrEqual(0);
  });
});

describe("assets over the API", () => {
  let shopId: string;
  let writer: string;
  let reader: string;
  beforeAll(async () => {
    const made = await shopWithToken("assets-api.myshopify.com");
    shopId = made.shop.id;
    writer = made.plaintext;
    reader = (await createApiToken(db, { shopId, name: "reader", scopes: ["read"] })).plaintext;
  });

  it("uploads an image: 201 with Location; the same bytes again: 200 deduplicated", async () => {
    const first = await upload(writer, "valid-photo.jpg", "image/jpeg", "?product_id=123");
    expect(first.status).toBe(201);
    expect(first.headers.get("location")).toBe(`/api/v1/assets/${first.body.id}`);
    expect(first.body).toMatchObject({ object: "asset", kind: "upload", filename: "valid-photo.jpg", product_id: "gid://shopify/Product/123", deduplicated: false });
    expect(storage.count(`shops/${shopId}/uploads/${first.body.id}/`)).toBe(3);

    const again = await upload(writer, "valid-photo.jpg", "image/jpeg");
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, deduplicated: true });
    expect(await db.asset.count({ where: { shopId } })).toBe(1);
  });

  it("gets one image with short-lived download URLs", async () => {
    const asset = await db.asset.findFirstOrThrow({ where: { shopId } });
    const { status, body } = await call(`/api/v1/assets/${asset.id}`, { token: reader });
    expect(status).toBe(200);
    expect(body.id).toBe(asset.id);
    expect(body.urls.original).toMatch(/^http.*\/files\/shops\//);
    const expiresIn = Date.parse(body.urls.expires_at) - Date.now();
    expect(expiresIn).toBeGreaterThan(14 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(15 * 60_000);
  });

  it("lists newest first with cursor pagination and kind / product filters", async () => {
    await upload(writer, "alpha.png", "image/png");
    await upload(writer, "photo.webp", "image/webp", "?product_id=gid://shopify/Product/123");
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof call>> = await call(`/api/v1/assets?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, { token: reader });
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      ids.push(...page.body.data.map((a: { id: string }) => a.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    const expected = (await db.asset.findMany({ where: { shopId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] })).map((a) => a.id);
    expect(ids).toEqual(expected);
    expect(ids).toHaveLength(3);

    const forProduct = await call("/api/v1/assets?product_id=123", { token: reader });
    expect(forProduct.body.data).toHaveLength(2);
    const generated = await call("/api/v1/assets?kind=generated", { token: reader });
    expect(generated.body).toEqual({ data: [], next_cursor: null });
  });

  it("GIVEN a script that deletes each image it has read WHEN it pages on THEN it still gets every image (the cursor is a position, not a row)", async () => {
    const all = (await db.asset.findMany({ where: { shopId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] })).map((a) => a.id);
    expect(all.length).toBeGreaterThanOrEqual(3);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof call>> = await call(`/api/v1/assets?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, { token: reader });
      expect(page.status).toBe(200);
      for (const asset of page.body.data as Array<{ id: string }>) {
        seen.push(asset.id);
        expect((await call(`/api/v1/assets/${asset.id}`, { method: "DELETE", token: writer })).status).toBe(204);
      }
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(all);
    // Put back what the later tests expect.
    await upload(writer, "valid-photo.jpg", "image/jpeg", "?product_id=123");
    await upload(writer, "alpha.png", "image/png");
    await upload(writer, "photo.webp", "image/webp", "?product_id=gid://shopify/Product/123");
  });

  it("refuses bad query parameters and foreign or tampered cursors with 400 and field errors", async () => {
    const bad = await call("/api/v1/assets?kind=video&limit=1000&product_id=shoe", { token: reader });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(["kind", "limit", "product_id"]);
    const tampered = await call(`/api/v1/assets?cursor=${Buffer.from("someid").toString("base64url")}.AAAAAAAAAAAAAAAA`, { token: reader });
    expect(tampered.status).toBe(400);
    expect(tampered.body.code).toBe("INVALID_CURSOR");
  });

  it("refuses bad uploads with 413 / 415 / 422 problems and stores nothing", async () => {
    const before = await db.asset.count({ where: { shopId } });
    const objects = storage.count(`shops/${shopId}/`);
    const html = await upload(writer, "html-renamed.jpg", "image/jpeg");
    expect(html.status).toBe(415);
    expect(html.headers.get("content-type")).toBe("application/problem+json");
    expect(html.body.detail).toMatch(/web page/);
    const empty = await upload(writer, "empty.jpg", "image/jpeg");
    expect(empty.status).toBe(422);
    const notMultipart = await call("/api/v1/assets", { method: "POST", token: writer, json: { url: "https://example.com/a.jpg" } });
    expect(notMultipart.status).toBe(415);
    expect(notMultipart.body.detail).toMatch(/multipart\/form-data/);
    const noFile = await call("/api/v1/assets", { method: "POST", token: writer, body: new URLSearchParams({ a: "b" }) });
    expect(noFile.status).toBe(415);
    const { body, contentType } = await multipart(Buffer.alloc(26 * 1024 * 1024, 0xff), "huge.jpg", "image/jpeg");
    const huge = await call("/api/v1/assets", { method: "POST", token: writer, body, headers: { "Content-Type": contentType } });
    expect(huge.status).toBe(413);
    expect(huge.body.detail).toMatch(/larger than/);
    expect(await db.asset.count({ where: { shopId } })).toBe(before);
    expect(storage.count(`shops/${shopId}/`)).toBe(objects);
  });

  it("a read-only token gets 403 on every write and changes nothing", async () => {
    const asset = await db.asset.findFirstOrThrow({ where: { shopId } });
    const before = await db.asset.count({ where: { shopId } });
    const post = await upload(reader, "grayscale.jpg", "image/jpeg");
    expect(post.status).toBe(403);
    expect(post.body.code).toBe("INSUFFICIENT_SCOPE");
    expect(post.body.detail).toMatch(/"write" scope/);
    expect(post.headers.get("www-authenticate")).toMatch(/error="insufficient_scope", scope="write"/);
    const del = await call(`/api/v1/assets/${asset.id}`, { method: "DELETE", token: reader });
    expect(del.status).toBe(403);
    expect(await db.asset.count({ where: { shopId } })).toBe(before);
  });

  it("deletes an image and its files for good: 204, then 404", async () => {
    const asset = await db.asset.findFirstOrThrow({ where: { shopId, filename: "alpha.png" } });
    const removed = await call(`/api/v1/assets/${asset.id}`, { method: "DELETE", token: writer });
    expect(removed.status).toBe(204);
    expect(removed.text).toBe("");
    expect(storage.count(`shops/${shopId}/uploads/${asset.id}/`)).toBe(0);
    const again = await call(`/api/v1/assets/${asset.id}`, { method: "DELETE", token: writer });
    expect(again.status).toBe(404);
    expect(again.body).toMatchObject({ code: "NOT_FOUND", title: "Not found" });
    expect((await call(`/api/v1/assets/${asset.id}`, { token: writer })).status).toBe(404);
  });

  it("answers a method the route does not have with 405 and Allow", async () => {
    const asset = await db.asset.findFirstOrThrow({ where: { shopId } });
    const put = await call(`/api/v1/assets/${asset.id}`, { method: "PUT", token: writer, json: {} });
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("GET, DELETE");
  });

  it("logs every request with the route pattern, never the raw path", async () => {
    const logs = await db.apiRequestLog.findMany({ where: { shopId } });
    expect(logs.length).toBeGreaterThan(10);
    const routes = new Set(logs.map((l) => l.route));
    expect([...routes].sort()).toEqual(["/api/v1/assets", "/api/v1/assets/:id"]);
    expect(logs.some((l) => l.status === 403)).toBe(true);
    expect(logs.some((l) => l.status === 415)).toBe(true);
  });
});

describe("every endpoint's protocol", () => {
  let token: string;
  beforeAll(async () => {
    token = (await shopWithToken("api-protocol.myshopify.com")).plaintext;
  });

  it("refuses a misspelt or unknown query parameter with 400 naming it, instead of returning everything", async () => {
    const response = await call("/api/v1/generations?state=failed", { token });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      code: "INVALID_QUERY",
      detail: "Unknown query parameter state. This endpoint accepts: status, product_id, limit, cursor.",
    });
  });

  it("answers a wrong method with 405 problem+json and Allow on every endpoint, also those with only a GET or only a POST", async () => {
    for (const [method, path, allow] of [
      ["POST", "/api/v1/me", "GET"],
      ["DELETE", "/api/v1/generations/gen_1", "GET"],
      ["PUT", "/api/v1/products", "GET"],
      ["POST", "/api/v1/products/1", "GET"],
      ["GET", "/api/v1/assets/a1/refine", "POST"],
      ["GET", "/api/v1/products/1/publish", "POST"],
      ["GET", "/api/v1/products/1/revert", "POST"],
    ] as const) {
      const response = await call(path, { method, token });
      expect([path, method, response.status, response.headers.get("allow"), response.body.code]).toEqual([path, method, 405, allow, "METHOD_NOT_ALLOWED"]);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
    }
  });
});
