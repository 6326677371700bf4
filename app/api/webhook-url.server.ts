// The webhook URL of a generation request, after the network policy. The bodies themselves are
// described (and validated) by the contract: app/api/contract/requests.ts.
import { apiConfig } from "./config.server";
import { checkWebhookUrl } from "./webhooks/url-policy.server";

/** The webhook URL after the network policy (422 for private/loopback/link-local or non-https). */
export async function allowedWebhookUrl(raw: string | undefined): Promise<string | undefined> {
  if (raw === undefined) return undefined;
  const url = await checkWebhookUrl(raw, { allowPrivateNetworks: apiConfig().webhooks.allowPrivateNetworks });
  return url.toString();
}
