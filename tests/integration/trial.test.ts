// Trial credits once per store: uninstalling deletes the shop and its ledger, but a keyed hash of
// the domain (TrialClaim) survives the purge, so a reinstall starts at 0 credits.
import { describe, expect, it } from "vitest";

import { creditBalance } from "~/credits/ledger.server";
import { TRIAL_CREDITS } from "~/credits/prices";
import { db } from "~/db.server";
import { action as uninstalled } from "~/routes/webhooks.app.uninstalled";
import { registerShop } from "~/shops/register-shop.server";
import { trialClaimHashes } from "~/shops/trial-claim.server";
import { overrideKeySpecForTests } from "~/tokens/secrets.server";

import { rawDump } from "../helpers/raw-dump";
import { webhookRequest } from "../helpers/webhooks";

const uninstall = (shop: string) =>
  uninstalled({ request: webhookRequest("/webhooks/app/uninstalled", { topic: "app/uninstalled", shop }), params: {}, context: {} });

describe("trial credits once per store", () => {
  it("GIVEN a store that had its trial WHEN it uninstalls and reinstalls THEN it gets no second trial, and the claim holds no domain", async () => {
    const domain = "trial-once.myshopify.com";
    const first = await registerShop(db, domain, { name: "Trial once" });
    expect(await creditBalance(db, first.id)).toBe(TRIAL_CREDITS);

    expect((await uninstall(domain)).status).toBe(200);
    expect(await db.shop.count({ where: { domain } })).toBe(0);

    const again = await registerShop(db, domain, { name: "Trial once" });
    expect(again.id).not.toBe(first.id);
    expect(await creditBalance(db, again.id)).toBe(0);
    expect(await db.creditEntry.count({ where: { shopId: again.id } })).toBe(0);

    // The record that survives is a keyed hash: neither the domain nor the handle appears anywhere in it.
    const claims = await db.trialClaim.findMany();
    expect(claims.map((c) => c.domainHash)).toEqual([trialClaimHashes(domain)[0]]);
    expect(claims[0]!.domainHash).toMatch(/^test1:[0-9a-f]{64}$/);
    await uninstall(domain);
    const dump = await rawDump(db);
    expect(dump).not.toContain("trial-once");
  });

  it("GIVEN a new store registered by two requests at once THEN the trial is granted once", async () => {
    const domain = "trial-race.myshopify.com";
    await Promise.all([registerShop(db, domain), registerShop(db, domain), registerShop(db, domain, { name: "Race" })]);
    const shop = await db.shop.findUniqueOrThrow({ where: { domain } });
    expect(await creditBalance(db, shop.id)).toBe(TRIAL_CREDITS);
  });

  it("GIVEN the encryption keys rotated WHEN a store that had its trial reinstalls THEN the old claim still counts (and is re-keyed)", async () => {
    const domain = "trial-rotation.myshopify.com";
    await registerShop(db, domain);
    await uninstall(domain);
    overrideKeySpecForTests(`test2:${Buffer.alloc(32, 9).toString("base64")},test1:${Buffer.alloc(32, 7).toString("base64")}`);
    try {
      const again = await registerShop(db, domain);
      expect(await creditBalance(db, again.id)).toBe(0);
      expect(await db.trialClaim.count({ where: { domainHash: trialClaimHashes(domain)[0] } })).toBe(1);
      expect(trialClaimHashes(domain)[0]).toMatch(/^test2:/);
    } finally {
      overrideKeySpecForTests(undefined);
    }
  });
});
