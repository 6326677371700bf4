// The Studio warns before credits run out (only where generations cost credits) and links to Plans.
import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";

import { LOW_BALANCE_CREDITS, StudioBanners } from "~/components/studio/StudioBanners";

const paid = { kind: "gemini", usesOwnKey: false, free: false } as const;
const render = (props: Parameters<typeof StudioBanners>[0]) => renderToString(createElement(AppProvider, { i18n: en }, createElement(StudioBanners, props)));

describe("low-balance banner", () => {
  it("GIVEN Lightbox credits running low THEN a banner says how many are left, with a link to buy", () => {
    const html = render({ provider: paid, product: null, credits: 3 });
    expect(html).toContain("Only 3 credits left");
    expect(html).toContain('href="/app/plans"');
    expect(render({ provider: paid, product: null, credits: 0 })).toContain("You are out of credits");
  });

  it("GIVEN enough credits, or generations that cost none (own key, no AI) THEN no banner", () => {
    expect(render({ provider: paid, product: null, credits: LOW_BALANCE_CREDITS })).not.toContain("Buy credits");
    expect(render({ provider: { kind: "gemini", usesOwnKey: true, free: true }, product: null, credits: 0 })).not.toContain("Buy credits");
    expect(render({ provider: { kind: "offline", usesOwnKey: false, free: true }, product: null, credits: 0 })).not.toContain("Buy credits");
  });
});
