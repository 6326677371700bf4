// The `api.webhook` job: POSTs a generation's outcome (or a batch's completion) to the URL given
// at creation, signed with the shop's secret. Throws on anything but a 2xx, so the job system retries with backoff
// (2 s, 4 s, 8 s ... up to 8 attempts). Each attempt re-signs with a fresh timestamp and fresh
// download URLs; the event's `id` and `created_at` stay the same, so receivers can deduplicate.
// Redirects are not followed (undici's request does not).
import { isIP } from "node:net";

import { Agent, request } from "undici";
import { z } from "zod";

import { apiConfig } from "~/api/config.server";
import { batchSummaryResource } from "~/api/batches.server";
import { generationResource } from "~/api/resources.server";
import { batchSummary } from "~/batches/batch-view.server";
import type { Db } from "~/db.server";
import { defineJob, PermanentJobError } from "~/jobs/define.server";
import { appStorage } from "~/storage/from-env.server";

import { SIGNATURE_HEADER, signatureHeader, webhookSigningSecrets } from "./signing.server";
import { guardedLookup, isPrivateAddress } from "./url-policy.server";

export const WEBHOOK_JOB = "api.webhook";
export const WEBHOOK_EVENTS = ["generation.succeeded", "generation.failed", "batch.completed"] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

const agents = new Map<boolean, Agent>();
function agentFor(allowPrivateNetworks: boolean): Agent {
  let agent = agents.get(allowPrivateNetworks);
  if (!agent) {
    agent = new Agent({ connect: { lookup: guardedLookup(allowPrivateNetworks) as never }, keepAliveTimeout: 4_000 });
    agents.set(allowPrivateNetworks, agent);
  }
  return agent;
}

/** The webhook URL and the body's object, fresh for each attempt (download URLs are short-lived). */
async function webhookSubject(db: Db, ids: { generationId?: string; batchId?: string; shopId: string }): Promise<{ url: string; body: Record<string, unknown> } | null> {
  if (ids.batchId) {
    const batch = await batchSummary(db, ids.shopId, ids.batchId);
    return batch?.webhookUrl ? { url: batch.webhookUrl, body: { batch: batchSummaryResource(batch) } } : null;
  }
  const generation = await db.generation.findFirst({
    where: { id: ids.generationId ?? "", shopId: ids.shopId },
    include: { outputs: { orderBy: { variantIndex: "asc" } } },
  });
  return generation?.webhookUrl ? { url: generation.webhookUrl, body: { generation: await generationResource(appStorage(), generation) } } : null;
}

export class WebhookDeliveryError extends Error {
  override name = "WebhookDeliveryError";
}

export const webhookDeliveryJob = defineJob({
  type: WEBHOOK_JOB,
  payload: z.object({
    /** What happened to: a generation, or (batch.completed) a batch. */
    generationId: z.string().optional(),
    batchId: z.string().optional(),
    shopId: z.string(),
    event: z.enum(WEBHOOK_EVENTS),
    occurredAt: z.string(),
  }),
  maxAttempts: 8,
  leaseMs: 60_000,
  exemptFromShopLimit: true, // queued when a generation ends: refusing it would lose the notification
  async run({ generationId, batchId, shopId, event, occurredAt }, ctx) {
    const subject = await webhookSubject(ctx.db, { generationId, batchId, shopId });
    if (!subject) return { skipped: "What it is about, or its webhook URL, no longer exists." };

    const { webhooks } = apiConfig();
    let url: URL;
    try {
      url = new URL(subject.url);
    } catch {
      throw new PermanentJobError("The webhook URL is not a valid URL.");
    }
    // Host names are checked at connect time by the guarded lookup; IP literals never reach it.
    const host = url.hostname.replace(/^\[|\]$/g, "");
    if (!webhooks.allowPrivateNetworks && isIP(host) && isPrivateAddress(host)) {
      throw new PermanentJobError(`The webhook URL points at a private network (${host}).`);
    }
    const body = JSON.stringify({ id: ctx.jobId, event, created_at: occurredAt, ...subject.body });
    const secrets = await webhookSigningSecrets(ctx.db, shopId);
    const timestamp = Math.floor(Date.now() / 1000);
    let status: number;
    try {
      const response = await request(url, {
        method: "POST",
        body,
        headers: {
          "content-type": "application/json",
          "user-agent": "Lightbox-Webhooks/1.0",
          [SIGNATURE_HEADER.toLowerCase()]: signatureHeader(secrets, body, timestamp),
          "lightbox-event": event,
          "lightbox-delivery": ctx.jobId,
        },
        dispatcher: agentFor(webhooks.allowPrivateNetworks),
        signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(webhooks.timeoutMs)]),
      });
      status = response.statusCode;
      await response.body.dump();
    } catch (error) {
      const code = (error as { code?: string; cause?: { code?: string } }).code ?? (error as { cause?: { code?: string } }).cause?.code;
      if (code === "EPRIVATE") throw new PermanentJobError(`The webhook host ${url.host} resolves to a private network address.`);
      throw new WebhookDeliveryError(`Webhook to ${url.host} failed: ${(error as Error).message}`);
    }
    if (status < 200 || status >= 300) {
      throw new WebhookDeliveryError(`Webhook endpoint ${url.host} answered ${status}; it must answer 2xx.`);
    }
    return { delivered: true, status, attempt: ctx.attempt };
  },
});
