// Shopify processes new media asynchronously (UPLOADED -> PROCESSING -> READY, or FAILED with
// mediaErrors). Polls the media with backoff, all ids in one query, through the paced client.
import type { PacedClient } from "~/shopify-admin/paced-client.server";

import { PublishError } from "./errors";

export const MEDIA_STATUS_QUERY = `#graphql
  query LightboxMediaStatus($ids: [ID!]!) {
    nodes(ids: $ids) {
      id
      ... on Media {
        status
        mediaErrors {
          code
          message
        }
      }
    }
  }
`;

type StatusData = {
  nodes: Array<{ id: string; status?: string; mediaErrors?: Array<{ code: string; message: string }> } | null>;
};

export type MediaOutcome =
  | { status: "READY" }
  | { status: "FAILED"; errors: Array<{ code: string; message: string }> }
  /** The media no longer exists (removed in Shopify while we waited). */
  | { status: "MISSING" };

export type WaitOptions = {
  /** First poll after this long; each next wait is 1.5x longer, up to `maxDelayMs`. */
  firstDelayMs?: number;
  maxDelayMs?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  sleep?: (ms: number) => Promise<void>;
};

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits until every media id is READY, FAILED or gone; returns each outcome by id. */
export async function waitForMedia(client: PacedClient, mediaIds: string[], options: WaitOptions = {}): Promise<Map<string, MediaOutcome>> {
  const outcomes = new Map<string, MediaOutcome>();
  const sleep = options.sleep ?? sleepFor;
  const deadline = Date.now() + (options.timeoutMs ?? 180_000);
  let delay = options.firstDelayMs ?? 250;
  let pending = [...new Set(mediaIds)];
  while (pending.length > 0) {
    options.signal?.throwIfAborted();
    await sleep(delay);
    const data = await client.request<StatusData>(MEDIA_STATUS_QUERY, { ids: pending });
    pending = pending.filter((id, index) => {
      const node = data.nodes[index];
      if (!node) outcomes.set(id, { status: "MISSING" });
      else if (node.status === "READY") outcomes.set(id, { status: "READY" });
      else if (node.status === "FAILED") outcomes.set(id, { status: "FAILED", errors: node.mediaErrors ?? [] });
      else return true;
      return false;
    });
    if (pending.length > 0 && Date.now() > deadline) {
      throw new PublishError("Shopify is still processing the image. Lightbox will check again shortly.", { retryable: true });
    }
    delay = Math.min(options.maxDelayMs ?? 3_000, Math.round(delay * 1.5));
  }
  return outcomes;
}
