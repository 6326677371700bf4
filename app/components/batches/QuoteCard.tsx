// The cost preview of a batch: what it makes, what it costs against the balance, how long.
import { Link } from "@remix-run/react";
import { Banner, BlockStack, Card, InlineStack, Text, Thumbnail } from "@shopify/polaris";
import { ImageIcon } from "@shopify/polaris-icons";

import type { BatchQuote } from "~/batches/quote-batch.server";

import { billingLine, duration } from "./status";

export function QuoteCard({ quote, selection }: { quote: BatchQuote; selection: string }) {
  const short = quote.billing === "credits" && quote.covered < quote.products;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingSm">
          Before it starts
        </Text>
        <Text as="p">
          <Text as="span" fontWeight="semibold">
            {quote.products} product{quote.products === 1 ? "" : "s"}
          </Text>{" "}
          ({selection}) × {quote.imagesPerProduct} image{quote.imagesPerProduct === 1 ? "" : "s"}
          {quote.billing === "credits" ? ` × ${quote.pricePerProduct / quote.imagesPerProduct} credit${quote.pricePerProduct === quote.imagesPerProduct ? "" : "s"}` : ""}
        </Text>
        <InlineStack gap="600">
          <BlockStack gap="100">
            <Text as="span" tone="subdued">
              Cost
            </Text>
            <Text as="span" variant="headingMd">
              {billingLine(quote.billing, quote.totalCredits)}
            </Text>
          </BlockStack>
          {quote.billing === "credits" ? (
            <>
              <BlockStack gap="100">
                <Text as="span" tone="subdued">
                  Balance
                </Text>
                <Text as="span" variant="headingMd">
                  {quote.balance}
                </Text>
              </BlockStack>
              <BlockStack gap="100">
                <Text as="span" tone="subdued">
                  Left afterwards
                </Text>
                <Text as="span" variant="headingMd">
                  {quote.balanceAfter}
                </Text>
              </BlockStack>
            </>
          ) : null}
          <BlockStack gap="100">
            <Text as="span" tone="subdued">
              Takes
            </Text>
            <Text as="span" variant="headingMd">
              {duration(quote.estimatedSeconds)}
            </Text>
          </BlockStack>
        </InlineStack>
        {short ? (
          <Banner tone="warning" title={`Your balance covers ${quote.covered} of ${quote.products} products`}>
            <p>
              The batch makes {quote.covered} and then pauses, saying so; buy credits in <Link to="/app/plans">Plans</Link> and resume it to make the rest.
            </p>
          </Banner>
        ) : null}
        {quote.withoutPhoto > 0 ? (
          <Text as="p" tone="subdued">
            {quote.withoutPhoto} matching product{quote.withoutPhoto === 1 ? " has" : "s have"} no photo to start from and {quote.withoutPhoto === 1 ? "is" : "are"} left out.
          </Text>
        ) : null}
        <InlineStack gap="200">
          {quote.sample.map((product) => (
            <Thumbnail key={product.id} source={product.imageUrl ?? ImageIcon} alt={product.title} size="small" />
          ))}
          {quote.products > quote.sample.length ? <Text as="span" tone="subdued">{`+ ${quote.products - quote.sample.length} more`}</Text> : null}
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
