import { APP_URL } from "@shopify/shopify-api/test-helpers";

import { openApiDocument } from "~/api/contract/document";
import { db } from "~/db.server";
import { createApiToken } from "~/tokens/create-token.server";

import { installShop } from "../../helpers/admin";
import { checkResponseAgainstDocument } from "./openapi-check";
import { dispatchRoute } from "./router";

export { APP_URL };

/** An installed shop and a token for it. */
export async function shopWithToken(domain: string, scopes: string[] = ["read", "write"], extra: { expiresAt?: Date; name?: string } = {}) {
  const shop = await installShop(domain);
  const { token, plaintext } = await createApiToken(db, { shopId: shop.id, name: extra.name ?? "CI script", scopes, ...(extra.expiresAt ? { expiresAt: extra.expiresAt } : {}) });
  return { shop, token, plaintext };
}

export type CallOptions = {
  method?: string;
  token?: string | null;
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
};

export function apiRequest(pathAndQuery: string, options: CallOptions = {}): Request {
  const headers = new Headers(options.headers);
  if (options.token) headers.set("Authorization", `Bearer ${options.token}`);
  let body = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers.set("Content-Type", "application/json");
  }
  return new Request(`${APP_URL}${pathAndQuery}`, { method: options.method ?? "GET", headers, body });
}

const document = openApiDocument();

/**
 * Sends a request through the API routes; returns the response and its parsed JSON body (if
 * any). Every response is checked against the OpenAPI document (status documented, required
 * headers present, body matches the schema): a mismatch fails the test that made the call.
 */
export async function call(pathAndQuery: string, options: CallOptions = {}) {
  const request = apiRequest(pathAndQuery, options);
  const { response, pattern } = await dispatchRoute(request);
  const text = await response.text();
  let body: unknown = null;
  if (text && /json/.test(response.headers.get("content-type") ?? "")) body = JSON.parse(text);
  if (pattern) {
    const problems = checkResponseAgainstDocument(document, pattern, request.method, response, body ?? (text || null));
    if (problems?.length) throw new Error(`The response does not match docs/openapi:\n  ${problems.join("\n  ")}`);
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { response, status: response.status, headers: response.headers, body: body as any, text, pattern };
}

/** A multipart upload body (serialised up front, like curl -F). */
export async function multipart(file: Buffer, name: string, type: string, field = "file") {
  const form = new FormData();
  form.append(field, new Blob([new Uint8Array(file)], { type }), name);
  const encoded = new Response(form);
  return { body: Buffer.from(await encoded.arrayBuffer()), contentType: encoded.headers.get("content-type")! };
}
