// A merchant opens Lightbox inside (the local) Shopify admin: the app installs itself through
// token exchange and shows the shop's products; uninstalling removes every trace of the shop.
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";

import { DEMO_SHOP } from "@lightbox/shopify-simulator";
import { describe, expect, it } from "vitest";

import { openDatabase } from "~/db/open.server";

import { externalHosts, stackAndBrowserForFile } from "./support/browser";

const ctx = stackAndBrowserForFile("install");

describe.skipIf(!ctx.enabled)("install, browse, uninstall", () => {
  it("opens inside the admin, installs by token exchange and lists the seeded products", async () => {
    await ctx.browser.page.goto(ctx.stack.adminUrl());
    const home = await ctx.browser.appFrame(ctx.stack.appUrl);
    await home.getByText(/Welcome, Lightbox Demo/).waitFor();
    await ctx.browser.shot("home");

    await ctx.browser.page.goto(ctx.stack.adminUrl("app/products"));
    const products = await ctx.browser.appFrame(ctx.stack.appUrl);
    for (const title of ["Ceramic Coffee Mug", "Everyday Canvas Sneaker", "Wireless Headphones"]) {
      await products.getByText(title, { exact: true }).waitFor();
    }
    await ctx.browser.shot("products");

    await products.getByLabel("Search products").fill("mug");
    await products.getByLabel("Search products").press("Enter");
    await products.getByText("Ceramic Coffee Mug", { exact: true }).waitFor();
    await expect.poll(() => products.getByText("Wireless Headphones", { exact: true }).count()).toBe(0);
    await ctx.browser.shot("products-search");

    await ctx.browser.page.goto(ctx.stack.adminUrl("app/library"));
    const library = await ctx.browser.appFrame(ctx.stack.appUrl);
    await library.getByText("No images yet").waitFor();
    await ctx.browser.shot("library-empty");

    // Upload two photos through the drop zone: one good, one that is not an image.
    await library.locator('input[type="file"]').setInputFiles([
      path.resolve(__dirname, "../fixtures/images/valid-photo.jpg"),
      path.resolve(__dirname, "../fixtures/images/html-renamed.jpg"),
    ]);
    await library.getByText("Added", { exact: true }).waitFor();
    await library.getByText(/isn't an image: it is a web page/).waitFor();
    await library.getByRole("link", { name: "valid-photo.jpg" }).waitFor();
    await ctx.browser.shot("library-uploaded");

    expect(externalHosts(ctx.browser.requests)).toEqual([]);
  });

  it("uninstall webhook: the shop's rows and objects are gone", async () => {
    await ctx.stack.sim.uninstall(DEMO_SHOP);
    await ctx.stack.stopApp();
    const database = await openDatabase(undefined, ctx.dataDir);
    try {
      const shops = await database.prisma.shop.count({ where: { domain: DEMO_SHOP } });
      const sessions = await database.prisma.session.count({ where: { shop: DEMO_SHOP } });
      const processed = await database.prisma.webhookDelivery.count({ where: { topic: "APP_UNINSTALLED" } });
      expect({ shops, sessions, processed }).toEqual({ shops: 0, sessions: 0, processed: 1 });
      expect(await database.prisma.asset.count()).toBe(0);
      expect(await database.prisma.creditEntry.count()).toBe(0);
    } finally {
      await database.close();
    }
    const objects = path.join(ctx.dataDir, "objects", "shops");
    expect(existsSync(objects) ? readdirSync(objects, { recursive: true }).filter((f) => String(f).includes(".")) : []).toEqual([]);
  });
});
