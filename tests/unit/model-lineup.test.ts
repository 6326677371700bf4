// Which image models a deployment offers is configuration, validated at startup: every id must be
// in the model table, the default and the premium model among the offered ones. A mistake stops
// startup with a message naming the variable (the built server exits 78: tests/e2e/models.e2e.ts).
import { describe, expect, it } from "vitest";

import { parseEnv } from "~/env.server";

const dev = { NODE_ENV: "development" };

describe("the image model lineup from the environment", () => {
  it("GIVEN nothing set THEN the current GA lineup: 3.5 Flash by default, the Lite draft model, 3 Pro as premium; the deprecated 3.1 Flash not offered", () => {
    expect(parseEnv(dev).imageModels).toEqual({
      offered: ["gemini-3.5-flash-image", "gemini-3.1-flash-lite-image", "gemini-3-pro-image"],
      default: "gemini-3.5-flash-image",
      premium: "gemini-3-pro-image",
    });
  });

  it("GIVEN GEMINI_MODELS, GEMINI_DEFAULT_MODEL and GEMINI_PREMIUM_MODEL THEN exactly that lineup, in that order", () => {
    const env = parseEnv({ ...dev, GEMINI_MODELS: " gemini-3.1-flash-image, gemini-3-pro-image ", GEMINI_DEFAULT_MODEL: "gemini-3.1-flash-image", GEMINI_PREMIUM_MODEL: "gemini-3-pro-image" });
    expect(env.imageModels).toEqual({ offered: ["gemini-3.1-flash-image", "gemini-3-pro-image"], default: "gemini-3.1-flash-image", premium: "gemini-3-pro-image" });
    expect(parseEnv({ ...dev, GEMINI_MODELS: "gemini-3.5-flash-image" }).imageModels).toEqual({ offered: ["gemini-3.5-flash-image"], default: "gemini-3.5-flash-image", premium: undefined });
  });

  it("GIVEN an id the table does not know THEN startup refuses, naming GEMINI_MODELS, the id and the known ones", () => {
    expect(() => parseEnv({ ...dev, GEMINI_MODELS: "gemini-3.5-flash-image,gemini-2.5-flash-image" })).toThrow(
      /GEMINI_MODELS names gemini-2\.5-flash-image, which is not an image model Lightbox knows \(app\/generation\/models\.ts: gemini-3\.5-flash-image, gemini-3\.1-flash-lite-image, gemini-3\.1-flash-image, gemini-3-pro-image\)/,
    );
    expect(() => parseEnv({ ...dev, GEMINI_DEFAULT_MODEL: "gemini-flash-latest" })).toThrow(/GEMINI_DEFAULT_MODEL names gemini-flash-latest, which is not an image model Lightbox knows/);
    expect(() => parseEnv({ ...dev, GEMINI_MODELS: "gemini-3.5-flash-image,gemini-3.5-flash-image" })).toThrow(/GEMINI_MODELS lists gemini-3\.5-flash-image more than once/);
    expect(() => parseEnv({ ...dev, GEMINI_MODELS: " , " })).toThrow(/GEMINI_MODELS must list at least one image model/);
  });

  it("GIVEN a default or premium model that is not offered THEN startup refuses, naming the variable and the offered ones", () => {
    expect(() => parseEnv({ ...dev, GEMINI_MODELS: "gemini-3.5-flash-image,gemini-3-pro-image", GEMINI_DEFAULT_MODEL: "gemini-3.1-flash-image" })).toThrow(
      /GEMINI_DEFAULT_MODEL is gemini-3\.1-flash-image, which GEMINI_MODELS does not offer \(gemini-3\.5-flash-image, gemini-3-pro-image\)/,
    );
    expect(() => parseEnv({ ...dev, GEMINI_PREMIUM_MODEL: "gemini-3.1-flash-image" })).toThrow(/GEMINI_PREMIUM_MODEL is gemini-3\.1-flash-image, which GEMINI_MODELS does not offer/);
    // Leaving out the built-in default without naming another is a question startup cannot answer.
    expect(() => parseEnv({ ...dev, GEMINI_MODELS: "gemini-3.1-flash-lite-image,gemini-3-pro-image" })).toThrow(/GEMINI_DEFAULT_MODEL must be set when GEMINI_MODELS leaves out gemini-3\.5-flash-image/);
  });
});
