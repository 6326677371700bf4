import type { Db } from "~/db.server";

export type Delivery = { webhookId: string; topic: string };

/**
 * Runs `handler` at most once per webhook id, even when Shopify delivers the same webhook
 * twice at the same moment: the delivery row's primary key is the lock. If the handler fails
 * the row is removed again, so Shopify's retry gets another chance.
 * Returns false when the delivery was a duplicate.
 */
export async function processWebhookOnce(db: Db, delivery: Delivery, handler: () => Promise<void>): Promise<boolean> {
  const { count } = await db.webhookDelivery.createMany({
    data: [{ webhookId: delivery.webhookId, topic: delivery.topic }],
    skipDuplicates: true,
  });
  if (count === 0) return false;
  try {
    await handler();
    return true;
  } catch (error) {
    await db.webhookDelivery.delete({ where: { webhookId: delivery.webhookId } });
    throw error;
  }
}
