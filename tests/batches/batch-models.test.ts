// Batches read the configured lineup too: a deployment whose default is the draft model (GEMINI_MODELS,
// GEMINI_DEFAULT_MODEL) prices and starts batches with it from the API, the admin and the products
// list's bulk action (the extension backend); a model it does not offer, or a size the model lacks,
// is a 422 naming what it offers, and nothing is written. Against the local Shopify, real
// PGlite/PostgreSQL and the Gemini fake.
import { APP_URL } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.GEMINI_API_KEY = "lightbox-service-key-for-tests";
  process.env.GEMINI_MODELS = "gemini-3.1-flash-lite-image,gemini-3.5-flash-image";
  process.env.GEMINI_DEFAULT_MODEL = "gemini-3.1-flash-lite-image";
});

import { db } from "~/db.server";
import { action as startAction } from "~/routes/api.extensions.batches";
import { createApiToken } from "~/tokens/create-token.server";

import { call } from "../api/support/api";
import { settle } from "../helpers/admin";
import { settleBatch, startBatch, startBatchHarness, WHITE_STUDIO, type BatchHarness } from "./support";

let h: BatchHarness;
let token: string;
beforeAll(async () => {
  h = await startBatchHarness({ products: 4, credits: 20, gemini: {} });
  token = (await createApiToken(db, { shopId: h.shopId, name: "catalogue script", scopes: ["read", "write"] })).plaintext;
});
afterAll(async () => {
  await h?.stopAll();
});

describe("batches with a configured lineup", () => {
  it("GIVEN the draft model as the default THEN the API's cost preview prices it (half a credit per image, whole credits per product)", async () => {
    const res = await call("/api/v1/batches?dry_run=true", { method: "POST", token, json: { preset_id: "white-studio", images_per_product: 2 } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ object: "batch_quote", products: 4, credits_per_product: 1, total_credits: 4 });
    const flash = await call("/api/v1/batches?dry_run=true", { method: "POST", token, json: { preset_id: "white-studio", images_per_product: 2, model: "gemini-3.5-flash-image" } });
    expect(flash.body).toMatchObject({ credits_per_product: 2, total_credits: 8 });
  });

  it("GIVEN a model not offered here, or a size the draft model lacks THEN 422 naming what is offered, and no batch", async () => {
    const before = await db.batch.count();
    const pro = await call("/api/v1/batches", { method: "POST", token, json: { preset_id: "white-studio", model: "gemini-3-pro-image" } });
    expect(pro.status).toBe(422);
    expect(pro.body.detail).toBe("Gemini 3 Pro Image (gemini-3-pro-image) is not offered here. Use one of: gemini-3.1-flash-lite-image, gemini-3.5-flash-image.");
    const deprecated = await call("/api/v1/batches", { method: "POST", token, json: { preset_id: "white-studio", model: "gemini-3.1-flash-image" } });
    expect(deprecated.body.detail).toMatch(/gemini-3\.1-flash-image\) is not offered here \(Google has deprecated it\)/);
    const big = await call("/api/v1/batches", { method: "POST", token, json: { preset_id: "white-studio", resolution: "2K" } });
    expect(big.status).toBe(422);
    expect(big.body.detail).toMatch(/Gemini 3\.1 Flash-Lite Image \(draft, 1K\) does not offer 2K; choose 1K/);
    expect(await db.batch.count()).toBe(before);
  });

  it("GIVEN the bulk action (extension backend) and an admin batch without a model THEN both run with the configured default", async () => {
    const productIds = [...h.sim.shop(h.domain).products.values()].slice(0, 2).map((p) => `gid://shopify/Product/${p.id}`);
    const request = new Request(`${APP_URL}/api/extensions/batches`, {
      method: "POST",
      headers: { Origin: "https://extensions.shopifycdn.com", Authorization: `Bearer ${h.sim.mintIdToken(h.domain)}`, "Content-Type": "application/json" },
      body: JSON.stringify({ productIds }),
    });
    const response = await settle(startAction({ request, params: {}, context: {} }));
    expect(response.status).toBe(201);
    const { batch } = (await response.json()) as { batch: { id: string } };
    expect((await db.batch.findUniqueOrThrow({ where: { id: batch.id } })).model).toBe("gemini-3.1-flash-lite-image");
    await settleBatch(h, batch.id);
    expect(h.fake!.imageRequests().map((r) => r.model)).toEqual(["gemini-3.1-flash-lite-image", "gemini-3.1-flash-lite-image"]);

    const { batch: admin } = await startBatch(h, { selection: { kind: "products", productIds: productIds.slice(0, 1) }, settings: { ...WHITE_STUDIO } });
    expect(admin.model).toBe("gemini-3.1-flash-lite-image");
  });
});
