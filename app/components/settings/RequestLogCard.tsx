import { useNavigate } from "@remix-run/react";
import { Badge, BlockStack, Box, Card, IndexTable, InlineStack, Pagination, Select, Text } from "@shopify/polaris";

import type { LogRow } from "~/api/settings-page.server";
import { useFilterParams } from "~/components/useFilterParams";

import { when } from "./format";

const STATUS_OPTIONS = [
  { label: "All statuses", value: "" },
  { label: "2xx success", value: "2xx" },
  { label: "4xx client errors", value: "4xx" },
  { label: "5xx server errors", value: "5xx" },
];

function statusTone(status: number): "success" | "warning" | "critical" | undefined {
  if (status < 300) return "success";
  if (status < 500) return status === 429 ? "warning" : "critical";
  return "critical";
}

/** One page of the API request log, filtered by status class and endpoint through the URL. */
export function RequestLogCard({ logs, routes, nextBefore }: { logs: LogRow[]; routes: string[]; nextBefore: string | null }) {
  const { params, setParam } = useFilterParams("before");
  const navigate = useNavigate();
  return (
    <Card padding="0">
      <Box padding="400">
        <BlockStack gap="300">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h2" variant="headingSm">
              Request log
            </Text>
            <Text as="span" tone="subdued">
              Kept for 30 days
            </Text>
          </InlineStack>
          <InlineStack gap="300">
            <Select label="Status" labelInline options={STATUS_OPTIONS} value={params.get("status") ?? ""} onChange={(v) => setParam("status", v)} />
            <Select
              label="Endpoint"
              labelInline
              options={[{ label: "All endpoints", value: "" }, ...routes.map((r) => ({ label: r, value: r }))]}
              value={params.get("route") ?? ""}
              onChange={(v) => setParam("route", v)}
            />
          </InlineStack>
        </BlockStack>
      </Box>
      <IndexTable
        resourceName={{ singular: "request", plural: "requests" }}
        itemCount={logs.length}
        selectable={false}
        emptyState={
          <Box padding="400">
            <Text as="p" tone="subdued">
              No API requests match.
            </Text>
          </Box>
        }
        headings={[{ title: "Time" }, { title: "Request" }, { title: "Status" }, { title: "Duration", alignment: "end" }, { title: "Token" }, { title: "IP" }, { title: "User agent" }]}
      >
        {logs.map((log, index) => (
          <IndexTable.Row id={log.id} key={log.id} position={index}>
            <IndexTable.Cell>{when(log.createdAt)}</IndexTable.Cell>
            <IndexTable.Cell>
              <code>
                {log.method} {log.route}
              </code>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Badge tone={statusTone(log.status)}>{String(log.status)}</Badge>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" alignment="end" numeric>
                {log.durationMs} ms
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>{log.tokenName ?? "—"}</IndexTable.Cell>
            <IndexTable.Cell>{log.ip ?? "—"}</IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" tone="subdued" truncate>
                {log.userAgent ?? "—"}
              </Text>
            </IndexTable.Cell>
          </IndexTable.Row>
        ))}
      </IndexTable>
      <Box padding="400">
        <InlineStack align="center">
          <Pagination hasPrevious={params.has("before")} onPrevious={() => navigate(-1)} hasNext={Boolean(nextBefore)} onNext={() => setParam("before", nextBefore)} />
        </InlineStack>
      </Box>
    </Card>
  );
}
