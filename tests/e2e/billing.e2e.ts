// A shop on Free buys a credit pack: the Plans page sends the merchant to Shopify's (the local
// simulator's) confirmation page, they approve, come back to Plans and see the balance risen
// once (also after Shopify's webhook arrived); a Gemini generation (the Gemini fake) spends
// credits; the Usage page shows the three entries (trial, pack, generation) and the chart.
import { DEMO_SHOP } from "@lightbox/shopify-simulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startGeminiFake, type GeminiFake } from "../fakes/gemini/server";
import { externalHosts, stackAndBrowserForFile } from "./support/browser";

const GEMINI_KEY = "e2e-billing-service-key";
let gemini: GeminiFake;
beforeAll(async () => {
  gemini = await startGeminiFake({ apiKey: GEMINI_KEY });
});
afterAll(async () => {
  await gemini?.stop();
});

const ctx = stackAndBrowserForFile("billing", { env: () => ({ GEMINI_API_KEY: GEMINI_KEY, GEMINI_BASE_URL: gemini.baseUrl }) });

describe.skipIf(!ctx.enabled)("plans, a credit pack, usage", () => {
  it("buys a pack on Shopify's confirmation page, spends credits on a generation, and shows all three on the Usage page", async () => {
    const { page } = ctx.browser;
    await page.goto(ctx.stack.adminUrl("app/plans"));
    let plans = await ctx.browser.appFrame(ctx.stack.appUrl);
    await plans.getByRole("heading", { name: "Free plan" }).waitFor();
    const credits = plans.getByText("Everything you can spend now").locator("..");
    await expect.poll(() => credits.innerText()).toContain("10");
    await ctx.browser.shot("plans-free");

    // Off to Shopify: the whole admin window goes to the charge's confirmation page.
    await plans.getByRole("button", { name: "Buy 100 credits" }).click();
    await page.waitForURL(/\/charges\/lightbox\/\d+\/ApplicationCharge\/confirm_application_charge/);
    await page.getByText("Approve charge").waitFor();
    await page.getByText("Lightbox 100 credits").waitFor();
    await page.getByText("$12.00 USD once").waitFor();
    await ctx.browser.shot("confirmation");

    await page.getByRole("button", { name: "Approve" }).click();
    await page.waitForURL(/\/apps\/[^/]+\/app\/plans/);
    plans = await ctx.browser.appFrame(ctx.stack.appUrl);
    await plans.getByText("100 credits bought: 100 credits are in your balance.").waitFor();
    await expect.poll(() => plans.getByText("Everything you can spend now").locator("..").innerText()).toContain("110");
    await ctx.browser.shot("pack-bought");

    // Shopify's webhook for the same charge arrives too: the balance stays where it is.
    await expect
      .poll(() => ctx.stack.sim.state.webhooks.filter((w) => w.topic === "app_purchases_one_time/update" && w.status === 200).length, { timeout: 10_000 })
      .toBe(1);
    await page.goto(ctx.stack.adminUrl("app/plans"));
    plans = await ctx.browser.appFrame(ctx.stack.appUrl);
    await plans.getByRole("heading", { name: "Free plan" }).waitFor();
    await expect.poll(() => plans.getByText("Everything you can spend now").locator("..").innerText()).toContain("110");
    await plans.getByText("Charges").scrollIntoViewIfNeeded();
    await ctx.browser.shot("plans-after-webhook");

    // A Gemini generation of the Studio's default two 1K images costs two credits.
    const mug = [...ctx.stack.sim.shop(DEMO_SHOP).products.values()].find((p) => p.title === "Ceramic Coffee Mug")!;
    await page.goto(ctx.stack.adminUrl(`app/studio?productId=${encodeURIComponent(`gid://shopify/Product/${mug.id}`)}`));
    const studio = await ctx.browser.appFrame(ctx.stack.appUrl);
    await studio.getByText("Making images for Ceramic Coffee Mug").waitFor();
    await studio.getByText("110 credits").waitFor();
    await studio.getByLabel("Style preset").selectOption("marble");
    await studio.getByRole("button", { name: "Generate" }).click();
    await studio.getByText("Result 2").waitFor({ timeout: 60_000 });
    expect(gemini.generateRequests().length).toBeGreaterThanOrEqual(1);

    await page.goto(ctx.stack.adminUrl("app/usage"));
    const usage = await ctx.browser.appFrame(ctx.stack.appUrl);
    await usage.getByText("Credits spent per day").waitFor();
    const rows = usage.locator(".Polaris-IndexTable__TableRow");
    await expect.poll(() => rows.count()).toBe(3);
    expect(await rows.allInnerTexts()).toEqual([
      expect.stringMatching(/Spent[\s\S]*2 × gemini-3\.5-flash-image 1K[\s\S]*Gemini 3\.5 Flash Image[\s\S]*-2[\s\S]*108/),
      expect.stringMatching(/Grant[\s\S]*Credit pack: 100 credits[\s\S]*\+100[\s\S]*110/),
      expect.stringMatching(/Grant[\s\S]*Free trial credits[\s\S]*\+10[\s\S]*10/),
    ]);
    expect(await usage.locator('[data-testid="usage-chart"] rect[data-model="gemini-3.5-flash-image"]').count()).toBe(1);
    await ctx.browser.shot("usage");

    // The CSV export has the same three entries.
    const download = page.waitForEvent("download");
    await usage.getByRole("button", { name: "Export CSV" }).click();
    const csv = await (await download).createReadStream().then(async (stream) => {
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    });
    expect(csv.trimEnd().split("\r\n")).toHaveLength(4);

    expect(externalHosts(ctx.browser.requests)).toEqual([]);
  });
});
