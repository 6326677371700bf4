import { Banner, Layout } from "@shopify/polaris";

import type { StudioData } from "~/generation/studio.server";

/** Below this many credits (and only when generations cost credits) the Studio offers more. */
export const LOW_BALANCE_CREDITS = 5;

/** Said before anything else: no AI in use, credits running out, or product photos that could not be used. */
export function StudioBanners({ provider, product, credits }: Pick<StudioData, "provider" | "product" | "credits">) {
  const low = !provider.free && credits < LOW_BALANCE_CREDITS;
  return (
    <>
      {low ? (
        <Layout.Section>
          <Banner
            tone={credits === 0 ? "critical" : "warning"}
            title={credits === 0 ? "You are out of credits" : `Only ${credits} credit${credits === 1 ? "" : "s"} left`}
            action={{ content: "Buy credits", url: "/app/plans" }}
          >
            A standard image costs one credit. Buy a credit pack or choose a plan with monthly credits, or add your own Gemini API key in
            Settings to generate without credits.
          </Banner>
        </Layout.Section>
      ) : null}
      {provider.kind === "offline" ? (
        <Layout.Section>
          <Banner tone="info" title="No AI in use">
            Gemini isn't set up, so images are composed locally: your product photo placed on the style's backdrop with a soft
            shadow. It's free. Add your own Gemini API key in Settings for AI images.
          </Banner>
        </Layout.Section>
      ) : null}
      {product && product.skipped > 0 ? (
        <Layout.Section>
          <Banner tone="warning" title={`${product.skipped} of this product's photos could not be used`}>
            Shopify's copy could not be read as a JPEG, PNG or WebP photo (or could not be downloaded). Upload those photos below
            to use them here.
          </Banner>
        </Layout.Section>
      ) : null}
    </>
  );
}
