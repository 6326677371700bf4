import { Badge, BlockStack, Box, Button, Card, IndexTable, InlineStack, Pagination, Select, Text, TextField } from "@shopify/polaris";

import { when } from "~/components/settings/format";
import { useFilterParams } from "~/components/useFilterParams";
import type { UsagePageData } from "~/usage/usage-page.server";

const KIND_LABELS: Record<string, string> = { grant: "Grant", debit: "Spent", refund: "Refund", expire: "Expired" };
const KIND_TONES: Record<string, "success" | "info" | "attention" | undefined> = { grant: "success", refund: "info", expire: "attention" };

/** The ledger, filtered through the URL (kind, model, days), with CSV export of the same filters. */
export function LedgerCard({ data, onExport, exporting }: { data: UsagePageData; onExport: () => void; exporting: boolean }) {
  const { params, setParam } = useFilterParams("cursor");
  return (
    <Card padding="0">
      <Box padding="400">
        <BlockStack gap="300">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h2" variant="headingMd">
              History
            </Text>
            <Button onClick={onExport} loading={exporting}>
              Export CSV
            </Button>
          </InlineStack>
          <InlineStack gap="300" blockAlign="end">
            <Select
              label="Kind"
              options={[{ label: "All kinds", value: "" }, ...data.kinds.map((k) => ({ label: KIND_LABELS[k] ?? k, value: k }))]}
              value={params.get("kind") ?? ""}
              onChange={(v) => setParam("kind", v)}
            />
            <Select
              label="Model"
              options={[{ label: "All models", value: "" }, ...data.models.map((m) => ({ label: m.label, value: m.id }))]}
              value={params.get("model") ?? ""}
              onChange={(v) => setParam("model", v)}
            />
            <TextField label="From" type="date" autoComplete="off" value={params.get("from") ?? ""} onChange={(v) => setParam("from", v)} />
            <TextField label="To" type="date" autoComplete="off" value={params.get("to") ?? ""} onChange={(v) => setParam("to", v)} />
          </InlineStack>
        </BlockStack>
      </Box>
      <IndexTable
        resourceName={{ singular: "entry", plural: "entries" }}
        itemCount={data.entries.length}
        selectable={false}
        emptyState={
          <Box padding="400">
            <Text as="p" tone="subdued">
              No credit movements match.
            </Text>
          </Box>
        }
        headings={[{ title: "When" }, { title: "Kind" }, { title: "What" }, { title: "Model" }, { title: "Credits", alignment: "end" }, { title: "Balance", alignment: "end" }]}
      >
        {data.entries.map((e, index) => (
          <IndexTable.Row id={e.id} key={e.id} position={index}>
            <IndexTable.Cell>{when(e.createdAt)}</IndexTable.Cell>
            <IndexTable.Cell>
              <Badge tone={KIND_TONES[e.kind]}>{KIND_LABELS[e.kind] ?? e.kind}</Badge>
            </IndexTable.Cell>
            <IndexTable.Cell>
              {e.reason}
              {e.viaApi ? " (API)" : ""}
            </IndexTable.Cell>
            <IndexTable.Cell>{e.model ? (data.models.find((m) => m.id === e.model)?.label ?? e.model) : "—"}</IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" alignment="end" numeric>
                {e.amount > 0 ? `+${e.amount}` : String(e.amount)}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" alignment="end" numeric>
                {e.balanceAfter}
              </Text>
            </IndexTable.Cell>
          </IndexTable.Row>
        ))}
      </IndexTable>
      {data.nextCursor || params.get("cursor") ? (
        <Box padding="400">
          <Pagination
            hasPrevious={Boolean(params.get("cursor"))}
            onPrevious={() => setParam("cursor", null)}
            previousTooltip="Newest"
            hasNext={Boolean(data.nextCursor)}
            onNext={() => setParam("cursor", data.nextCursor)}
          />
        </Box>
      ) : null}
    </Card>
  );
}
