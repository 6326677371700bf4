import { Readable } from "node:stream";

import { verifyDiskSignature } from "./disk-signature.server";
import { assertValidKey } from "./keys";
import { attachmentDisposition, type ObjectStorage } from "./types";

export interface ServeDiskObjectOptions {
  /** The disk backend (its `get`). */
  storage: ObjectStorage;
  signingSecret: string;
  /** Same value as the backend's `publicBaseUrl`; its path is stripped from the request path to get the key. */
  publicBaseUrl: string;
  now?: number;
}

/**
 * What the route behind `publicBaseUrl` does for a presigned disk URL: verify signature and expiry,
 * then stream the object. Plain Fetch API in and out, so a Remix loader can `return` it.
 * 403 for a missing/bad/expired signature, 404 for a missing object.
 */
export async function serveDiskObject(request: Request, options: ServeDiskObjectOptions): Promise<Response> {
  if (request.method !== "GET" && request.method !== "HEAD") {
    return new Response("Method not allowed", { status: 405, headers: { Allow: "GET, HEAD" } });
  }
  const url = new URL(request.url);
  const basePath = new URL(options.publicBaseUrl).pathname.replace(/\/+$/, "");
  if (!url.pathname.startsWith(`${basePath}/`)) return new Response("Not found", { status: 404 });
  let key: string;
  try {
    key = assertValidKey(decodeURIComponent(url.pathname.slice(basePath.length + 1)));
  } catch {
    return new Response("Not found", { status: 404 });
  }
  const expires = url.searchParams.get("expires");
  const filename = url.searchParams.get("filename");
  const ok = verifyDiskSignature(key, expires, url.searchParams.get("sig"), {
    signingSecret: options.signingSecret,
    filename,
    now: options.now,
  });
  if (!ok) return new Response("This link is invalid or has expired.", { status: 403 });

  const object = await options.storage.get(key);
  if (!object) return new Response("Not found", { status: 404 });
  const remaining = Math.max(0, Number(expires) - Math.floor((options.now ?? Date.now()) / 1000));
  const headers = new Headers({
    "Content-Type": object.contentType,
    "Content-Length": String(object.contentLength),
    "Cache-Control": `private, max-age=${remaining}`,
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
  });
  if (filename !== null) headers.set("Content-Disposition", attachmentDisposition(filename));
  if (request.method === "HEAD") {
    object.stream.destroy();
    return new Response(null, { status: 200, headers });
  }
  return new Response(Readable.toWeb(object.stream) as ReadableStream<Uint8Array>, { status: 200, headers });
}
