import type { Db } from "~/db.server";

import { processWebhookOnce, type Delivery } from "./process-once.server";

/** app/scopes_update: keep the stored sessions' granted scopes current. */
export async function handleScopesUpdate(db: Db, shop: string, payload: { current?: unknown }, delivery: Delivery) {
  const current = Array.isArray(payload.current) ? payload.current.map(String) : [];
  return processWebhookOnce(db, delivery, async () => {
    await db.session.updateMany({ where: { shop }, data: { scope: current.join(",") } });
  });
}
