import { isIP } from "node:net";

/**
 * The caller's IP for the request log, "last used from" and the per-IP limit on failed
 * authentications, from `context.clientIp`. The Node server always passes it (app/server.node.ts: the socket, or the X-Forwarded-For entry
 * of a trusted proxy), so the headers below are only read where no server does (tests, benches).
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
