import { endpoints } from "~/api/contract/endpoints";
import { apiRoute } from "~/api/route.server";
import { displayedCreditBalance } from "~/credits/ledger.server";
import { db } from "~/db.server";

/** GET /api/v1/me: who this token is, and the shop's credit balance. */
export const loader = apiRoute(endpoints.getMe, async ({ shop, token, respond }) => {
  const balance = await displayedCreditBalance(db, shop.id);
  return respond(200, {
    shop: { domain: shop.domain },
    token: { id: token.id, name: token.name, scopes: token.scopes, expires_at: token.expiresAt?.toISOString() ?? null, daily_credit_cap: token.dailyCreditCap },
    credits: { balance },
  });
});

/** Any other method: the same handler answers 405 problem+json with Allow (Remix would answer it bare). */
export const action = loader;
