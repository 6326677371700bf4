// The Studio's form intents, each one domain call.
import { deleteAsset } from "~/assets/delete-asset.server";
import type { Db } from "~/db.server";
import { AppError } from "~/errors";
import type { ObjectStorage } from "~/storage/types";

import { createGeneration, refineGeneration } from "./create-generation.server";

export async function studioAction(db: Db, storage: ObjectStorage, shopId: string, form: FormData) {
  const intent = form.get("intent");
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" && value.trim() ? value.trim() : undefined;
  };
  switch (intent) {
    case "generate": {
      const generation = await createGeneration(db, {
        shopId,
        sourceAssetIds: form.getAll("sourceAssetIds").map(String),
        presetId: text("presetId"),
        customPrompt: text("customPrompt"),
        model: text("model"),
        aspectRatio: text("aspectRatio"),
        resolution: text("resolution"),
        variants: text("variants"),
        productId: text("productId"),
        productTitle: text("productTitle"),
      });
      return { generationId: generation.id };
    }
    case "refine": {
      const generation = await refineGeneration(db, { shopId, assetId: text("assetId") ?? "", instruction: text("instruction") ?? "" });
      return { generationId: generation.id };
    }
    case "discard": {
      await deleteAsset(db, storage, shopId, text("assetId") ?? "");
      return { discarded: text("assetId") };
    }
    default:
      throw new AppError("BAD_REQUEST", "Unknown action.");
  }
}
