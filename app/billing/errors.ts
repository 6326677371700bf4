import { AppError } from "~/errors";

/** A return from Shopify's confirmation page or a webhook naming a charge Lightbox did not make for this shop. */
export class UnknownChargeError extends AppError {
  override name = "UnknownChargeError";
  constructor() {
    super("UNKNOWN_CHARGE", "This charge was not made by Lightbox for your store. Open Plans from the app's menu and choose again.", {
      status: 404,
      title: "Not found",
    });
  }
}
