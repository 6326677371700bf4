import { crc32 } from "node:zlib";

import { afterEach, beforeAll, describe, expect, it } from "vitest";

import { db } from "~/db.server";
import { createApiToken } from "~/tokens/create-token.server";
import { checkTokenShape, generateToken, TOKEN_LENGTH, TOKEN_PATTERN, tokenChecksum } from "~/tokens/format";
import { candidateHashes } from "~/tokens/hash.server";
import { listApiTokens } from "~/tokens/list-tokens.server";
import { revokeApiToken } from "~/tokens/revoke-token.server";
import { overrideKeySpecForTests } from "~/tokens/secrets.server";
import { TokenAuthError, verifyApiToken } from "~/tokens/verify-token.server";

import { action as uninstalled } from "~/routes/webhooks.app.uninstalled";

import { routeArgs } from "../helpers/admin";
import { rawDump } from "../helpers/raw-dump";
import { webhookRequest } from "../helpers/webhooks";
import { call, shopWithToken } from "./support/api";

/** A database that fails the test if anything touches it. */
const untouchableDb = new Proxy({} as typeof db, {
  get(_target, property) {
    throw new Error(`the database was used (db.${String(property)}) before the token's checksum was checked`);
  },
});

/** Changes one character of the random part (the checksum then no longer matches). */
function mistype(token: string): string {
  const i = 10;
  return token.slice(0, i) + (token[i] === "a" ? "b" : "a") + token.slice(i + 1);
}

describe("token format", () => {
  it("is lbx_ + 30 base62 characters of randomness + a 6-character CRC32 checksum", () => {
    const tokens = new Set(Array.from({ length: 2000 }, generateToken));
    expect(tokens.size).toBe(2000);
    for (const token of tokens) {
      expect(token).toHaveLength(TOKEN_LENGTH);
      expect(token).toMatch(/^lbx_[0-9A-Za-z]{36}$/);
      expect(TOKEN_PATTERN.test(`leaked in a log line: ${token}.`)).toBe(true);
      expect(checkTokenShape(token).ok).toBe(true);
    }
    // 30 base62 characters carry 30 × log2(62) ≈ 178.6 bits (≥ 160 required).
    expect(30 * Math.log2(62)).toBeGreaterThan(160);
    // Every character of the alphabet turns up: the random part is spread over all 62.
    const seen = new Set([...tokens].flatMap((t) => [...t.slice(4, 34)]));
    expect(seen.size).toBe(62);
  });

  it("the checksum is CRC32 of the prefix and random part, in base62", () => {
    const token = generateToken();
    const body = token.slice(0, 34);
    const crc = crc32(body) >>> 0;
    const decoded = [...token.slice(34)].reduce(
      (n, c) => n * 62 + "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".indexOf(c),
      0,
    );
    expect(decoded).toBe(crc);
    expect(tokenChecksum(body)).toBe(token.slice(34));
  });

  it("tells malformed tokens from mistyped ones", () => {
    const token = generateToken();
    expect(checkTokenShape(mistype(token))).toEqual({ ok: false, reason: "checksum" });
    expect(checkTokenShape(token.slice(0, -1))).toEqual({ ok: false, reason: "malformed" });
    expect(checkTokenShape(`${token} `)).toEqual({ ok: false, reason: "malformed" });
    expect(checkTokenShape(token.replace("lbx_", "ghp_"))).toEqual({ ok: false, reason: "malformed" });
    expect(checkTokenShape("")).toEqual({ ok: false, reason: "malformed" });
  });
});

