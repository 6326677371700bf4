// Where outbound webhooks may go. A URL that resolves to a private, loopback, link-local or
// otherwise special network is refused (it would let an API client probe our internal network
// through us), both when the generation is created (422) and again, at connect time, for every
// delivery (a DNS answer may change in between). Tests and development pass
// `allowPrivateNetworks` to post to a local receiver.
import { BlockList, isIP } from "node:net";
import { lookup as dnsLookup, type LookupAddress } from "node:dns";

import { AppError } from "~/errors";

/** Longest webhook URL accepted (the request schemas and this check share it). */
export const MAX_WEBHOOK_URL_LENGTH = 2048;

const blocked = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12],
  ["192.0.0.0", 24], ["192.0.2.0", 24], ["192.88.99.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15],
  ["198.51.100.0", 24], ["203.0.113.0", 24], ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) {
  blocked.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128], ["::1", 128], ["100::", 64], ["2001::", 23], ["2001:db8::", 32], ["fc00::", 7], ["fe80::", 10], ["ff00::", 8],
] as const) {
  blocked.addSubnet(network, prefix, "ipv6");
}

/** IPv4 addresses hidden in IPv6 forms (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96). */
function embeddedIpv4(address: string): string | null {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1]!;
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex) {
    const high = parseInt(hex[1]!, 16);
    const low = parseInt(hex[2]!, 16);
    return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  }
  return null;
}

/** Whether an IP address is on a network webhooks must not reach. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, "ipv4");
  if (family === 6) {
    const v4 = embeddedIpv4(address);
    if (v4) return blocked.check(v4, "ipv4");
    return blocked.check(address, "ipv6");
  }
  return true; // not an address at all: refuse
}

export type WebhookUrlOptions = {
  allowPrivateNetworks?: boolean;
  /** DNS resolution (tests substitute answers). */
  resolve?: (hostname: string) => Promise<string[]>;
};

const defaultResolve = (hostname: string) =>
  new Promise<string[]>((resolve, reject) =>
    dnsLookup(hostname, { all: true }, (error, addresses: LookupAddress[]) =>
      error ? reject(error) : resolve(addresses.map((a) => a.address)),
    ),
  );

function refuse(message: string): AppError {
  return new AppError("UNPROCESSABLE", message, { fieldErrors: { webhookUrl: message } });
}

/** Validates a webhook URL for creation: https, no credentials, a public address. Returns the parsed URL. */
export async function checkWebhookUrl(raw: string, options: WebhookUrlOptions = {}): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse("The webhook URL is not a valid absolute URL, e.g. https://example.com/hooks/lightbox.");
  }
  const local = options.allowPrivateNetworks === true;
  if (url.protocol !== "https:" && !(local && url.protocol === "http:")) {
    throw refuse("The webhook URL must use https.");
  }
  if (url.username || url.password) throw refuse("Remove the user name and password from the webhook URL; verify the Lightbox-Signature header instead.");
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) throw refuse(`The webhook URL is longer than ${MAX_WEBHOOK_URL_LENGTH} characters.`);
  if (local) return url;

  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = await (options.resolve ?? defaultResolve)(host);
    } catch {
      throw refuse(`The webhook host ${host} could not be resolved. Check the spelling, or use a host with a public DNS record.`);
    }
  }
  if (addresses.length === 0 || addresses.some(isPrivateAddress)) {
    throw refuse(`The webhook URL points at a private, loopback or link-local network (${host}). Use a publicly reachable https URL.`);
  }
  return url;
}

/**
 * A `lookup` for outgoing connections that refuses private answers: the address checked is the
 * address connected to, so a DNS answer that changed since creation cannot reach inside.
 */
export function guardedLookup(allowPrivateNetworks: boolean) {
  return (
    hostname: string,
    options: { all?: boolean; family?: number | string },
    callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ) => {
    dnsLookup(hostname, { ...options, all: true } as { all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, options.all ? [] : "");
      const bad = addresses.find((a) => isPrivateAddress(a.address));
      if (bad && !allowPrivateNetworks) {
        const refused = Object.assign(new Error(`Refusing to connect to ${hostname} (${bad.address}): private network`), { code: "EPRIVATE" });
        return callback(refused, options.all ? [] : "");
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0]!;
      return callback(null, first.address, first.family);
    });
  };
}
