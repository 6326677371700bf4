// The wrapper of the backend routes Lightbox's admin UI extensions call (app/routes/api.extensions.*).
// An extension runs on Shopify's extension origin, not the app's, and its `fetch` to the app adds
// `Authorization: Bearer <ID token>` (a session token) by itself. So, in this order:
//   no bearer token -> 401 JSON (the library would redirect a document request to /auth/login,
//   which means nothing to an extension's fetch)
//   -> authenticate.admin: a CORS preflight (OPTIONS) is answered 204 with CORS headers; an
//   invalid or expired token is a 401 (its body replaced by JSON the extension shows)
//   -> the Shop row -> the JSON body (zod; a failed parse is a 400 naming each field) -> handler
//   -> every answer, errors included, through the library's `cors()`.
// A route file is `export const action = (args: ActionFunctionArgs) => extensionRoute(args, {...}, handler)`.
// Remix sends OPTIONS (the preflight) to a route's loader, so a POST route also exports
// `export const loader = (args: LoaderFunctionArgs) => extensionMethodNotAllowed(args, "POST")`.
import type { z } from "zod";

import type { Db } from "~/db.server";
import { AppError, toAppError } from "~/errors";
import type { Shop } from "~/generated/prisma/client";
import { describeError, type ErrorBody } from "~/http/errors.server";
import { services } from "~/http/services.server";
import { authenticate } from "~/shopify.server";
import { currentShop } from "~/shops/current-shop.server";

import { issueMessages } from "./form.server";
import type { AdminRouteArgs } from "./route.server";

type Authenticated = Awaited<ReturnType<typeof authenticate.admin>>;

export type ExtensionContext<B extends z.ZodType | undefined> = {
  request: Request;
  params: Record<string, string | undefined>;
  admin: Authenticated["admin"];
  shop: Shop;
  db: Db;
  body: B extends z.ZodType ? z.infer<B> : undefined;
};

const UNAUTHENTICATED: ErrorBody = {
  status: 401,
  title: "Unauthorized",
  detail: "Shopify did not confirm who is asking (no valid session token). Close this window and open the action again.",
  code: "UNAUTHENTICATED",
};

const json = (body: unknown, init: ResponseInit = {}) => Response.json(body, init);

/** What the library's cors() adds, for the one answer given before authenticate.admin (no token at all). */
function withCors(request: Request, response: Response): Response {
  if (request.headers.get("Origin")) {
    response.headers.set("Access-Control-Allow-Origin", "*");
    response.headers.set("Access-Control-Allow-Headers", "Authorization, Content-Type");
  }
  return response;
}

async function readBody(schema: z.ZodType, request: Request): Promise<unknown> {
  const raw: unknown = await request.json().catch(() => undefined);
  if (raw === undefined) throw new AppError("BAD_REQUEST", "Send a JSON body (Content-Type: application/json).");
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const fieldErrors = issueMessages(parsed.error.issues);
  const summary = Object.entries(fieldErrors).map(([field, message]) => `${field}: ${message}`);
  throw new AppError("BAD_REQUEST", `The request could not be read (${summary.join("; ")}).`, { fieldErrors });
}

export async function extensionRoute<B extends z.ZodType | undefined = undefined>(
  args: AdminRouteArgs,
  options: { body?: B },
  handler: (ctx: ExtensionContext<B>) => Promise<Response>,
): Promise<Response> {
  const { request, params } = args;
  if (request.method !== "OPTIONS" && !/^Bearer \S+/.test(request.headers.get("Authorization") ?? "")) {
    return withCors(request, json({ error: UNAUTHENTICATED }, { status: 401 }));
  }
  let auth: Authenticated;
  try {
    auth = await authenticate.admin(request);
  } catch (thrown) {
    // The library's answers carry its CORS headers already: the preflight's 204, an invalid
    // token's 401 (with its retry header), kept as they are apart from a body the extension reads.
    if (thrown instanceof Response && thrown.status === 401) {
      return new Response(JSON.stringify({ error: UNAUTHENTICATED }), { status: 401, headers: withJsonType(thrown.headers) });
    }
    throw thrown;
  }
  const { db } = services();
  try {
    const shop = await currentShop(db, auth.session.shop);
    const body = options.body ? await readBody(options.body, request) : undefined;
    const ctx = { request, params, admin: auth.admin, shop, db, body } as ExtensionContext<B>;
    return auth.cors(await handler(ctx));
  } catch (error) {
    const body = describeError(error);
    if (body) return auth.cors(json({ error: body }, { status: body.status, headers: toAppError(error)?.headers }));
    console.error("[extensions] unexpected error", error);
    return auth.cors(json({ error: { status: 500, title: "Something went wrong", detail: "Lightbox could not answer. Try again in a moment.", code: "INTERNAL" } }, { status: 500 }));
  }
}

function withJsonType(headers: Headers): Headers {
  const copy = new Headers(headers);
  copy.set("Content-Type", "application/json; charset=utf-8");
  return copy;
}

/** The loader of a POST-only extension route: the CORS preflight (OPTIONS), and 405 for anything else. */
export function extensionMethodNotAllowed(args: AdminRouteArgs, allow: string): Promise<Response> {
  return extensionRoute(args, {}, async () =>
    json(
      { error: { status: 405, title: "Method not allowed", detail: `Use ${allow}.`, code: "METHOD_NOT_ALLOWED" } },
      { status: 405, headers: { Allow: allow } },
    ),
  );
}
