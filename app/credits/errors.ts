import { AppError } from "~/errors";

export class InsufficientCreditsError extends AppError {
  override name = "InsufficientCreditsError";
  constructor(
    readonly needed: number,
    readonly balance: number,
  ) {
    super(
      "INSUFFICIENT_CREDITS",
      `This needs ${needed} credit${needed === 1 ? "" : "s"} but the shop has ${balance}. ` +
        "Buy a credit pack, choose fewer variants or a smaller size, or add your own Gemini API key in Settings.",
      { status: 402, title: "Not enough credits" },
    );
  }
}

/** A token's daily credit cap (set when it was created) would be passed: refused, nothing spent. */
export class DailyCreditCapError extends AppError {
  override name = "DailyCreditCapError";
  constructor(
    readonly cap: number,
    readonly spentToday: number,
    readonly needed: number,
    readonly resetsAt: Date,
    now: Date,
  ) {
    const seconds = Math.max(1, Math.ceil((resetsAt.getTime() - now.getTime()) / 1000));
    const hours = Math.max(1, Math.round(seconds / 3600));
    super(
      "DAILY_CREDIT_CAP",
      `This API token may spend at most ${cap} credit${cap === 1 ? "" : "s"} a day and has spent ${spentToday} today (UTC); ` +
        `this needs ${needed}. Try again after 00:00 UTC (in about ${hours} h, see Retry-After), or create a token with a higher cap in Settings > API.`,
      { status: 429, title: "Daily credit cap reached", headers: { "Retry-After": String(seconds) } },
    );
  }
}
