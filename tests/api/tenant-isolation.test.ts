// With shop B's token, every endpoint is tried with shop A's ids: each answers 404 (never 403,
// which would confirm the id exists), lists never show A's objects, and nothing of A changes.
// The test walks the real route files, so a new endpoint must be added here or the test fails.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { ApiHandler } from "~/api/route.server";
import { db } from "~/db.server";
import { createEmbeddedQueue } from "~/jobs/embedded-queue.server";
import { setJobQueue } from "~/jobs/queue.server";
import "~/jobs/definitions.server";

import { rowsMentioning } from "../helpers/raw-dump";
import { call, multipart, shopWithToken } from "./support/api";
import { loadApiRoutes } from "./support/router";
import { fixture, withTempStorage } from "./support/storage";

const storage = withTempStorage();
const queue = createEmbeddedQueue(db, { pollMs: 20 });

type Ids = { upload: string; generated: string; generation: string; product: string };

/** Bodies for POSTs that take one. */
const BODIES: Record<string, unknown> = {
  "/api/v1/assets/:id/refine": { instruction: "darker background" },
};

/** What each collection endpoint is tried with (A's ids inside the query or the body). */
const COLLECTION_PROBES: Record<string, (a: Ids, bSource: string) => Array<{ path: string; init: Parameters<typeof call>[1]; expect: number }>> = {
  "GET /api/v1/assets": (a) => [
    { path: `/api/v1/assets?product_id=${encodeURIComponent(a.product)}`, init: {}, expect: 200 },
    { path: "/api/v1/assets?kind=generated", init: {}, expect: 200 },
  ],
  "POST /api/v1/assets": () => [],
  "GET /api/v1/generations": (a) => [{ path: `/api/v1/generations?product_id=${encodeURIComponent(a.product)}`, init: {}, expect: 200 }],
  "POST /api/v1/generations": (a, bSource) => [
    { path: "/api/v1/generations", init: { method: "POST", json: { source_asset_ids: [a.upload], preset_id: "white-studio" } }, expect: 404 },
    { path: "/api/v1/generations", init: { method: "POST", json: { source_asset_ids: [bSource], reference_asset_ids: [a.generated], preset_id: "white-studio" } }, expect: 404 },
  ],
  "GET /api/v1/me": () => [],
};

describe("tenant isolation", () => {
  let a: Ids;
  let aShopId: string;
  let aToken: string;
  let bToken: string;
  let bSource: string;

  beforeAll(async () => {
    setJobQueue(queue);
    const shopA = await shopWithToken("tenant-a.myshopify.com");
    const shopB = await shopWithToken("tenant-b.myshopify.com");
    aShopId = shopA.shop.id;
    aToken = shopA.plaintext;
    bToken = shopB.plaintext;
    const up = async (token: string, file: string, query = "") => {
      const { body, contentType } = await multipart(fixture(file), file, "image/jpeg");
      return (await call(`/api/v1/assets${query}`, { method: "POST", token, body, headers: { "Content-Type": contentType } })).body.id as string;
    };
    const upload = await up(aToken, "valid-photo.jpg", "?product_id=777");
    bSource = await up(bToken, "grayscale.jpg");
    const created = await call("/api/v1/generations", { method: "POST", token: aToken, json: { source_asset_ids: [upload], preset_id: "white-studio", product_id: "777" } });
    await queue.drain();
    const generated = await db.asset.findFirstOrThrow({ where: { shopId: aShopId, kind: "generated" } });
    a = { upload, generated: generated.id, generation: created.body.id, product: "gid://shopify/Product/777" };
  });
  afterAll(() => setJobQueue(undefined));

  it("every endpoint with shop A's ids answers 404 to shop B, and A's data is untouched", async () => {
    const before = await rowsMentioning(db, [aShopId], ["ApiRequestLog", "ApiToken"]);
    const objectsBefore = storage.count(`shops/${aShopId}/`);
    expect(objectsBefore).toBeGreaterThan(0);
    const tried: string[] = [];

    for (const route of await loadApiRoutes()) {
      if (route.pattern.endsWith("*") || route.pattern.endsWith(".json")) continue; // catch-all, public document
      for (const exportName of ["loader", "action"] as const) {
        const handler = route.module[exportName] as ApiHandler | undefined;
        if (!handler?.api) continue;
        const { method } = handler.api;
        const signature = `${method} ${route.pattern}`;
        if (!route.pattern.includes(":")) {
          const probes = COLLECTION_PROBES[signature];
          expect(probes, `${signature} is not covered: add it to COLLECTION_PROBES in the tenant isolation test`).toBeDefined();
          for (const probe of probes!(a, bSource)) {
            const response = await call(probe.path, { ...probe.init, token: bToken });
            expect(response.status, `${signature} ${probe.path}`).toBe(probe.expect);
            expect(response.text, `${signature} leaks an id of shop A`).not.toMatch(new RegExp(`${a.upload}|${a.generated}|${a.generation}`));
            tried.push(`${signature} ${probe.path}`);
          }
          continue;
        }
        const ids = route.pattern.startsWith("/api/v1/assets/:id") ? [a.upload, a.generated] : route.pattern.startsWith("/api/v1/generations/:id") ? [a.generation] : null;
        expect(ids, `${signature}: which of shop A's ids fits :id? Add it to the tenant isolation test`).not.toBeNull();
        for (const id of ids!) {
          const path = route.pattern.replace(":id", id);
          const body = BODIES[route.pattern];
          const response = await call(path, { method, token: bToken, ...(body ? { json: body } : {}) });
          expect(response.status, `${method} ${path} with shop B's token`).toBe(404);
          expect(response.body.code).toBe("NOT_FOUND");
          tried.push(`${method} ${path}`);
        }
      }
    }
    // Lists show B only what is B's.
    const assets = await call("/api/v1/assets", { token: bToken });
    expect(assets.body.data.map((x: { id: string }) => x.id)).toEqual([bSource]);
    expect((await call("/api/v1/generations", { token: bToken })).body.data).toEqual([]);
    // A cursor minted for A is refused for B (400), instead of paging from A's row.
    const aPage = await call("/api/v1/assets?limit=1", { token: aToken });
    expect(aPage.body.next_cursor).not.toBeNull();
    const foreignCursor = await call(`/api/v1/assets?cursor=${encodeURIComponent(aPage.body.next_cursor)}`, { token: bToken });
    expect(foreignCursor.status).toBe(400);
    expect((await call("/api/v1/me", { token: bToken })).body.shop.domain).toBe("tenant-b.myshopify.com");

    expect(tried.length).toBeGreaterThanOrEqual(9);
    expect(await rowsMentioning(db, [aShopId], ["ApiRequestLog", "ApiToken"])).toEqual(before);
    expect(storage.count(`shops/${aShopId}/`)).toBe(objectsBefore);
    // And A still sees all of it.
    expect((await call(`/api/v1/assets/${a.upload}`, { token: aToken })).status).toBe(200);
    expect((await call(`/api/v1/generations/${a.generation}`, { token: aToken })).status).toBe(200);
  });
});
