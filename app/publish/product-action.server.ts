// The product page's form intents, each one domain call.
import type { Db } from "~/db.server";
import { AppError } from "~/errors";

import { parsePublishItems } from "./publish-input";
import { requestPublish } from "./request-publish.server";
import { requestRevert } from "./request-revert.server";

export type ProductActionResult =
  | { intent: "publish"; jobId: string | null; queued: number; alreadyInProgress: number }
  | { intent: "revert"; jobId: string };

export async function productAction(db: Db, input: { shopId: string; productId: string; form: FormData }): Promise<ProductActionResult> {
  switch (input.form.get("intent")) {
    case "publish": {
      const result = await requestPublish(db, { shopId: input.shopId, productId: input.productId, items: parsePublishItems(input.form.get("items")) });
      return { intent: "publish", jobId: result.jobId, queued: result.queued.length, alreadyInProgress: result.alreadyInProgress.length };
    }
    case "revert":
      return { intent: "revert", ...(await requestRevert(db, { shopId: input.shopId, productId: input.productId })) };
    default:
      throw new AppError("BAD_REQUEST", "Unknown action. Reload the page and try again.");
  }
}
