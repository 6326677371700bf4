// A batch has nothing left to start, make or publish (it ran to its end once): the API client's
// webhook_url hears of it (batch.completed). Nothing here may undo the completion.
import { enqueueBatchWebhook } from "~/api/webhooks/enqueue.server";
import type { Db } from "~/db.server";

export async function batchCompleted(db: Db, batchId: string): Promise<void> {
  await enqueueBatchWebhook(db, batchId).catch((error) => console.error(`[batches] could not queue the webhook of batch ${batchId}`, error));
}
