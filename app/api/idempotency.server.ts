// Idempotency-Key for POST requests (docs/decisions/0041-*). One row per (token, key):
//   first request          -> row "in_flight" (a unique insert decides the race), handler runs,
//                             a 2xx response is stored and the row becomes "done";
//   same key, same request -> the stored response, replayed (Idempotent-Replayed: true);
//   same key, other request-> 422;   same key while the first still runs -> 409.
// A non-2xx outcome changed nothing (domain verbs are all-or-nothing), so its row is deleted and
// the client may retry with the same key. Rows expire after 24 hours.
import { createHash } from "node:crypto";

import type { Db } from "~/db.server";
import type { Prisma } from "~/generated/prisma/client";

export const IDEMPOTENCY_HEADER = "Idempotency-Key";
/** 1 to 255 visible ASCII characters (the document's Idempotency-Key parameter uses this pattern). */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
/** Response headers worth replaying (the rest are recomputed per request). */
const REPLAYED_HEADERS = ["content-type", "location"];

export function isValidIdempotencyKey(key: string): boolean {
  return IDEMPOTENCY_KEY_PATTERN.test(key);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * A fingerprint of what the request asks for: method, path and query, and the body in a form
 * that ignores what varies between identical requests (JSON key order and whitespace, a
 * multipart boundary), so a client retrying the same upload is recognised.
 */
export async function requestFingerprint(method: string, url: URL, contentType: string, body: Buffer): Promise<string> {
  const hash = createHash("sha256");
  hash.update(`${method}\n${url.pathname}\n${[...url.searchParams].sort().map(([k, v]) => `${k}=${v}`).join("&")}\n`);
  if (contentType.startsWith("application/json")) {
    try {
      hash.update(`json:${stableJson(JSON.parse(body.toString("utf8")))}`);
      return hash.digest("hex");
    } catch {
      // not JSON after all: fall through to the raw bytes
    }
  } else if (contentType.startsWith("multipart/form-data")) {
    try {
      const form = await new Response(new Uint8Array(body), { headers: { "content-type": contentType } }).formData();
      const parts: string[] = [];
      for (const [name, value] of form) {
        if (typeof value === "string") parts.push(`${name}=${value}`);
        else {
          const digest = createHash("sha256").update(Buffer.from(await value.arrayBuffer())).digest("hex");
          parts.push(`${name}=file:${value.name}:${value.type}:${digest}`);
        }
      }
      hash.update(`form:${parts.sort().join("\n")}`);
      return hash.digest("hex");
    } catch {
      // unreadable multipart: the raw bytes decide
    }
  }
  hash.update("raw:").update(body);
  return hash.digest("hex");
}

export type StoredResponse = { status: number; headers: Record<string, string>; body: string };

export type IdempotencyStart =
  | { kind: "new"; recordId: string }
  | { kind: "replay"; response: StoredResponse }
  | { kind: "mismatch" }
  | { kind: "in_flight" };

type Identity = { shopId: string; tokenId: string; key: string; method: string; route: string; requestHash: string };

export async function beginIdempotentRequest(
  db: Db,
  identity: Identity,
  options: { now: Date; ttlMs: number; inFlightTimeoutMs: number },
): Promise<IdempotencyStart> {
  const { now } = options;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const inserted = await db.idempotencyRecord.createManyAndReturn({
      data: [{ ...identity, state: "in_flight", createdAt: now, expiresAt: new Date(now.getTime() + options.ttlMs) }],
      skipDuplicates: true,
      select: { id: true },
    });
    if (inserted[0]) return { kind: "new", recordId: inserted[0].id };

    const existing = await db.idempotencyRecord.findUnique({ where: { tokenId_key: { tokenId: identity.tokenId, key: identity.key } } });
    if (!existing) continue; // deleted in between (expired, or a failed first attempt): try again
    if (existing.expiresAt.getTime() <= now.getTime()) {
      await db.idempotencyRecord.deleteMany({ where: { id: existing.id, expiresAt: { lte: now } } });
      continue;
    }
    if (existing.requestHash !== identity.requestHash) return { kind: "mismatch" };
    if (existing.state === "done" && existing.responseStatus !== null) {
      return {
        kind: "replay",
        response: {
          status: existing.responseStatus,
          headers: (existing.responseHeaders ?? {}) as Record<string, string>,
          body: existing.responseBody ?? "",
        },
      };
    }
    // Still in flight. If it has been for too long, its process died: take the key over.
    const stale = new Date(now.getTime() - options.inFlightTimeoutMs);
    const { count } = await db.idempotencyRecord.updateMany({
      where: { id: existing.id, state: "in_flight", createdAt: { lt: stale } },
      data: { createdAt: now },
    });
    if (count === 1) return { kind: "new", recordId: existing.id };
    return { kind: "in_flight" };
  }
  return { kind: "in_flight" };
}

/** Stores a 2xx response for replay; anything else releases the key (nothing was done). */
export async function finishIdempotentRequest(db: Db, recordId: string, response: Response): Promise<void> {
  if (response.status < 200 || response.status >= 300) {
    await db.idempotencyRecord.deleteMany({ where: { id: recordId } });
    return;
  }
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  await db.idempotencyRecord.updateMany({
    where: { id: recordId },
    data: {
      state: "done",
      responseStatus: response.status,
      responseHeaders: headers as Prisma.InputJsonValue,
      responseBody: await response.clone().text(),
    },
  });
}

export async function releaseIdempotentRequest(db: Db, recordId: string): Promise<void> {
  await db.idempotencyRecord.deleteMany({ where: { id: recordId } });
}
