import { Form } from "@remix-run/react";
import { BlockStack, Button, Card, InlineGrid, Text } from "@shopify/polaris";

import type { PlansPageData } from "~/billing/plans-page.server";

import { money } from "./format";

type Busy = (intent: string, value: string) => boolean;

type Offer = { title: string; price?: string; summary: string; intent: string; field: string; value: string; button: string; current?: boolean };

/** A plan or a pack: what it is, what it costs, and the button that asks Shopify for it. */
function OfferCard({ offer, busy }: { offer: Offer; busy: Busy }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h3" variant="headingMd">
          {offer.title}
        </Text>
        {offer.price ? (
          <Text as="p" variant="headingLg">
            {offer.price}
          </Text>
        ) : null}
        <Text as="p" tone="subdued">
          {offer.summary}
        </Text>
        <Form method="post">
          <input type="hidden" name="intent" value={offer.intent} />
          <input type="hidden" name={offer.field} value={offer.value} />
          <Button submit disabled={offer.current} variant={offer.intent === "choose-plan" && !offer.current ? "primary" : "secondary"} loading={busy(offer.intent, offer.value)}>
            {offer.button}
          </Button>
        </Form>
      </BlockStack>
    </Card>
  );
}

/** Free, Starter, Pro: price, included credits and the button to switch. */
export function PlanCards({ plans, currency, busy }: Pick<PlansPageData, "plans" | "currency"> & { busy: Busy }) {
  return (
    <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
      {plans.map((plan) => (
        <OfferCard
          key={plan.id}
          busy={busy}
          offer={{
            title: plan.name,
            price: plan.monthlyPrice === "0" ? "Free" : `${money(plan.monthlyPrice, currency)} / 30 days`,
            summary: plan.summary,
            intent: "choose-plan",
            field: "planId",
            value: plan.id,
            current: plan.current,
            button: plan.current ? "Current plan" : plan.id === "free" ? "Switch to Free" : `Choose ${plan.name}`,
          }}
        />
      ))}
    </InlineGrid>
  );
}

/** One-time credit packs (their credits never expire). */
export function PackCards({ packs, currency, busy }: Pick<PlansPageData, "packs" | "currency"> & { busy: Busy }) {
  return (
    <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
      {packs.map((pack) => (
        <OfferCard
          key={pack.id}
          busy={busy}
          offer={{ title: pack.name, summary: `${money(pack.price, currency)} once · never expires`, intent: "buy-pack", field: "packId", value: pack.id, button: `Buy ${pack.name}` }}
        />
      ))}
    </InlineGrid>
  );
}
