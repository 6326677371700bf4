// The fidelity check in the Studio (Gemini fake): a generation's result whose product drifted gets a
// "Check product" badge with the model's reasons once its check lands; the good one does not. The
// flagged one regenerates free once: the balance stays, the Usage page shows a 0-credit line.
import { DEMO_SHOP } from "@lightbox/shopify-simulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startGeminiFake, type GeminiFake } from "../fakes/gemini/server";
import { externalHosts, stackAndBrowserForFile } from "./support/browser";

const GEMINI_KEY = "e2e-fidelity-service-key";
const DRIFT = ["The label reads “BREW CO.” instead of “Ceramic Coffee”.", "The mug is blue instead of white."];
let gemini: GeminiFake;
beforeAll(async () => {
  gemini = await startGeminiFake({ apiKey: GEMINI_KEY });
});
afterAll(async () => {
  await gemini?.stop();
});

const ctx = stackAndBrowserForFile("fidelity", { env: () => ({ GEMINI_API_KEY: GEMINI_KEY, GEMINI_BASE_URL: gemini.baseUrl }) });

describe.skipIf(!ctx.enabled)("fidelity check in the Studio", () => {
  it("flags the drifted result with its reasons, and regenerates it once free", async () => {
    const { page } = ctx.browser;
    const mug = [...ctx.stack.sim.shop(DEMO_SHOP).products.values()].find((p) => p.title === "Ceramic Coffee Mug")!;
    await page.goto(ctx.stack.adminUrl(`app/studio?productId=${encodeURIComponent(`gid://shopify/Product/${mug.id}`)}`));
    let studio = await ctx.browser.appFrame(ctx.stack.appUrl);
    await studio.getByText("Making images for Ceramic Coffee Mug").waitFor();
    await studio.getByText("10 credits").waitFor();

    // Two images (the Studio's default), then their two checks: the first drifted, the second is fine.
    gemini.next({}, {}, { json: { score: 38, reasons: DRIFT } }, { json: { score: 93, reasons: [] } });
    await studio.getByLabel("Style preset").selectOption("marble");
    await studio.getByRole("button", { name: "Generate" }).click();
    await studio.getByText("Result 2").waitFor({ timeout: 60_000 });
    await studio.getByText("Check product").waitFor({ timeout: 30_000 });
    await studio.getByText(DRIFT[0]!).waitFor();
    await studio.getByText(DRIFT[1]!).waitFor();
    await studio.getByText("Fidelity 38/100").waitFor();
    await studio.getByText("Product check passed (93/100)").waitFor();
    expect(await studio.getByText("Check product").count()).toBe(1);
    await studio.getByText("Check product").scrollIntoViewIfNeeded();
    await ctx.browser.shot("flagged");

    // The one free regenerate: a new card, no credits.
    await studio.getByRole("button", { name: "Regenerate free" }).click();
    await studio.getByText("Regenerating free (no credits)").waitFor();
    await expect.poll(() => studio.getByText("succeeded").count(), { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
    await expect.poll(() => studio.getByText("Product check passed").count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    await studio.getByText("Free regenerate", { exact: true }).waitFor();
    await ctx.browser.shot("regenerated-free");

    // After a reload: 8 credits (the two images), and the flagged result no longer offers it.
    await page.reload();
    studio = await ctx.browser.appFrame(ctx.stack.appUrl);
    await studio.getByText("8 credits").waitFor();
    await studio.getByText("Check product").waitFor();
    expect(await studio.getByRole("button", { name: "Regenerate free" }).count()).toBe(0);

    await page.goto(ctx.stack.adminUrl("app/usage"));
    const usage = await ctx.browser.appFrame(ctx.stack.appUrl);
    await usage.getByText(/Free regenerate: the fidelity check flagged an image \(score 38\)/).waitFor();
    await ctx.browser.shot("usage");

    expect(gemini.jsonRequests().length).toBe(3);
    expect(externalHosts(ctx.browser.requests)).toEqual([]);
  });

  it("flags drifted results in the batch review, each with a free regenerate", async () => {
    const { page } = ctx.browser;
    gemini.setFidelity({ score: 45, reasons: ["The logo on the front is missing."] });
    await page.goto(ctx.stack.adminUrl("app/batches/new"));
    const app = await ctx.browser.appFrame(ctx.stack.appUrl);
    await app.getByText("1. Products").waitFor();
    await app.getByLabel("Product type").fill("Drinkware");
    await app.getByRole("button", { name: "Preview cost and time" }).click();
    await app.getByText("Before it starts").waitFor({ timeout: 30_000 });
    await app.getByRole("button", { name: "Start batch" }).click();
    await app.getByRole("link", { name: "Open the review page" }).click();
    await app.getByText("Batch review", { exact: true }).waitFor({ timeout: 30_000 });
    // The Drinkware products without a Lightbox image yet (the mug has some when the Studio test ran first).
    await app.getByText("To review", { exact: true }).waitFor({ timeout: 90_000 });
    const made = await app.getByText("Ready for review", { exact: true }).count();
    expect(made).toBeGreaterThanOrEqual(1);
    // The checks land after the images: the page shows them on a later load.
    await expect
      .poll(async () => {
        await page.reload();
        const review = await ctx.browser.appFrame(ctx.stack.appUrl);
        await review.getByText("Batch review", { exact: true }).waitFor();
        return review.getByText("Check product").count();
      }, { timeout: 30_000 })
      .toBe(made);
    const review = await ctx.browser.appFrame(ctx.stack.appUrl);
    await review.getByText("The logo on the front is missing.").first().waitFor();
    await review.getByText("Fidelity 45/100").first().waitFor();
    await ctx.browser.shot("batch-flagged");

    await review.getByRole("button", { name: /Regenerate .* flagged image free/ }).first().click();
    await review.getByText("Regenerating free").waitFor();
    await expect.poll(() => review.getByRole("button", { name: /Regenerate .* flagged image free/ }).count()).toBe(made - 1);
    await ctx.browser.shot("batch-regenerated-free");
    expect(externalHosts(ctx.browser.requests)).toEqual([]);
  });
});
