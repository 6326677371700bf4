import sharp from "sharp";
import { describe, expect, it } from "vitest";

import { ASPECT_RATIOS, exactOutputSize, parseAspectRatio } from "~/generation/models";
import { composeProductPhoto, createOfflineProvider } from "~/generation/offline.server";
import { PRESETS, getPreset } from "~/generation/presets";
import { GenerationError, type GenerateRequest } from "~/generation/provider";

import {
  isReddish,
  productOnBusyBackground,
  productOnLightBackground,
  rawPixels,
  transparentProduct,
} from "./fixtures";

const provider = createOfflineProvider();

function request(overrides: Partial<GenerateRequest> = {}): GenerateRequest {
  return {
    model: "gemini-3.1-flash-image",
    prompt: "offline",
    sources: [],
    aspectRatio: "1:1",
    resolution: "1K",
    presetId: "holiday",
    ...overrides,
  };
}

describe("offline provider", () => {
  it("says clearly that no AI is used", () => {
    expect(provider.id).toBe("offline");
    expect(provider.label).toMatch(/no AI/);
  });

  it.each(ASPECT_RATIOS)("GIVEN aspect ratio %s THEN the output has exactly that ratio at 1K", async (ratio) => {
    const source = await productOnLightBackground();
    const result = await provider.generate(request({ sources: [source], aspectRatio: ratio }));
    expect(result.images).toHaveLength(1);
    const meta = await sharp(result.images[0]!.bytes).metadata();
    const { w, h } = parseAspectRatio(ratio);
    expect(meta.width! * h).toBe(meta.height! * w);
    expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(1024);
    expect(Math.max(meta.width!, meta.height!)).toBeGreaterThanOrEqual(1000);
    expect(result.images[0]!.mimeType).toBe("image/jpeg");
    expect(meta.format).toBe("jpeg");
  });

  it("GIVEN a product on white WHEN composed on a dark backdrop THEN the white is gone, the product and its white label stay, centred", async () => {
    const source = await productOnLightBackground();
    const holiday = getPreset("holiday")!;
    const result = await composeProductPhoto({ source, backdrop: holiday.backdrop, width: 1024, height: 1024 });
    expect(result.cutout).toBe("removed");
    const px = await rawPixels(result.image);
    const box = result.productBox;
    // Product centred.
    expect(Math.abs(box.left + box.width / 2 - 512)).toBeLessThanOrEqual(1);
    expect(Math.abs(box.top + box.height / 2 - 512)).toBeLessThanOrEqual(1);
    // Cropped to the product: the bottle fills its box (the source photo was mostly white).
    expect(box.height).toBeGreaterThan(700);
    // Bottle body is red, the white label inside the product is kept.
    expect(isReddish(px.at(box.left + box.width / 2, box.top + box.height * 0.15))).toBe(true);
    const label = px.at(box.left + box.width / 2, box.top + box.height * 0.45);
    expect(Math.min(...label)).toBeGreaterThan(225);
    // The frame's corner and the area beside the product show the dark-red backdrop, not white.
    for (const [x, y] of [
      [5, 5],
      [box.left - 30, box.top + 20],
      [box.left + box.width + 30, box.top + 20],
    ] as const) {
      const [r, g, b] = px.at(x, y);
      expect(r).toBeGreaterThan(g);
      expect(Math.max(r, g, b)).toBeLessThan(200);
    }
    // The rounded corner of the bottle (source background there) shows backdrop, not white.
    expect(Math.min(...px.at(box.left + 1, box.top + 1))).toBeLessThan(200);
  });

  it("GIVEN an off-white (light grey) background THEN it is removed as well", async () => {
    const source = await productOnLightBackground({ background: "#ececec", format: "png" });
    const result = await composeProductPhoto({
      source,
      backdrop: getPreset("dark-luxe")!.backdrop,
      width: 800,
      height: 1000,
    });
    expect(result.cutout).toBe("removed");
    const px = await rawPixels(result.image);
    expect(Math.max(...px.at(result.productBox.left - 20, 500))).toBeLessThan(120);
  });

  it("GIVEN a busy background THEN the photo is placed as a whole, with a shadow", async () => {
    const source = await productOnBusyBackground();
    const result = await composeProductPhoto({
      source,
      backdrop: getPreset("white-studio")!.backdrop,
      width: 1024,
      height: 768,
    });
    expect(result.cutout).toBe("none");
    const px = await rawPixels(result.image);
    const { left, top, width, height } = result.productBox;
    expect(width / height).toBeCloseTo(800 / 600, 1);
    // Backdrop corner stays light; just below the photo, the shadow darkens the backdrop.
    const corner = px.at(3, 3);
    const belowPhoto = px.at(left + width / 2, top + height + 6);
    expect(Math.min(...corner)).toBeGreaterThan(200);
    expect(belowPhoto[0]).toBeLessThan(corner[0] - 15);
  });

  it("GIVEN a transparent PNG cut-out THEN its alpha is used", async () => {
    const result = await composeProductPhoto({
      source: await transparentProduct(),
      backdrop: getPreset("soft-color")!.backdrop,
      width: 1024,
      height: 1024,
    });
    expect(result.cutout).toBe("alpha");
    const px = await rawPixels(result.image);
    const [r, g, b] = px.at(512, 512);
    expect(b).toBeGreaterThan(150);
    expect(r).toBeLessThan(60);
    expect(g).toBeLessThan(100);
  });

  it("paints every preset backdrop (no preset falls back to plain white)", async () => {
    const source = await productOnLightBackground({ width: 600, height: 500 });
    for (const preset of PRESETS) {
      const result = await composeProductPhoto({ source, backdrop: preset.backdrop, width: 400, height: 300 });
      const px = await rawPixels(result.image);
      const top = px.at(200, 4);
      const expected = preset.backdrop.wall[0];
      const want = [1, 3, 5].map((i) => parseInt(expected.slice(i, i + 2), 16));
      // Near the top edge (some presets add bokeh / texture): within a loose tolerance.
      for (let c = 0; c < 3; c++) expect(Math.abs(top[c]! - want[c]!)).toBeLessThan(70);
    }
  });

  it("renders 2K and 4K at the documented long side", async () => {
    const source = await productOnLightBackground({ width: 800, height: 800 });
    for (const [resolution, long] of [
      ["2K", 2048],
      ["4K", 4096],
    ] as const) {
      const expected = exactOutputSize("4:5", resolution);
      expect(Math.max(expected.width, expected.height)).toBeLessThanOrEqual(long);
      const result = await provider.generate(request({ sources: [source], aspectRatio: "4:5", resolution }));
      const meta = await sharp(result.images[0]!.bytes).metadata();
      expect({ width: meta.width, height: meta.height }).toEqual(expected);
    }
  });

  it("returns result metadata without pretending to be an AI model", async () => {
    const result = await provider.generate(request({ sources: [await productOnLightBackground()] }));
    expect(result.modelVersion).toBe("offline-compositor-1");
    expect(result.finishReason).toBe("STOP");
    expect(result.usage.totalTokens).toBe(0);
    expect(result.responseId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.timings.attempts).toBe(1);
  });

  it("rejects unreadable photos and missing sources with merchant-readable errors", async () => {
    await expect(provider.generate(request({ sources: [] }))).rejects.toMatchObject({
      code: "INVALID_INPUT",
      message: "Pick at least one source photo of the product.",
    });
    const broken = { bytes: new Uint8Array([1, 2, 3, 4]), mimeType: "image/jpeg" };
    const error = await provider.generate(request({ sources: [broken] })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GenerationError);
    expect((error as GenerationError).code).toBe("INVALID_INPUT");
    expect((error as GenerationError).message).toMatch(/could not be read/);
  });

  it("honours an aborted signal", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      provider.generate(request({ sources: [await productOnLightBackground()] }), { signal: controller.signal }),
    ).rejects.toMatchObject({ code: "CANCELLED" });
  });

  it("writes template alt text within 125 characters", async () => {
    const image = await productOnLightBackground();
    expect(await provider.altText({ image, productTitle: "Ceramic Mug", presetId: "marble" })).toBe(
      "Ceramic Mug product photo on marble background",
    );
    expect(await provider.altText({ image, productTitle: "Mug" })).toBe(
      "Mug product photo on a studio background",
    );
    const long = await provider.altText({ image, productTitle: "Very long title ".repeat(20), presetId: "kitchen" });
    expect(long.length).toBeLessThanOrEqual(125);
    expect(long.endsWith("product photo on kitchen lifestyle background")).toBe(true);
  });
});
