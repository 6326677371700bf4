// The `api.webhook` job: POSTs a generation's outcome to the URL given at creation, signed with
// the shop's secret. Throws on anything but a 2xx, so the job system retries with backoff
// (2 s, 4 s, 8 s ... up to 8 attempts). Each attempt re-signs with a fresh timestamp and fresh
// download URLs; the event's `id` and `created_at` stay the same, so receivers can deduplicate.
// Redirects are not followed (undici's request does not).
import { isIP } from "node:net";

import { Agent, request } from "undici";
import { z } from "zod";

import { apiConfig } from "~/api/config.server";
import { generationResource } from "~/api/resources.server";
import { defineJob, PermanentJobError } from "~/jobs/define.server";
import { appStorage } from "~/storage/from-env.server";

import { SIGNATURE_HEADER, signatureHeader } from "./signing.server";
import { guardedLookup, isPrivateAddress } from "./url-policy.server";

export const WEBHOOK_JOB = "api.webhook";
export const WEBHOOK_EVENTS = ["generation.succeeded", "generation.failed"] as const;
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

export class WebhookDeliveryError extends Error {
  override name = "WebhookDeliveryError";
}

export const webhookDeliveryJob = defineJob({
  type: WEBHOOK_JOB,
  payload: z.object({
    generationId: z.string(),
    shopId: z.string(),
    event: z.enum(WEBHOOK_EVENTS),
    occurredAt: z.string(),
  }),
  maxAttempts: 8,
  leaseMs: 60_000,
  async run({ generationId, shopId, event, occurredAt }, ctx) {
    const generation = await ctx.db.generation.findFirst({
      where: { id: generationId, shopId },
      include: { outputs: { orderBy: { variantIndex: "asc" } } },
    });
    if (!generation?.webhookUrl) return { skipped: "The generation or its webhook URL no longer exists." };

    const { webhooks } = apiConfig();
    let url: URL;
    try {
      url = new URL(generation.webhookUrl);
    } catch {
      throw new PermanentJobError("The webhook URL is not a valid URL.");
    }
    // Host names are checked at connect time by the guarded lookup; IP literals never reach it.
    const host = url.hostname.replace(/^\[|\]$/g, "");
    if (!webhooks.allowPrivateNetworks && isIP(host) && isPrivateAddress(host)) {
      throw new PermanentJobError(`The webhook URL points at a private network (${host}).`);
    }
    const body = JSON.stringify({
      id: ctx.jobId,
      event,
      created_at: occurredAt,
      generation: await generationResource(appStorage(), generation),
    });
    const timestamp = Math.floor(Date.now() / 1000);
    let status: number;
    try {
      const response = await request(url, {
        method: "POST",
        body,
        headers: {
          "content-type": "application/json",
          "user-agent": "Lightbox-Webhooks/1.0",
          [SIGNATURE_HEADER.toLowerCase()]: signatureHeader(shopId, body, timestamp),
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
