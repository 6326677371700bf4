export class InsufficientCreditsError extends Error {
  override name = "InsufficientCreditsError";
  constructor(
    readonly needed: number,
    readonly balance: number,
  ) {
    super(
      `This needs ${needed} credit${needed === 1 ? "" : "s"} but the shop has ${balance}. ` +
        "Buy a credit pack, choose fewer variants or a smaller size, or add your own Gemini API key in Settings.",
    );
  }
}
