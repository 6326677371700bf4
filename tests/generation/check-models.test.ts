// At startup (and from /healthz once the last check is an hour old), with Lightbox's own key:
// models.list through the real SDK against the Gemini fake, one warning per configured image model
// the key's account does not list, the key never in a message, and never fatal.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { checkConfiguredModels, lastModelCheck } from "~/generation/check-models.server";

import { startGeminiFake, type GeminiFake } from "../fakes/gemini/server";

let fake: GeminiFake;
beforeAll(async () => {
  fake = await startGeminiFake({ apiKey: "models-list-key-0123456789" });
});
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

describe("checking the configured models with models.list", () => {
  it("GIVEN one configured model the account no longer has THEN exactly one warning, naming it", async () => {
    fake.retire("gemini-3.1-flash-image");
    const warnings: string[] = [];
    const check = await checkConfiguredModels({
      apiKey: fake.apiKey,
      baseUrl: fake.baseUrl,
      configured: ["gemini-3.5-flash-image", "gemini-3.1-flash-image", "gemini-3-pro-image"],
      warn: (message) => warnings.push(message),
    });
    expect(check).toMatchObject({ status: "missing", missing: ["gemini-3.1-flash-image"] });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/GEMINI_MODELS offers gemini-3\.1-flash-image, but the Gemini API key's account does not list it/);
    expect(warnings[0]).not.toContain(fake.apiKey);
    expect(lastModelCheck()).toEqual(check);
    // The SDK asked GET /{v1,v1beta}/models (its default version) with the key in the header, not the URL.
    const list = fake.requests.filter((r) => r.action === "list");
    expect(list.length).toBeGreaterThanOrEqual(1);
    expect(list[0]).toMatchObject({ method: "GET", path: expect.stringMatching(/^\/v1(beta)?\/models$/), status: 200 });
    expect(list[0]!.headers["x-goog-api-key"]).toBe(fake.apiKey);
    expect(JSON.stringify(list[0]!.query)).not.toContain(fake.apiKey);
  });

  it("follows nextPageToken: a model on the second page counts as offered", async () => {
    const warnings: string[] = [];
    // pageSize 1000 is the SDK's ask; the fake answers the real shape, so ask it for small pages directly too.
    const firstPage = await (await fetch(`${fake.baseUrl}/v1beta/models?pageSize=2`, { headers: { "x-goog-api-key": fake.apiKey } })).json();
    expect(firstPage.models).toHaveLength(2);
    expect(firstPage.models[0]).toMatchObject({ name: "models/gemini-3.5-flash-image", baseModelId: "gemini-3.5-flash-image", displayName: "Gemini 3.5 Flash Image", supportedGenerationMethods: expect.arrayContaining(["generateContent"]) });
    expect(firstPage.nextPageToken).toEqual(expect.any(String));
    const secondPage = await (await fetch(`${fake.baseUrl}/v1beta/models?pageSize=2&pageToken=${firstPage.nextPageToken}`, { headers: { "x-goog-api-key": fake.apiKey } })).json();
    expect(secondPage.models.map((m: { name: string }) => m.name)).toEqual(["models/gemini-3-pro-image", "models/gemini-3.1-flash-lite-image"]);

    const check = await checkConfiguredModels({ apiKey: fake.apiKey, baseUrl: fake.baseUrl, configured: ["gemini-3.1-flash-lite-image", "gemini-3-pro-image"], warn: (m) => warnings.push(m) });
    expect(check.status).toBe("ok");
    expect(warnings).toEqual([]);
  });

  it("GIVEN a key Google refuses THEN one warning that the check could not run, without the key; nothing is judged missing", async () => {
    const warnings: string[] = [];
    const check = await checkConfiguredModels({ apiKey: "wrong-key-abcdefghijklmnop", baseUrl: fake.baseUrl, configured: ["gemini-3.5-flash-image"], warn: (m) => warnings.push(m) });
    expect(check).toMatchObject({ status: "unknown", missing: [] });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/could not check the configured Gemini image models[\s\S]*API key not valid/);
    expect(warnings[0]).not.toContain("wrong-key-abcdefghijklmnop");
  });
});