describe("personal access tokens", () => {
  let shopId: string;
  beforeAll(async () => {
    shopId = (await shopWithToken("tokens.myshopify.com")).shop.id;
  });
  afterEach(() => overrideKeySpecForTests(undefined));

  it("the database never contains a token's plaintext, only an HMAC and an 8-character prefix", async () => {
    const created = await Promise.all(
      Array.from({ length: 5 }, (_, i) => createApiToken(db, { shopId, name: `t${i}`, scopes: ["read"] })),
    );
    const dump = await rawDump(db);
    for (const { plaintext, token } of created) {
      expect(dump).not.toContain(plaintext);
      expect(dump).not.toContain(plaintext.slice(4)); // not even without its prefix
      expect(dump).not.toContain(plaintext.slice(8, 30)); // nor a long piece of it
      const row = await db.apiToken.findUniqueOrThrow({ where: { id: token.id } });
      expect(row.prefix).toBe(plaintext.slice(0, 8));
      expect(row.hash).toMatch(/^test1:[0-9a-f]{64}$/);
      expect(row.hash).not.toContain(plaintext);
    }
    // The list the merchant sees has no hash either.
    const listed = JSON.stringify(await listApiTokens(db, shopId));
    expect(listed).not.toMatch(/[0-9a-f]{64}/);
  });

  it("refuses a token with a wrong checksum before any database query", async () => {
    const { plaintext } = await createApiToken(db, { shopId, name: "typo", scopes: ["read"] });
    for (const presented of [mistype(plaintext), plaintext.slice(0, 39), "lbx_short", "Bearer", `ghp_${plaintext.slice(4)}`]) {
      const error = await verifyApiToken(untouchableDb, presented).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TokenAuthError);
      expect((error as TokenAuthError).reason).toMatch(/^(checksum|malformed)$/);
    }
    // Control: a well-formed token does reach the database.
    await expect(verifyApiToken(untouchableDb, plaintext)).rejects.toThrow(/the database was used/);
  });

  it("answers a mistyped token with 401, a Bearer challenge and a message that says what is wrong", async () => {
    const { plaintext } = await createApiToken(db, { shopId, name: "typo2", scopes: ["read"] });
    const { status, headers, body } = await call("/api/v1/me", { token: mistype(plaintext) });
    expect(status).toBe(401);
    expect(headers.get("content-type")).toBe("application/problem+json");
    expect(headers.get("www-authenticate")).toMatch(/^Bearer realm="Lightbox API", error="invalid_token"/);
    expect(body).toMatchObject({ status: 401, code: "INVALID_TOKEN", type: "urn:lightbox:problem:invalid-token" });
    expect(body.detail).toMatch(/checksum does not match: it was mistyped or cut short/);

    const missing = await call("/api/v1/me");
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="Lightbox API"');
    expect(missing.body.detail).toMatch(/Authorization: Bearer lbx_/);

    const basic = await call("/api/v1/me", { headers: { Authorization: "Basic dXNlcjpwYXNz" } });
    expect(basic.status).toBe(401);
    expect(basic.body.detail).toMatch(/Bearer scheme/);

    const unknown = await call("/api/v1/me", { token: generateToken() });
    expect(unknown.status).toBe(401);
    expect(unknown.body.detail).toMatch(/not known/);
  });

  it("a revoked token gets 401 on its very next request", async () => {
    const { plaintext, token } = await createApiToken(db, { shopId, name: "to revoke", scopes: ["read"] });
    expect((await call("/api/v1/me", { token: plaintext })).status).toBe(200);
    await revokeApiToken(db, shopId, token.id);
    const after = await call("/api/v1/me", { token: plaintext });
    expect(after.status).toBe(401);
    expect(after.body.code).toBe("TOKEN_REVOKED");
    expect(after.body.detail).toMatch(/revoked/);
    // The refusal is in the shop's request log, attributed to the token.
    const logged = await db.apiRequestLog.findFirst({ where: { tokenId: token.id, status: 401 } });
    expect(logged).toMatchObject({ shopId, route: "/api/v1/me", method: "GET" });
    // Revoking again is a no-op; another shop cannot revoke it (not found).
    await revokeApiToken(db, shopId, token.id);
    const other = await shopWithToken("tokens-other.myshopify.com");
    await expect(revokeApiToken(db, other.shop.id, token.id)).rejects.toMatchObject({ status: 404 });
  });

  it("an expired token gets 401 the moment it expires", async () => {
    const now = new Date();
    const { plaintext, token } = await createApiToken(db, { shopId, name: "short-lived", scopes: ["read"], expiresAt: new Date(now.getTime() + 60_000), now });
    await expect(verifyApiToken(db, plaintext, { now: new Date(now.getTime() + 59_000) })).resolves.toMatchObject({ id: token.id });
    await expect(verifyApiToken(db, plaintext, { now: new Date(now.getTime() + 60_000) })).rejects.toMatchObject({ reason: "expired" });
    // Through the route: a token used (and so cached) while valid is refused once it expires.
    const expiresAt = new Date(Date.now() + 1_200);
    const soon = await createApiToken(db, { shopId, name: "expires-soon", scopes: ["read"], expiresAt });
    expect((await call("/api/v1/me", { token: soon.plaintext })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt.getTime() - Date.now() + 20)));
    const response = await call("/api/v1/me", { token: soon.plaintext });
    expect(response.status).toBe(401);
    expect(response.body.code).toBe("TOKEN_EXPIRED");
  });

  it("refuses bad input with field errors: no name, no scope, expiry in the past or over a year", async () => {
    await expect(createApiToken(db, { shopId, name: " ", scopes: ["read"] })).rejects.toMatchObject({ status: 422, fieldErrors: { name: expect.any(String) } });
    await expect(createApiToken(db, { shopId, name: "x", scopes: [] })).rejects.toMatchObject({ fieldErrors: { scopes: expect.any(String) } });
    await expect(createApiToken(db, { shopId, name: "x", scopes: ["admin"] })).rejects.toMatchObject({ status: 422 });
    await expect(createApiToken(db, { shopId, name: "x", scopes: ["read"], expiresAt: new Date(Date.now() - 1000) })).rejects.toMatchObject({
      fieldErrors: { expiresAt: "Must be in the future" },
    });
    await expect(
      createApiToken(db, { shopId, name: "x", scopes: ["read"], expiresAt: new Date(Date.now() + 400 * 86_400_000) }),
    ).rejects.toMatchObject({ fieldErrors: { expiresAt: expect.any(String) } });
  });

  it("GIVEN no expiry THEN the token expires in 90 days; asking for one that never expires is refused; a row without an expiry is refused at once", async () => {
    const now = new Date();
    const { token, plaintext } = await createApiToken(db, { shopId, name: "default expiry", scopes: ["read"], now });
    expect(Date.parse(token.expiresAt!) - now.getTime()).toBe(90 * 86_400_000);
    await expect(createApiToken(db, { shopId, name: "forever", scopes: ["read"], expiresAt: null as unknown as Date })).rejects.toMatchObject({
      status: 422,
      fieldErrors: { expiresAt: expect.stringMatching(/at most 366 days/) },
    });
    expect(await db.apiToken.count({ where: { shopId, name: "forever" } })).toBe(0);
    // A token row that escaped the cap (e.g. from before it, had the migration not capped it) does not authenticate.
    await db.apiToken.update({ where: { id: token.id }, data: { expiresAt: null } });
    await expect(verifyApiToken(db, plaintext)).rejects.toMatchObject({ reason: "expired" });
  });

  it("write includes read", async () => {
    const { token } = await createApiToken(db, { shopId, name: "writer", scopes: ["write"] });
    expect(token.scopes).toEqual(["read", "write"]);
  });

  it("records last use (time and IP) at most once a minute", async () => {
    const { plaintext, token } = await createApiToken(db, { shopId, name: "busy", scopes: ["read"] });
    const t0 = new Date();
    await verifyApiToken(db, plaintext, { now: t0, ip: "203.0.113.7" });
    await verifyApiToken(db, plaintext, { now: new Date(t0.getTime() + 30_000), ip: "203.0.113.8" });
    let row = await db.apiToken.findUniqueOrThrow({ where: { id: token.id } });
    expect(row.lastUsedAt?.getTime()).toBe(t0.getTime());
    expect(row.lastUsedIp).toBe("203.0.113.7");
    await verifyApiToken(db, plaintext, { now: new Date(t0.getTime() + 61_000), ip: "203.0.113.9" });
    row = await db.apiToken.findUniqueOrThrow({ where: { id: token.id } });
    expect(row.lastUsedAt?.getTime()).toBe(t0.getTime() + 61_000);
    expect(row.lastUsedIp).toBe("203.0.113.9");
    // Through the API, the IP comes from X-Forwarded-For.
    const fresh = await createApiToken(db, { shopId, name: "via api", scopes: ["read"] });
    await call("/api/v1/me", { token: fresh.plaintext, headers: { "X-Forwarded-For": "198.51.100.4, 10.0.0.1" } });
    expect((await db.apiToken.findUniqueOrThrow({ where: { id: fresh.token.id } })).lastUsedIp).toBe("198.51.100.4");
  });

  it("survives an encryption key rotation: old tokens still work and move to the new pepper", async () => {
    const oldSpec = process.env.ENCRYPTION_KEYS!;
    const { plaintext, token } = await createApiToken(db, { shopId, name: "pre-rotation", scopes: ["read"] });
    const newSpec = `test2:${Buffer.alloc(32, 9).toString("base64")},${oldSpec}`;
    overrideKeySpecForTests(newSpec);
    expect(candidateHashes(plaintext)).toHaveLength(2);
    await expect(verifyApiToken(db, plaintext)).resolves.toMatchObject({ id: token.id });
    const row = await db.apiToken.findUniqueOrThrow({ where: { id: token.id } });
    expect(row.hash).toMatch(/^test2:/);
    // With only the new key it still verifies (it was re-hashed); with an unrelated key it does not.
    overrideKeySpecForTests(`test2:${Buffer.alloc(32, 9).toString("base64")}`);
    await expect(verifyApiToken(db, plaintext)).resolves.toMatchObject({ id: token.id });
    overrideKeySpecForTests(`other:${Buffer.alloc(32, 3).toString("base64")}`);
    await expect(verifyApiToken(db, plaintext)).rejects.toMatchObject({ reason: "unknown" });
  });

  it("uninstalling the app deletes the shop's tokens, request log and idempotency keys; the token stops working", async () => {
    const { shop, plaintext } = await shopWithToken("tokens-gone.myshopify.com");
    expect((await call("/api/v1/me", { token: plaintext })).status).toBe(200);
    const created = await call("/api/v1/generations", { method: "POST", token: plaintext, json: { source_asset_ids: ["x"], preset_id: "white-studio" }, headers: { "Idempotency-Key": "k" } });
    expect(created.status).toBe(404);
    await db.idempotencyRecord.create({
      data: { shopId: shop.id, tokenId: "t", key: "k2", method: "POST", route: "/api/v1/assets", requestHash: "h", state: "done", expiresAt: new Date(Date.now() + 3_600_000) },
    });
    expect(await db.apiRequestLog.count({ where: { shopId: shop.id } })).toBe(2);

    const response = await uninstalled(routeArgs(webhookRequest("/webhooks/app/uninstalled", { topic: "app/uninstalled", shop: "tokens-gone.myshopify.com" })));
    expect(response.status).toBe(200);
    expect(await db.apiToken.count({ where: { shopId: shop.id } })).toBe(0);
    expect(await db.apiRequestLog.count({ where: { shopId: shop.id } })).toBe(0);
    expect(await db.idempotencyRecord.count({ where: { shopId: shop.id } })).toBe(0);
    const after = await call("/api/v1/me", { token: plaintext });
    expect(after.status).toBe(401);
    expect(after.body.code).toBe("INVALID_TOKEN");
  });
});
