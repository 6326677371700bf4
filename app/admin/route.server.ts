// The admin pages' one wrapper, the counterpart of the public API's apiRoute. A route file is
//   export const loader = (args: LoaderFunctionArgs) =>
//     adminRoute(args, { errors: "page" }, async ({ db, shop }) => Response.json(await settingsPage(db, shop.id)));
// (an arrow function, so Remix's browser build drops it with the rest of the server code) and
// the handler makes one domain call and responds. Everything else happens here, in this order:
//   authenticate.admin (the library's redirects and 401s pass through untouched) -> the Shop row
//   -> query string (zod) -> form: the intent, then that intent's fields (zod) -> handler
//   -> errors mapped by adminErrorResponse to `{ error }` JSON with its status.
import type { z } from "zod";

import type { Db } from "~/db.server";
import { AppError } from "~/errors";
import type { Shop } from "~/generated/prisma/client";
import { adminErrorResponse } from "~/http/errors.server";
import { services } from "~/http/services.server";
import { authenticate } from "~/shopify.server";
import { currentShop } from "~/shops/current-shop.server";
import { ensureShop } from "~/shops/ensure-shop.server";
import type { ObjectStorage } from "~/storage/types";

import { formFields, issueMessages, queryFields } from "./form.server";

type Authenticated = Awaited<ReturnType<typeof authenticate.admin>>;

/** A form schema per intent, e.g. `{ "save-key": z.object({ apiKey: text() }), "remove-key": z.object({}) }`. */
export type IntentSchemas = Record<string, z.ZodType>;

/** The parsed form, a union told apart by `intent`: `{ intent: "save-key"; apiKey: string } | { intent: "remove-key" }`. */
export type IntentForm<I extends IntentSchemas> = { [K in keyof I & string]: { intent: K } & z.infer<I[K]> }[keyof I & string];

export type AdminRouteOptions<Q extends z.ZodType | undefined, I extends IntentSchemas | undefined> = {
  /**
   * "current" (default): the Shop row, created if the install hook never ran. "ensure": also
   * fetch the shop's name from Shopify when the row has none yet (pages a first visit may open).
   */
  shop?: "current" | "ensure";
  /**
   * "data" (default; actions, fetchers, JSON): a known error is answered as `{ error }` with its
   * status, for the page to show as a banner. "page" (a page's loader): it is thrown, so the
   * route's ErrorBoundary (RouteErrorPage) shows it; the page polling itself (`?poll=1`) gets it
   * as data instead, so the page stays and polling goes on.
   */
  errors?: "page" | "data";
  /** The query string's schema (first value of each name); a failed parse is a 400. */
  query?: Q;
  /** The form's schemas by `intent`; an unknown intent or a failed parse is a 400 with field errors. */
  intents?: I;
};

export type AdminContext<Q extends z.ZodType | undefined = undefined, I extends IntentSchemas | undefined = undefined> = {
  request: Request;
  params: Record<string, string | undefined>;
  url: URL;
  session: Authenticated["session"];
  admin: Authenticated["admin"];
  /** The library's redirect: `redirect(url, { target: "_top" })` leaves the admin iframe (e.g. for Shopify's charge confirmation). */
  redirect: Authenticated["redirect"];
  shop: Shop;
  db: Db;
  storage: ObjectStorage;
  query: Q extends z.ZodType ? z.infer<Q> : undefined;
  form: I extends IntentSchemas ? IntentForm<I> : undefined;
};

export type AdminRouteArgs = { request: Request; params: Record<string, string | undefined>; context?: unknown };

function invalid(detail: string, issues: Parameters<typeof issueMessages>[0]): AppError {
  const fieldErrors = issueMessages(issues);
  const summary = Object.entries(fieldErrors).map(([field, message]) => `${field}: ${message}`);
  return new AppError("BAD_REQUEST", `${detail} (${summary.join("; ")}).`, { fieldErrors });
}

function parseQuery(schema: z.ZodType, url: URL): unknown {
  const parsed = schema.safeParse(queryFields(url));
  if (!parsed.success) throw invalid("This page's address is not valid. Open it from the app's navigation", parsed.error.issues);
  return parsed.data;
}

async function parseForm(intents: IntentSchemas, request: Request): Promise<unknown> {
  const fields = formFields(await request.formData().catch(() => new FormData()));
  const intent = fields.intent;
  const schema = typeof intent === "string" && Object.hasOwn(intents, intent) ? intents[intent]! : null;
  if (!schema) throw new AppError("BAD_REQUEST", "Unknown action. Reload the page and try again.");
  const parsed = schema.safeParse(fields);
  if (!parsed.success) throw invalid("The form could not be read. Reload the page and try again", parsed.error.issues);
  return { ...(parsed.data as object), intent };
}

export async function adminRoute<Q extends z.ZodType | undefined = undefined, I extends IntentSchemas | undefined = undefined>(
  args: AdminRouteArgs,
  options: AdminRouteOptions<Q, I>,
  handler: (ctx: AdminContext<Q, I>) => Promise<Response>,
): Promise<Response> {
  const { request, params } = args;
  const { session, admin, redirect } = await authenticate.admin(request);
  const url = new URL(request.url);
  const { db, storage } = services();
  try {
    const shop = options.shop === "ensure" ? await ensureShop(db, admin.graphql, session.shop) : await currentShop(db, session.shop);
    const query = options.query ? parseQuery(options.query, url) : undefined;
    const form = options.intents ? await parseForm(options.intents, request) : undefined;
    const ctx = { request, params, url, session, admin, redirect, shop, db, storage, query, form } as AdminContext<Q, I>;
    return await handler(ctx);
  } catch (error) {
    // adminErrorResponse rethrows what it does not know (a real 500) and thrown Responses (redirects).
    if (options.errors === "page" && !url.searchParams.has("poll")) throw adminErrorResponse(error);
    return adminErrorResponse(error);
  }
}
