import { useSubmit } from "@remix-run/react";
import { Badge, Box, Button, Card, EmptyState, IndexTable, Modal, Text } from "@shopify/polaris";
import { useState } from "react";

import type { TokenView } from "~/tokens/token-view";

import { when } from "./format";

function TokenStatusBadge({ token }: { token: TokenView }) {
  if (token.status === "revoked") return <Badge tone="critical">Revoked</Badge>;
  if (token.status === "expired") return <Badge tone="warning">Expired</Badge>;
  return <Badge tone="success">Active</Badge>;
}

/** The shop's tokens; an active one can be revoked (after a confirmation), a dead one deleted. */
export function TokensCard({ tokens }: { tokens: TokenView[] }) {
  const submit = useSubmit();
  const [revoking, setRevoking] = useState<TokenView | null>(null);
  return (
    <Card padding="0">
      <Box padding="400">
        <Text as="h2" variant="headingSm">
          Tokens
        </Text>
      </Box>
      {tokens.length === 0 ? (
        <EmptyState heading="No tokens yet" image="">
          <p>Create a token to use the Lightbox API from your own scripts.</p>
        </EmptyState>
      ) : (
        <IndexTable
          resourceName={{ singular: "token", plural: "tokens" }}
          itemCount={tokens.length}
          selectable={false}
          headings={[{ title: "Name" }, { title: "Token" }, { title: "Access" }, { title: "Daily cap" }, { title: "Last used" }, { title: "Expires" }, { title: "Status" }, { title: "" }]}
        >
          {tokens.map((token, index) => (
            <IndexTable.Row id={token.id} key={token.id} position={index}>
              <IndexTable.Cell>
                <Text as="span" fontWeight="semibold">
                  {token.name}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" tone="subdued">
                  <code>{token.prefix}…</code>
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>{token.scopes.includes("write") ? "Read and write" : "Read"}</IndexTable.Cell>
              <IndexTable.Cell>{token.dailyCreditCap === null ? "None" : `${token.dailyCreditCap} credits`}</IndexTable.Cell>
              <IndexTable.Cell>
                {token.lastUsedAt ? `${when(token.lastUsedAt)}${token.lastUsedIp ? ` from ${token.lastUsedIp}` : ""}` : "Never"}
              </IndexTable.Cell>
              <IndexTable.Cell>{when(token.expiresAt, "Never")}</IndexTable.Cell>
              <IndexTable.Cell>
                <TokenStatusBadge token={token} />
              </IndexTable.Cell>
              <IndexTable.Cell>
                {token.status === "active" ? (
                  <Button tone="critical" variant="plain" onClick={() => setRevoking(token)}>
                    Revoke
                  </Button>
                ) : (
                  <Button variant="plain" onClick={() => submit({ intent: "delete", tokenId: token.id }, { method: "post" })}>
                    Delete
                  </Button>
                )}
              </IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </IndexTable>
      )}
      <Modal
        open={revoking !== null}
        onClose={() => setRevoking(null)}
        title={`Revoke “${revoking?.name ?? ""}”?`}
        primaryAction={{
          content: "Revoke token",
          destructive: true,
          onAction: () => {
            if (revoking) submit({ intent: "revoke", tokenId: revoking.id }, { method: "post" });
            setRevoking(null);
          },
        }}
        secondaryActions={[{ content: "Cancel", onAction: () => setRevoking(null) }]}
      >
        <Modal.Section>
          <Text as="p">Scripts using this token stop working with their next request. This cannot be undone; you can create a new token.</Text>
        </Modal.Section>
      </Modal>
    </Card>
  );
}
