// A merchant opens a product in Lightbox, makes images for it in the Studio (offline compositor),
// publishes one as the featured image with the suggested alt text, sees it in the product's
// gallery (read back from Admin GraphQL, and checked in the simulator's store), sees a second
// image fail with a reason it can act on, then reverts and sees the original gallery again.
import { readdirSync, rmSync } from "node:fs";
import path from "node:path";

import { DEMO_SHOP } from "@lightbox/shopify-simulator";
import { describe, expect, it } from "vitest";

import { externalHosts, stackAndBrowserForFile } from "./support/browser";

const ctx = stackAndBrowserForFile("publish");

function gallery(productId: number) {
  const shop = ctx.stack.sim.shop(DEMO_SHOP);
  return shop.products.get(productId)!.mediaIds.map((id) => ({ id, alt: shop.media.get(id)!.alt, status: shop.media.get(id)!.status }));
}

describe.skipIf(!ctx.enabled)("publish from the product page", () => {
  it("generates, publishes as featured with alt text, shows it on the product, reverts to the original gallery", async () => {
    const { browser, stack } = ctx;
    const mug = [...stack.sim.shop(DEMO_SHOP).products.values()].find((p) => p.title === "Ceramic Coffee Mug")!;
    const original = gallery(mug.id);
    expect(original).toHaveLength(3);

    await browser.page.goto(stack.adminUrl(`app/products/${mug.id}`));
    let app = await browser.appFrame(stack.appUrl);
    await app.getByText("On Shopify now").waitFor();
    await app.getByText("No Lightbox images yet").waitFor();
    await app.getByText(original[0]!.alt, { exact: true }).waitFor();
    await browser.shot("product-before");

    // Make two images in the Studio (the product page's "Generate images" opens it for this product).
    await app.getByRole("link", { name: "Generate images" }).first().click();
    await app.getByText("Making images for Ceramic Coffee Mug").waitFor();
    await app.getByRole("button", { name: "Generate" }).click();
    await app.getByText("Result 2").waitFor({ timeout: 60_000 });
    await expect.poll(() => app.getByRole("progressbar").count(), { timeout: 30_000 }).toBe(0);

    await browser.page.goto(stack.adminUrl(`app/products/${mug.id}`));
    app = await browser.appFrame(stack.appUrl);
    await app.getByText("Lightbox images for this product").waitFor();
    await expect.poll(() => app.getByLabel("Select to publish").count()).toBe(2);
    await app.getByLabel("Select to publish").first().check();
    await app.getByRole("button", { name: "Publish selected" }).click();

    // The dialog suggests alt text (offline provider: a plain template); the merchant edits it.
    const dialog = app.getByRole("dialog");
    const alt = dialog.getByLabel("Alt text");
    await expect.poll(() => alt.inputValue(), { timeout: 15_000 }).toMatch(/^Ceramic Coffee Mug product photo on /);
    await alt.fill("Terracotta coffee mug on a clean white studio background");
    await dialog.getByLabel("Where").selectOption({ label: "Make it the featured image" });
    await browser.shot("publish-dialog");
    await dialog.getByRole("button", { name: "Publish", exact: true }).click();

    await app.getByText("Publishing to Shopify…").waitFor();
    await browser.shot("publishing");
    await app.getByText("1 published").waitFor({ timeout: 60_000 });
    await app.getByText("Terracotta coffee mug on a clean white studio background").first().waitFor();
    await browser.shot("published");

    // Shopify (the simulator's store) has it first, processed, with the alt text.
    const published = gallery(mug.id);
    expect(published).toHaveLength(4);
    expect(published[0]).toMatchObject({ alt: "Terracotta coffee mug on a clean white studio background", status: "READY" });
    expect(published.slice(1)).toEqual(original);
    // The page's gallery (read through Admin GraphQL) shows it featured and marked as Lightbox's.
    const firstTile = app.getByText("Featured", { exact: true }).first().locator("xpath=ancestor::div[contains(@class,'Polaris-BlockStack')][1]");
    await expect.poll(() => firstTile.textContent()).toContain("Lightbox");

    // The second image's original is gone from storage: Shopify cannot download it.
    for (const file of readdirSync(path.join(ctx.dataDir, "objects"), { recursive: true, encoding: "utf8" })) {
      if (/generated\/.*original\.\w+$/.test(file)) rmSync(path.join(ctx.dataDir, "objects", file));
    }
    await app.getByLabel("Select to publish").last().check();
    await app.getByRole("button", { name: "Publish selected" }).click();
    // No suggestion can be written for an image that is gone, and the dialog says why; the
    // merchant writes the alt text and publishes anyway.
    await app.getByRole("dialog").getByText("No suggestion: The image is missing from storage. Upload or generate it again.").waitFor({ timeout: 15_000 });
    await app.getByRole("dialog").getByLabel("Alt text").fill("Red mug on a marble counter");
    await app.getByRole("dialog").getByRole("button", { name: "Publish", exact: true }).click();
    await app.getByText("1 image could not be published").waitFor({ timeout: 60_000 });
    await app.getByText("Shopify could not download the image from Lightbox. Check that the image is still in your Library, then publish it again.").waitFor();
    await browser.shot("failed");
    expect(gallery(mug.id)).toEqual(published);

    await app.getByRole("button", { name: "Revert to original gallery" }).click();
    await app.getByRole("dialog").getByRole("button", { name: "Revert", exact: true }).click();
    await app.getByText("Original gallery restored").waitFor({ timeout: 60_000 });
    await app.getByText(original[0]!.alt, { exact: true }).waitFor();
    await browser.shot("reverted");
    expect(gallery(mug.id)).toEqual(original);
    await expect.poll(() => app.getByText("Reverted", { exact: true }).count()).toBeGreaterThan(0);

    expect(externalHosts(browser.requests)).toEqual([]);
  });
});
