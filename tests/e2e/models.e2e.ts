// The image models are configuration: the built app started with GEMINI_MODELS and
// GEMINI_DEFAULT_MODEL offers exactly those in the Studio (the default first, the 1K-only draft
// model at its honest price). At startup it asked Gemini (the fake) which models the key's account
// has and warned about the one it lacks. A generation with that model (Google retired it: 404
// NOT_FOUND) fails readably, naming it and what to pick, refunds its credits, and the Studio stops
// offering it.
import { DEMO_SHOP } from "@lightbox/shopify-simulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startGeminiFake, type GeminiFake } from "../fakes/gemini/server";
import { externalHosts, stackAndBrowserForFile } from "./support/browser";

const GEMINI_KEY = "e2e-models-service-key";
let gemini: GeminiFake;
beforeAll(async () => {
  gemini = await startGeminiFake({ apiKey: GEMINI_KEY });
  // Google shut the deprecated model down; this deployment still offers it.
  gemini.retire("gemini-3.1-flash-image");
});
afterAll(async () => {
  await gemini?.stop();
});

const ctx = stackAndBrowserForFile("models", {
  env: () => ({
    GEMINI_API_KEY: GEMINI_KEY,
    GEMINI_BASE_URL: gemini.baseUrl,
    GEMINI_MODELS: "gemini-3.1-flash-lite-image,gemini-3.5-flash-image,gemini-3.1-flash-image",
    GEMINI_DEFAULT_MODEL: "gemini-3.5-flash-image",
  }),
});

describe.skipIf(!ctx.enabled)("models as configuration", () => {
  it("offers the configured models, warns at startup about the one Gemini lacks, and stops offering it after its 404", async () => {
    // Startup: models.list against the fake, one warning naming the missing model, never the key.
    await expect.poll(() => ctx.stack.output(), { timeout: 10_000 }).toMatch(/GEMINI_MODELS offers gemini-3\.1-flash-image, but the Gemini API key's account does not list it/);
    expect(ctx.stack.output().match(/does not list it/g)).toHaveLength(1);
    expect(ctx.stack.output()).not.toContain(GEMINI_KEY);
    const health = await (await fetch(`${ctx.stack.appUrl}/healthz`)).json();
    expect(health).toMatchObject({ ok: true, geminiModels: { offered: ["gemini-3.1-flash-lite-image", "gemini-3.5-flash-image", "gemini-3.1-flash-image"], retired: [], missing: ["gemini-3.1-flash-image"] } });

    const mug = [...ctx.stack.sim.shop(DEMO_SHOP).products.values()].find((p) => p.title === "Ceramic Coffee Mug")!;
    const studioUrl = ctx.stack.adminUrl(`app/studio?productId=${encodeURIComponent(`gid://shopify/Product/${mug.id}`)}`);
    await ctx.browser.page.goto(studioUrl);
    let studio = await ctx.browser.appFrame(ctx.stack.appUrl);
    await studio.getByText("Making images for Ceramic Coffee Mug").waitFor();
    await studio.getByText("10 credits").first().waitFor();
    const modelOptions = () => studio.getByLabel("Model").locator("option").allInnerTexts();
    // The configured ones, the default first.
    expect(await modelOptions()).toEqual(["Gemini 3.5 Flash Image", "Gemini 3.1 Flash-Lite Image (draft, 1K)", "Gemini 3.1 Flash Image"]);
    await studio.getByText("Costs 2 credits · you have 10").waitFor();

    // The draft model: 1K only, half a credit per image, rounded up.
    await studio.getByLabel("Size").selectOption("2K");
    await studio.getByLabel("Model").selectOption("gemini-3.1-flash-lite-image");
    expect(await studio.getByLabel("Size").locator("option").allInnerTexts()).toEqual(["1K"]);
    await studio.getByText("Costs 1 credit (½ credit per image, rounded up) · you have 10").waitFor();
    await ctx.browser.shot("draft-model");

    // The retired model: Gemini answers 404 NOT_FOUND; the card says what happened and what to pick.
    await studio.getByLabel("Model").selectOption("gemini-3.1-flash-image");
    await studio.getByText("Costs 2 credits · you have 10").waitFor();
    await studio.getByRole("button", { name: "Generate" }).click();
    const failure = studio.getByText(/Gemini no longer offers the model gemini-3\.1-flash-image \(Google has retired it\), so nothing was made and the credits were refunded\. Pick Gemini 3\.5 Flash Image \(gemini-3\.5-flash-image\) instead/);
    await failure.waitFor({ timeout: 60_000 });
    await failure.scrollIntoViewIfNeeded();
    await ctx.browser.shot("retired-model-failed");
    expect(gemini.generateRequests().filter((r) => r.model === "gemini-3.1-flash-image").map((r) => r.status)).toEqual([404]);

    // Reloaded: the model is gone from the picker, and the credits are all back.
    await ctx.browser.page.goto(studioUrl);
    studio = await ctx.browser.appFrame(ctx.stack.appUrl);
    await studio.getByText("Making images for Ceramic Coffee Mug").waitFor();
    await studio.getByText("10 credits").first().waitFor();
    expect(await modelOptions()).toEqual(["Gemini 3.5 Flash Image", "Gemini 3.1 Flash-Lite Image (draft, 1K)"]);
    await ctx.browser.shot("retired-model-gone");
    expect(await (await fetch(`${ctx.stack.appUrl}/healthz`)).json()).toMatchObject({ geminiModels: { offered: ["gemini-3.1-flash-lite-image", "gemini-3.5-flash-image"], retired: ["gemini-3.1-flash-image"] } });

    expect(externalHosts(ctx.browser.requests)).toEqual([]);
  });
});
