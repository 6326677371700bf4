import { BlockStack, Button, Card, DataTable, InlineStack, Text } from "@shopify/polaris";

type CreditEntry = { createdAt: string; reason: string; amount: number; balanceAfter: number };

/** The shop's balance and its latest ledger entries. */
export function CreditsCard({ credits, history }: { credits: number; history: CreditEntry[] }) {
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="p" variant="headingLg">
            {credits} credits
          </Text>
          <InlineStack gap="200">
            <Button url="/app/plans">Buy credits</Button>
            <Button url="/app/usage" variant="plain">
              All usage
            </Button>
          </InlineStack>
        </InlineStack>
        <DataTable
          columnContentTypes={["text", "text", "numeric", "numeric"]}
          headings={["When", "What", "Credits", "Balance"]}
          rows={history.map((e) => [new Date(e.createdAt).toLocaleString(), e.reason, e.amount > 0 ? `+${e.amount}` : String(e.amount), e.balanceAfter])}
        />
      </BlockStack>
    </Card>
  );
}
