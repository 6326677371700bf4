// The bulk action end to end: in the local Shopify admin's products list a merchant selects 5
// products, picks "Generate images with Lightbox" from More actions, sees the cost preview (the
// REAL extension bundle from `shopify app build`, in the simulator's extension host), starts a
// batch (offline compositor, no GEMINI_API_KEY), follows the link to the batch's review page in the
// app, approves all 5 and sees them published; the simulator's store has each product's new image.
// The product action "Open in Lightbox" shows a product's status and opens the Studio for it.
import { DEMO_SHOP } from "@lightbox/shopify-simulator";
import { describe, expect, it } from "vitest";

import { externalHosts, stackAndBrowserForFile } from "./support/browser";

const ctx = stackAndBrowserForFile("batch");

const CHOSEN = ["Ceramic Coffee Mug", "Insulated Water Bottle", "Everyday Canvas Sneaker", "Organic Cotton Tee", "Commuter Backpack"];

function storeProduct(title: string) {
  const shop = ctx.stack.sim.shop(DEMO_SHOP);
  const product = [...shop.products.values()].find((p) => p.title === title)!;
  return { product, media: product.mediaIds.map((id) => shop.media.get(id)!) };
}

describe.skipIf(!ctx.enabled)("Lightbox's admin actions in the Shopify admin", () => {
  it("a product's More actions: Open in Lightbox says nothing was made yet and opens the Studio for it", async () => {
    const { browser, stack } = ctx;
    const { page } = browser;
    const lamp = storeProduct("Brass Desk Lamp").product;
    await page.goto(`${stack.sim.url}/store/lightbox-demo/products/${lamp.id}`);
    await page.getByTestId("product-media").getByRole("img").first().waitFor();
    await page.getByRole("button", { name: "More actions" }).click();
    await page.getByRole("menuitem", { name: "Open in Lightbox" }).click();
    const extension = page.frameLocator("#extension-frame");
    await extension.getByText("No Lightbox images for this product yet.", { exact: false }).waitFor({ timeout: 30_000 });
    await browser.shot("product-action-fresh");
    await extension.getByRole("button", { name: "Open the Studio" }).click();
    await page.waitForURL(/\/apps\/lightbox\/app\/studio\?productId=/);
    const studio = await browser.appFrame(stack.appUrl);
    await studio.getByText("Making images for Brass Desk Lamp").waitFor({ timeout: 30_000 });
    await browser.shot("studio-from-product-action");
  });

  it("selects 5 products, previews the cost, starts a batch, reviews and approves all; each product gets its image", async () => {
    const { browser, stack } = ctx;
    const { page } = browser;
    const before = new Map(CHOSEN.map((title) => [title, storeProduct(title).media.length]));

    await page.goto(`${stack.sim.url}/store/lightbox-demo/products`);
    await page.getByRole("table", { name: "Products" }).waitFor();
    for (const title of CHOSEN) await page.getByLabel(`Select ${title}`).check();
    await expect.poll(() => page.getByTestId("selected-count").textContent()).toBe("5 selected");
    await page.getByRole("button", { name: "More actions" }).click();
    await page.getByRole("menuitem", { name: "Generate images with Lightbox" }).waitFor();
    await browser.shot("products-selected");

    await page.getByRole("menuitem", { name: "Generate images with Lightbox" }).click();
    const modal = page.getByTestId("extension-modal");
    const extension = page.frameLocator("#extension-frame");
    await extension.getByText("5 products · 5 images").waitFor({ timeout: 30_000 });
    await extension.getByText("Free: offline compositor, no AI (Gemini is not set up)").waitFor();
    await extension.getByText(/^Estimated time: (under a minute|about \d+ minutes?)$/).waitFor();
    await expect.poll(() => modal.getByRole("heading", { name: "Generate images with Lightbox" }).count()).toBe(1);
    await extension.getByLabel("Style").selectOption({ label: "Marble" });
    await extension.getByLabel("Review first").check();
    await browser.shot("bulk-action-preview");

    await extension.getByRole("button", { name: "Start batch" }).click();
    await extension.getByText("Batch started").waitFor({ timeout: 30_000 });
    await extension.getByText("Lightbox is making images for 5 products.", { exact: false }).waitFor();
    await browser.shot("bulk-action-started");

    // The link opens the batch's review page inside the app (app:app/batches/<id>).
    await extension.getByRole("link", { name: "Open the batch's review page" }).click();
    await page.waitForURL(/\/store\/lightbox-demo\/apps\/lightbox\/app\/batches\/[^/?]+/);
    const batchId = /\/app\/batches\/([^/?]+)/.exec(page.url())![1]!;
    const app = await browser.appFrame(stack.appUrl);
    expect(new URL(app.url()).pathname).toBe(`/app/batches/${batchId}`);

    // The review page polls itself: all 5 are made and wait for review.
    await expect.poll(() => app.getByText("Ready for review", { exact: true }).count(), { timeout: 90_000 }).toBe(5);
    for (const title of CHOSEN) await app.getByText(title).first().waitFor();
    await browser.shot("review-ready");

    await app.getByRole("button", { name: "Approve all" }).click();
    await expect.poll(() => app.getByText("Published", { exact: true }).count(), { timeout: 90_000 }).toBe(5);
    await browser.shot("review-published");

    // Shopify (the simulator's store) has one more image on each product, processed.
    for (const title of CHOSEN) {
      const { media } = storeProduct(title);
      expect(media, title).toHaveLength(before.get(title)! + 1);
      expect(media.at(-1)!.status, title).toBe("READY");
    }

    // The product's own action shows what Lightbox did and opens the Studio for it.
    const mug = storeProduct("Ceramic Coffee Mug").product;
    await page.goto(`${stack.sim.url}/store/lightbox-demo/products/${mug.id}`);
    await page.getByRole("button", { name: "More actions" }).click();
    await page.getByRole("menuitem", { name: "Open in Lightbox" }).click();
    await extension.getByText("1 image generated").waitFor({ timeout: 30_000 });
    await extension.getByText("1 image published on this product").waitFor();
    await browser.shot("product-action");

    expect(externalHosts(browser.requests)).toEqual([]);
  });
});
