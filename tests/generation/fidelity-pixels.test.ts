// The offline compositor's fidelity check: the product area of its result compared with the
// source's cut-out (sharp), as the same score + reasons a Gemini verdict has.
import { describe, expect, it } from "vitest";

import { createOfflineProvider } from "~/generation/offline.server";
import type { GenerateRequest, ImageData } from "~/generation/provider";

import { alterProductArea, productOnLightBackground } from "./fixtures";

const provider = createOfflineProvider();

async function composed(source: ImageData) {
  const req: GenerateRequest = { model: "gemini-3.1-flash-image", prompt: "offline", sources: [source], aspectRatio: "4:5", resolution: "1K", presetId: "marble" };
  const result = await provider.generate(req);
  return { image: result.images[0]!, placement: result.placement!, frame: { width: 816, height: 1020 } };
}

describe("offline fidelity check (pixel comparison of the product area)", () => {
  it("GIVEN the compositor's own result THEN it passes with a high score and no reasons", async () => {
    const source = await productOnLightBackground();
    const { image, placement, frame } = await composed(source);
    expect(placement.width).toBeGreaterThan(100);
    const verdict = await provider.checkFidelity!({ sources: [source], result: image, placement, frame });
    expect(verdict).toMatchObject({ method: "pixels", reasons: [] });
    expect(verdict.score).toBeGreaterThanOrEqual(90);
  });

  it("GIVEN a result whose product changed colour THEN the score is low and the reason names the colours", async () => {
    const source = await productOnLightBackground();
    const { image, placement, frame } = await composed(source);
    const verdict = await provider.checkFidelity!({ sources: [source], result: await alterProductArea(image, placement, "recolour"), placement, frame });
    expect(verdict.score).toBeLessThan(70);
    expect(verdict.reasons.join(" ")).toMatch(/colour differs from the source photo \(on average #[0-9a-f]{6} instead of #[0-9a-f]{6}\)/);
  });

  it("GIVEN a result whose label was painted over THEN it is flagged with the share of the product that differs", async () => {
    const source = await productOnLightBackground();
    const { image, placement, frame } = await composed(source);
    const verdict = await provider.checkFidelity!({ sources: [source], result: await alterProductArea(image, placement, "label"), placement, frame });
    expect(verdict.score).toBeLessThan(70);
    expect(verdict.reasons.join(" ")).toMatch(/About \d+% of the product looks different from the source photo/);
  });

  it("GIVEN a placement that does not match where the product belongs THEN that is drift too", async () => {
    const source = await productOnLightBackground();
    const { image, placement, frame } = await composed(source);
    const verdict = await provider.checkFidelity!({ sources: [source], result: image, placement: { ...placement, width: placement.width * 0.5 }, frame });
    expect(verdict.score).toBeLessThanOrEqual(50);
    expect(verdict.reasons[0]).toMatch(/not where \(or not as large as\) it is in the source photo/);
  });
});
