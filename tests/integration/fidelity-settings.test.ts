// Settings: the product (fidelity) check is on by default and the merchant can turn it off and on.
import { describe, expect, it } from "vitest";

import { db } from "~/db.server";
import { action, loader } from "~/routes/app.settings._index";

import { adminRequest, installShop, routeArgs } from "../helpers/admin";

const DOMAIN = "fidelity-settings.myshopify.com";
const post = (fields: Record<string, string>) => adminRequest(DOMAIN, "/app/settings", { method: "POST", body: new URLSearchParams(fields) });

describe("Settings: product check", () => {
  it("is on by default, turns off and on again, and refuses a malformed value without changing it", async () => {
    const shop = await installShop(DOMAIN);
    const page = await (await loader(routeArgs(await adminRequest(DOMAIN, "/app/settings")))).json();
    expect(page.fidelity).toEqual({ enabled: true, available: true, threshold: 70 });

    const off = await action(routeArgs(await post({ intent: "fidelity-check", enabled: "off" })));
    expect(await off.json()).toEqual({ ok: "The product check is off. New images are not checked." });
    expect((await db.shop.findUniqueOrThrow({ where: { id: shop.id } })).fidelityCheck).toBe(false);

    const bad = await action(routeArgs(await post({ intent: "fidelity-check", enabled: "maybe" })));
    expect(bad.status).toBe(400);
    expect((await db.shop.findUniqueOrThrow({ where: { id: shop.id } })).fidelityCheck).toBe(false);

    await action(routeArgs(await post({ intent: "fidelity-check", enabled: "on" })));
    expect((await db.shop.findUniqueOrThrow({ where: { id: shop.id } })).fidelityCheck).toBe(true);
  });
});
