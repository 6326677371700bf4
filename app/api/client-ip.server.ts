import { isIP } from "node:net";

/**
 * The caller's IP for the request log and "last used from". The Node server may pass the socket
 * address as `context.clientIp`; behind a proxy the first X-Forwarded-For entry is the client.
 * Informational only: never used for access decisions.
 */
export function clientIp(request: Request, context?: unknown): string | null {
  const fromContext = (context as { clientIp?: unknown } | undefined)?.clientIp;
  if (typeof fromContext === "string" && isIP(fromContext)) return fromContext;
  const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  if (forwarded && isIP(forwarded)) return forwarded;
  const real = request.headers.get("x-real-ip")?.trim();
  if (real && isIP(real)) return real;
  return null;
}
