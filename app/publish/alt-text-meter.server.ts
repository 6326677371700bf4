// Alt text suggestions call Gemini on Lightbox's key and cost the shop nothing, so they are metered
// (docs/decisions/0073-abuse-limits.md): at most ALT_TEXT_PER_SHOP_PER_HOUR per shop in a sliding
// hour, counted in the same limiter as the API (this process, or Redis across processes). Shops
// on their own key pay Google themselves and the offline template costs nothing: not metered.
import { apiRateLimiter } from "~/api/config.server";
import { env } from "~/env.server";
import { AppError } from "~/errors";

export const ALT_TEXT_WINDOW_MS = 3_600_000;

export class AltTextLimitError extends AppError {
  override name = "AltTextLimitError";
  constructor(limit: number, retryAfterSeconds: number) {
    super(
      "ALT_TEXT_LIMIT",
      `Gemini writes at most ${limit} alt texts an hour for a shop. Type the alt text yourself, or ask again in ${Math.ceil(retryAfterSeconds / 60)} minutes.`,
      { status: 429, title: "Too many requests", headers: { "Retry-After": String(retryAfterSeconds) } },
    );
  }
}

let override: number | undefined;
/** Tests: a smaller budget; `undefined` restores ALT_TEXT_PER_SHOP_PER_HOUR. */
export function setAltTextLimitForTests(limit: number | undefined): void {
  override = limit;
}

/** Counts one Gemini alt text for the shop, or throws AltTextLimitError when its hour is used up. */
export async function meterAltText(shopId: string): Promise<void> {
  const rule = { limit: override ?? env().altTextPerShopPerHour, windowMs: ALT_TEXT_WINDOW_MS };
  const decision = await apiRateLimiter().hit(`alttext:${shopId}`, rule);
  if (!decision.allowed) throw new AltTextLimitError(rule.limit, decision.retryAfterSeconds);
}
