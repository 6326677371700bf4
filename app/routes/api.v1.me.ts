import { apiRoute, json } from "~/api/route.server";
import { displayedCreditBalance } from "~/credits/ledger.server";
import { db } from "~/db.server";

/** GET /api/v1/me: who this token is, and the shop's credit balance. */
export const loader = apiRoute({ method: "GET", scope: "read", route: "/api/v1/me" }, async ({ shop, token }) => {
  const balance = await displayedCreditBalance(db, shop.id);
  return json({
    shop: { domain: shop.domain },
    token: { id: token.id, name: token.name, scopes: token.scopes, expires_at: token.expiresAt?.toISOString() ?? null },
    credits: { balance },
  });
});

/** Any other method: the same handler answers 405 problem+json with Allow (Remix would answer it bare). */
export const action = loader;
