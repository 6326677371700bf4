// Importing a product's photos fetches URLs our server did not choose: only Shopify's CDN is
// fetched, redirects are not followed, and a download stops at the upload limit. The simulator
// plays Shopify (its CDN behind a stand-in we control, so it can redirect or send too much).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { db } from "~/db.server";
import { SHOPIFY_CDN_ORIGIN } from "~/products/fetch-product-image.server";
import { importProductPhotos } from "~/products/import-product-photos.server";
import { adminGraphqlFor } from "~/shopify-admin/admin-for-shop.server";
import { pacedClient } from "~/shopify-admin/paced-client.server";

import { installShop, productIds, SHOP, startHarness, type PublishHarness } from "../publish/support";

type Mode = "serve" | "redirect" | "endless";
let mode: Mode = "serve";
let requests = 0;
let bytesSent = 0;
let cdn: Server;
let cdnOrigin = "";
let harness: PublishHarness;
let shopId = "";

beforeAll(async () => {
  // The CDN the simulator's image URLs point at: passes through to the simulator's own CDN, or misbehaves.
  cdn = createServer((req, res) => {
    requests += 1;
    const upstream = `${harness.sim.url}${req.url}`;
    if (mode === "redirect") {
      res.writeHead(302, { Location: upstream }).end();
      return;
    }
    if (mode === "endless") {
      res.writeHead(200, { "Content-Type": "image/jpeg" }); // no Content-Length: only counting stops it
      const chunk = Buffer.alloc(1024 * 1024, 0xff);
      const pump = () => {
        while (bytesSent < 200 * 1024 * 1024) {
          bytesSent += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      res.on("close", () => undefined);
      pump();
      return;
    }
    void fetch(upstream).then(async (response) => {
      res.writeHead(response.status, { "Content-Type": response.headers.get("content-type") ?? "application/octet-stream" });
      res.end(Buffer.from(await response.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => cdn.listen(0, "127.0.0.1", () => resolve()));
  cdnOrigin = `http://127.0.0.1:${(cdn.address() as AddressInfo).port}`;
  harness = await startHarness({ publicUrl: cdnOrigin });
  shopId = (await installShop(harness.sim)).id;
});

afterAll(async () => {
  await harness?.stop();
  cdn?.closeAllConnections();
  await new Promise<void>((resolve) => cdn?.close(() => resolve()));
});

async function importMug(origins?: string[]) {
  const productId = productIds(harness.sim)[0]!; // the mug: three photos
  await db.asset.deleteMany({ where: { shopId } });
  requests = 0;
  bytesSent = 0;
  const client = pacedClient(SHOP, adminGraphqlFor(SHOP));
  return importProductPhotos(client, db, harness.storage, { shopId, productId, ...(origins ? { image: { origins } } : {}) });
}

describe("product photo import", () => {
  it("GIVEN photos on the CDN THEN all three are imported", async () => {
    mode = "serve";
    const result = await importMug([cdnOrigin]);
    expect(result?.photos).toHaveLength(3);
    expect(result?.skipped).toEqual([]);
  });

  it("GIVEN photo URLs that are not on Shopify's CDN THEN none is fetched or stored", async () => {
    mode = "serve";
    const result = await importMug([SHOPIFY_CDN_ORIGIN]); // production's list: the stand-in is not Shopify's CDN
    expect(result?.photos).toEqual([]);
    expect(result?.skipped).toHaveLength(3);
    expect(requests).toBe(0);
    expect(await db.asset.count({ where: { shopId } })).toBe(0);
  });

  it("GIVEN a CDN answering with redirects THEN they are not followed and nothing is stored", async () => {
    mode = "redirect";
    const result = await importMug([cdnOrigin, harness.sim.url]); // even a redirect to an allowed origin
    expect(result?.photos).toEqual([]);
    expect(result?.skipped).toHaveLength(3);
    expect(requests).toBe(3);
    expect(await db.asset.count({ where: { shopId } })).toBe(0);
  });

  it("GIVEN a download without end THEN reading stops at the 25 MB upload limit and nothing is stored", async () => {
    mode = "endless";
    const result = await importMug([cdnOrigin]);
    expect(result?.skipped).toHaveLength(3);
    expect(await db.asset.count({ where: { shopId } })).toBe(0);
    // Each of the three downloads was cut off near 25 MB (plus what sat in socket buffers), not read to its 200 MB.
    expect(bytesSent).toBeLessThan(3 * 40 * 1024 * 1024);
  });
});
