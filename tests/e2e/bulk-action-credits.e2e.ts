// The bulk action when credits pay for it (Gemini through the Gemini fake): a shop with its 10
// trial credits selects all 12 products; the preview says the balance covers 10 of 12 and links
// to the Plans page; the batch makes 10 and pauses; with the balance spent, the next preview
// says what it needs and the batch cannot start.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startGeminiFake, type GeminiFake } from "../fakes/gemini/server";
import { externalHosts, stackAndBrowserForFile } from "./support/browser";

const GEMINI_KEY = "e2e-bulk-action-service-key";
let gemini: GeminiFake;
beforeAll(async () => {
  gemini = await startGeminiFake({ apiKey: GEMINI_KEY });
});
afterAll(async () => {
  await gemini?.stop();
});

const ctx = stackAndBrowserForFile("bulk-credits", { env: () => ({ GEMINI_API_KEY: GEMINI_KEY, GEMINI_BASE_URL: gemini.baseUrl }) });

describe.skipIf(!ctx.enabled)("bulk action billed in credits", () => {
  it("warns that 10 trial credits cover 10 of 12 products, links to Plans, and refuses once the balance is spent", async () => {
    const { browser, stack } = ctx;
    const { page } = browser;
    const extension = page.frameLocator("#extension-frame");
    const openBulkAction = async (select: () => Promise<void>) => {
      await page.goto(`${stack.sim.url}/store/lightbox-demo/products`);
      await select();
      await page.getByRole("button", { name: "More actions" }).click();
      await page.getByRole("menuitem", { name: "Generate images with Lightbox" }).click();
    };

    await openBulkAction(() => page.getByLabel("Select all products").check());
    await extension.getByText("12 products · 12 images").waitFor({ timeout: 30_000 });
    await extension.getByText("12 credits · balance 10 → 0 after").waitFor();
    await extension.getByText("Your balance covers 10 of 12 products; the batch pauses when the credits run out.", { exact: false }).waitFor();
    await browser.shot("preview-partly-covered");

    // The banner's link opens the app's Plans page.
    await extension.getByRole("link", { name: "Buy credits on the Plans page" }).click();
    await page.waitForURL(/\/apps\/lightbox\/app\/plans$/);
    const plans = await browser.appFrame(stack.appUrl);
    await plans.getByRole("heading", { name: "Free plan" }).waitFor({ timeout: 30_000 });
    await browser.shot("plans-from-bulk-action");

    // The merchant starts it anyway: 10 are made, then it pauses for credits.
    await openBulkAction(() => page.getByLabel("Select all products").check());
    await extension.getByRole("button", { name: "Start batch" }).click();
    await extension.getByRole("link", { name: "Open the batch's review page" }).click();
    await page.waitForURL(/\/app\/batches\/[^/?]+/);
    const review = await browser.appFrame(stack.appUrl);
    await expect.poll(() => review.getByText("Ready for review", { exact: true }).count(), { timeout: 90_000 }).toBe(10);
    await browser.shot("batch-paused-for-credits");

    // Nothing left: the preview says what it needs, and Start batch stays disabled.
    await openBulkAction(async () => {
      await page.getByLabel("Select Brass Desk Lamp").check();
      await page.getByLabel("Select Stoneware Vase").check();
    });
    await extension.getByText("This needs 2 credits and the shop has 0.", { exact: false }).waitFor({ timeout: 30_000 });
    await expect.poll(() => extension.getByRole("button", { name: "Start batch" }).isDisabled()).toBe(true);
    await browser.shot("preview-no-credits");

    expect(externalHosts(browser.requests)).toEqual([]);
  });
});
