// billing.renewals, hourly (listed in app/jobs/definitions.server.ts): every shop whose plan
// period or included credits have ended gets its plan read from Shopify (refresh-plan.server.ts),
// which grants a new period once and expires what an ended cycle left.
import { z } from "zod";

import { defineJob } from "~/jobs/define.server";
import { adminGraphqlFor } from "~/shopify-admin/admin-for-shop.server";

import { refreshPlan, shopsDueForRenewal } from "./refresh-plan.server";

export const RENEWALS_JOB = "billing.renewals";
export const RENEWALS_EVERY_MS = 3_600_000;

export const renewalsJob = defineJob({
  type: RENEWALS_JOB,
  payload: z.object({}),
  maxAttempts: 3,
  async run(_payload, ctx) {
    const now = new Date();
    let granted = 0;
    const failed: string[] = [];
    for (const shop of await shopsDueForRenewal(ctx.db, now)) {
      try {
        granted += await refreshPlan(ctx.db, adminGraphqlFor(shop.domain), { shopId: shop.id, now });
      } catch (error) {
        // One shop Shopify cannot answer for (disconnected, busy) must not hold up the others: next hour.
        failed.push(shop.domain);
        console.error(`[billing] renewal check failed for ${shop.domain}`, error);
      }
    }
    return { granted, failed };
  },
});
