import { Badge, BlockStack, Card, InlineGrid, InlineStack, Text } from "@shopify/polaris";

import type { PlansPageData } from "~/billing/plans-page.server";
import { Figure } from "~/components/Stat";

import { day } from "./format";

/** The plan, the balance, what is left of this cycle's included credits and when it renews. */
export function CurrentPlanCard({ plan, credits }: Pick<PlansPageData, "plan" | "credits">) {
  const renews = plan.renewsAt ? day(plan.renewsAt) : null;
  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {plan.name} plan
          </Text>
          {plan.status === "FROZEN" ? <Badge tone="warning">Paused by Shopify</Badge> : <Badge tone="success">Current</Badge>}
          {plan.test ? <Badge tone="info">Test charge</Badge> : null}
        </InlineStack>
        <InlineGrid columns={3} gap="400">
          <Figure label="Credits" value={String(credits.balance)} hint="Everything you can spend now" />
          <Figure
            label="Left this cycle"
            value={String(credits.includedLeft)}
            hint={credits.includedExpireAt ? `Plan credits, used first; unused ones expire ${day(credits.includedExpireAt)}` : "No plan credits: packs and trial credits never expire"}
          />
          <Figure label="Renews" value={renews ?? "—"} hint={renews ? "Shopify bills the plan every 30 days" : "No subscription"} />
        </InlineGrid>
      </BlockStack>
    </Card>
  );
}
