// POST /api/v1/exports and GET /api/v1/exports/{id}: the same verbs as the admin, through the
// contract (every response is checked against the OpenAPI document by `call`).
import { buffer } from "node:stream/consumers";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ingestAsset } from "~/assets/ingest-asset.server";
import { db } from "~/db.server";
import { createEmbeddedQueue } from "~/jobs/embedded-queue.server";
import { setJobQueue } from "~/jobs/queue.server";
import { loader as files } from "~/routes/files.$";
import { appStorage } from "~/storage/from-env.server";

import { readZip } from "../exports/support/unzip";
import { call, shopWithToken } from "./support/api";
import { fixture, withTempStorage } from "./support/storage";

withTempStorage();
const queue = createEmbeddedQueue(db, { pollMs: 20, concurrency: 2 });
beforeAll(() => setJobQueue(queue));
afterAll(async () => {
  await queue.stop();
  setJobQueue(undefined);
});

describe("exports over the API", () => {
  let token: string;
  let readToken: string;
  let assetId: string;
  beforeAll(async () => {
    const made = await shopWithToken("exports-api.myshopify.com");
    token = made.plaintext;
    readToken = (await shopWithToken("exports-api-reader.myshopify.com", ["read"])).plaintext;
    assetId = (await ingestAsset({ db, storage: appStorage(), shopId: made.shop.id, kind: "upload", bytes: fixture("valid-photo.jpg"), filename: "mug.jpg" })).asset.id;
  });

  it("GIVEN a request for chosen images THEN 202 with a Location; once built, a download URL to a ZIP with the image and its manifest", async () => {
    const created = await call("/api/v1/exports", { method: "POST", token, json: { asset_ids: [assetId] } });
    expect(created.status).toBe(202);
    expect(created.headers.get("location")).toBe(`/api/v1/exports/${created.body.id}`);
    expect(created.body).toMatchObject({ object: "export", scope: "library", status: "queued", download_url: null });

    await queue.drain();
    const ready = await call(`/api/v1/exports/${created.body.id}`, { token });
    expect(ready.body).toMatchObject({ status: "ready", progress: 100, image_count: 1 });
    expect(Date.parse(ready.body.download_expires_at) - Date.now()).toBeLessThanOrEqual(900_000);
    const download = await files({ request: new Request(ready.body.download_url), params: {}, context: {} });
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toMatch(/attachment; filename="lightbox-export-\d{4}-\d\d-\d\d-.+\.zip"/);
    const zip = readZip(await buffer(download.body as never));
    expect(zip.entries.map((e) => e.name).sort()).toEqual(["manifest.json", `uploads/${assetId}.jpg`]);
    expect(ready.body.bytes).toBeGreaterThan(zip.entries[0]!.data.length);
  });

  it("GIVEN bad input THEN a problem says what to fix and nothing is queued", async () => {
    const jobsBefore = await db.job.count();
    const both = await call("/api/v1/exports", { method: "POST", token, json: { asset_ids: [assetId], kind: "upload" } });
    expect(both.status).toBe(422);
    expect(both.body.detail).toMatch(/one by one or by a filter/);
    expect((await call("/api/v1/exports", { method: "POST", token, json: { scope: "everything" } })).status).toBe(422);
    expect((await call("/api/v1/exports", { method: "POST", token, json: { asset_ids: ["no-such-asset"] } })).status).toBe(404);
    expect((await call("/api/v1/exports", { method: "POST", token: readToken, json: {} })).status).toBe(403);
    expect(await db.job.count()).toBe(jobsBefore);
  });

  it("GIVEN another shop's export id THEN 404; a retried POST with its Idempotency-Key returns the same export", async () => {
    const headers = { "Idempotency-Key": "export-all-once" };
    const first = await call("/api/v1/exports", { method: "POST", token, json: { scope: "all_data" }, headers });
    const again = await call("/api/v1/exports", { method: "POST", token, json: { scope: "all_data" }, headers });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body.id).toBe(first.body.id);
    expect((await call(`/api/v1/exports/${first.body.id}`, { token: readToken })).status).toBe(404);
  });
});
