import { BlockStack, Box, Card, InlineStack, Text } from "@shopify/polaris";

import type { UsagePageData } from "~/usage/usage-page.server";

const COLOURS = ["#2c6ecb", "#e0a100", "#8051ff", "#00a47c", "#e3493b"];
const HEIGHT = 160;

/** Credits spent per day, one stacked bar per day, one colour per model. */
export function UsageChart({ chart, range }: Pick<UsagePageData, "chart" | "range">) {
  const totals = chart.days.map((d) => Object.values(d.byModel).reduce((a, b) => a + b, 0));
  const max = Math.max(1, ...totals);
  const barWidth = 100 / Math.max(1, chart.days.length);
  const colour = (model: string) => COLOURS[chart.models.indexOf(model) % COLOURS.length]!;
  const spent = totals.reduce((a, b) => a + b, 0);
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Credits spent per day
          </Text>
          <Text as="span" tone="subdued">
            {range.from} to {range.to} (UTC) · {spent} credits
          </Text>
        </InlineStack>
        <Box>
          <svg role="img" aria-label={`Credits spent per day by model, ${range.from} to ${range.to}`} viewBox={`0 0 100 ${HEIGHT}`} preserveAspectRatio="none" width="100%" height={HEIGHT} data-testid="usage-chart">
            <line x1="0" y1={HEIGHT - 0.5} x2="100" y2={HEIGHT - 0.5} stroke="#c9cccf" strokeWidth="1" vectorEffect="non-scaling-stroke" />
            {chart.days.map((d, i) => {
              let y = HEIGHT;
              return (
                <g key={d.day}>
                  <title>{`${d.day}: ${totals[i]} credits`}</title>
                  {chart.models
                    .filter((m) => d.byModel[m])
                    .map((m) => {
                      const h = ((d.byModel[m] ?? 0) / max) * (HEIGHT - 8);
                      y -= h;
                      return <rect key={m} data-model={m} x={i * barWidth + barWidth * 0.15} width={barWidth * 0.7} y={y} height={h} fill={colour(m)} />;
                    })}
                </g>
              );
            })}
          </svg>
        </Box>
        <InlineStack align="space-between">
          <Text as="span" tone="subdued" variant="bodySm">
            {range.from}
          </Text>
          <Text as="span" tone="subdued" variant="bodySm">
            Highest day: {max === 1 && spent === 0 ? 0 : max}
          </Text>
          <Text as="span" tone="subdued" variant="bodySm">
            {range.to}
          </Text>
        </InlineStack>
        <InlineStack gap="400">
          {chart.models.length === 0 ? (
            <Text as="span" tone="subdued">
              No credits spent in this range.
            </Text>
          ) : (
            chart.models.map((m) => (
              <InlineStack key={m} gap="100" blockAlign="center">
                <span style={{ display: "inline-block", width: 12, height: 12, borderRadius: 3, background: colour(m) }} />
                <Text as="span">{chart.labels[m] ?? m}</Text>
              </InlineStack>
            ))
          )}
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
