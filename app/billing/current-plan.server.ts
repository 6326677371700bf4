import type { Db } from "~/db.server";

/** The shop's paid plan as last read from Shopify (ACTIVE, or FROZEN by Shopify), newest first; null = Free. */
export function currentSubscription(db: Db, shopId: string) {
  return db.billingCharge.findFirst({
    where: { shopId, kind: "subscription", status: { in: ["ACTIVE", "FROZEN"] } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
}
