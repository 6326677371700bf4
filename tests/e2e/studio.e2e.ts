// A merchant makes studio images for a product in the Studio (offline compositor: no AI), watches
// the progress bar finish, sees the results next to the source, refines one, and discards one.
import { DEMO_SHOP } from "@lightbox/shopify-simulator";
import { describe, expect, it } from "vitest";

import { externalHosts, stackAndBrowserForFile } from "./support/browser";

const ctx = stackAndBrowserForFile("studio");

describe.skipIf(!ctx.enabled)("Studio", () => {
  it("generates with the offline compositor, shows progress then the results, and refines one", async () => {
    const mug = [...ctx.stack.sim.shop(DEMO_SHOP).products.values()].find((p) => p.title === "Ceramic Coffee Mug")!;
    await ctx.browser.page.goto(ctx.stack.adminUrl(`app/studio?productId=${encodeURIComponent(`gid://shopify/Product/${mug.id}`)}`));
    const studio = await ctx.browser.appFrame(ctx.stack.appUrl);
    await studio.getByText("Making images for Ceramic Coffee Mug").waitFor();
    await studio.getByText("No AI in use").waitFor();
    await studio.getByText("Free: composed locally, no AI").waitFor();
    await ctx.browser.shot("studio");

    await studio.getByLabel("Style preset").selectOption("marble");
    await studio.getByLabel("Aspect ratio").selectOption("4:5");
    await studio.getByRole("button", { name: "Generate" }).click();
    await studio.getByText(/Waiting to start|Working…/).first().waitFor();
    await studio.getByText(/Waiting to start|Working…/).first().scrollIntoViewIfNeeded();
    await ctx.browser.shot("progress");

    await studio.getByText("Result 2").waitFor({ timeout: 60_000 });
    await expect.poll(() => studio.getByRole("progressbar").count()).toBe(0);
    await studio.getByText("Result 2").scrollIntoViewIfNeeded();
    await ctx.browser.shot("results");

    const results = studio.locator('img[alt="Result 1"]');
    const box = await results.first().evaluate((img: HTMLImageElement) => ({ w: img.naturalWidth, h: img.naturalHeight }));
    expect(box.w / box.h).toBeCloseTo(4 / 5, 2);

    await studio.getByLabel("Refine").first().fill("darker background");
    await studio.getByRole("button", { name: "Refine" }).first().click();
    await studio.getByText("Refine: “darker background”").waitFor();
    await expect.poll(() => studio.getByText("succeeded").count(), { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
    await studio.getByText("Refine: “darker background”").scrollIntoViewIfNeeded();
    await ctx.browser.shot("refined");

    await studio.getByRole("button", { name: "Discard" }).last().click();
    await studio.getByText("Discarded.").waitFor();
    await studio.getByText("Discarded.").scrollIntoViewIfNeeded();
    await ctx.browser.shot("discarded");

    expect(externalHosts(ctx.browser.requests)).toEqual([]);
  });
});
