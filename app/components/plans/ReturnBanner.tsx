import { Banner, Layout } from "@shopify/polaris";

import type { ReturnedCharge } from "~/billing/plans-page.server";
import { offerName } from "~/billing/offers";

/** What came of the charge the merchant just approved or declined on Shopify's page. */
export function ReturnBanner({ returned }: { returned: ReturnedCharge }) {
  const name = offerName(returned);
  let tone: "success" | "info" | "warning" = "success";
  let text: string;
  if (returned.status === "ACTIVE") {
    text =
      returned.kind === "purchase"
        ? `${name} bought: ${returned.credits} credits are in your balance.`
        : `You are on the ${name}: ${returned.credits} credits for this cycle are in your balance.`;
  } else if (returned.status === "PENDING") {
    tone = "info";
    text = "Shopify has not confirmed this charge yet. Reload the page in a moment.";
  } else {
    tone = "warning";
    text = `The ${name} charge was ${returned.status.toLowerCase()}: nothing was billed and no credits were added.`;
  }
  return (
    <Layout.Section>
      <Banner tone={tone}>{text}</Banner>
    </Layout.Section>
  );
}
