// Moves media within a product's gallery: productReorderMedia returns an asynchronous Job, which
// is polled until `done`. Moves apply in order, each position counted after the previous moves.
import type { PacedClient } from "~/shopify-admin/paced-client.server";

import { PublishError } from "./errors";

export const REORDER_MEDIA_MUTATION = `#graphql
  mutation LightboxReorderMedia($id: ID!, $moves: [MoveInput!]!) {
    productReorderMedia(id: $id, moves: $moves) {
      job {
        id
        done
      }
      mediaUserErrors {
        field
        message
        code
      }
    }
  }
`;

export const JOB_QUERY = `#graphql
  query LightboxJob($id: ID!) {
    job(id: $id) {
      id
      done
    }
  }
`;

type ReorderData = {
  productReorderMedia: {
    job: { id: string; done: boolean } | null;
    mediaUserErrors: Array<{ field: string[] | null; message: string; code: string | null }>;
  } | null;
};

export type MediaMove = { mediaId: string; position: number };

export async function reorderMedia(
  client: PacedClient,
  productId: string,
  moves: MediaMove[],
  options: { timeoutMs?: number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<void> {
  if (moves.length === 0) return;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  // The same moves twice give the same order: safe to retry after a 5xx.
  const data = await client.request<ReorderData>(
    REORDER_MEDIA_MUTATION,
    { id: productId, moves: moves.map((move) => ({ id: move.mediaId, newPosition: String(move.position) })) },
    { idempotent: true },
  );
  const payload = data.productReorderMedia;
  if (!payload || payload.mediaUserErrors.length > 0 || !payload.job) {
    const message = payload?.mediaUserErrors.map((error) => error.message).join("; ") || "no job was started";
    throw new PublishError(`Shopify could not reorder the product's images: ${message}.`, { retryable: false });
  }
  let job = payload.job;
  let delay = 150;
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  while (!job.done) {
    if (Date.now() > deadline) throw new PublishError("Shopify is still reordering the product's images. Lightbox will check again.", { retryable: true });
    await sleep(delay);
    delay = Math.min(2_000, Math.round(delay * 1.5));
    const polled = await client.request<{ job: { id: string; done: boolean } | null }>(JOB_QUERY, { id: job.id });
    // A job Shopify no longer knows has finished long ago.
    job = polled.job ?? { id: job.id, done: true };
  }
}
