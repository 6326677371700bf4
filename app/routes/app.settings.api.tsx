import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigate, useNavigation, useSearchParams, useSubmit } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  ChoiceList,
  EmptyState,
  IndexTable,
  InlineStack,
  Layout,
  Modal,
  Page,
  Pagination,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";

import { apiSettingsPage, createTokenFromForm, type LogRow } from "~/api/settings-page.server";
import { db } from "~/db.server";
import { adminErrorResponse } from "~/http/errors.server";
import { authenticate } from "~/shopify.server";
import { currentShop } from "~/shops/current-shop.server";
import { deleteApiToken } from "~/tokens/delete-token.server";
import { revokeApiToken } from "~/tokens/revoke-token.server";
import type { TokenView } from "~/tokens/token-view";
import { RouteErrorPage } from "~/components/RouteErrorPage";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const shop = await currentShop(db, session.shop);
  const url = new URL(request.url);
  return Response.json(
    await apiSettingsPage(db, shop.id, {
      status: url.searchParams.get("status"),
      route: url.searchParams.get("route"),
      before: url.searchParams.get("before"),
    }),
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const shop = await currentShop(db, session.shop);
  const form = await request.formData();
  try {
    if (form.get("intent") === "create") {
      const { token, plaintext } = await createTokenFromForm(db, shop.id, form);
      // The only time the token is ever sent anywhere: this response, shown once, not stored.
      return Response.json({ created: { token, plaintext } }, { headers: { "Cache-Control": "no-store" } });
    }
    if (form.get("intent") === "revoke") {
      await revokeApiToken(db, shop.id, String(form.get("tokenId") ?? ""));
      return Response.json({ revoked: String(form.get("tokenId")) });
    }
    if (form.get("intent") === "delete") {
      await deleteApiToken(db, shop.id, String(form.get("tokenId") ?? ""));
      return Response.json({ deleted: String(form.get("tokenId")) });
    }
    return Response.json({ error: { status: 400, title: "Bad request", detail: "Unknown action. Reload the page and try again." } }, { status: 400 });
  } catch (error) {
    return adminErrorResponse(error);
  }
}

type LoaderData = Awaited<ReturnType<typeof apiSettingsPage>>;
type ActionData = {
  created?: { token: TokenView; plaintext: string };
  revoked?: string;
  deleted?: string;
  error?: { detail: string; fieldErrors?: Record<string, string> };
};

const EXPIRY_OPTIONS = [
  { label: "7 days", value: "7" },
  { label: "30 days", value: "30" },
  { label: "90 days", value: "90" },
  { label: "1 year", value: "365" },
  { label: "Never", value: "never" },
];
const STATUS_OPTIONS = [
  { label: "All statuses", value: "" },
  { label: "2xx success", value: "2xx" },
  { label: "4xx client errors", value: "4xx" },
  { label: "5xx server errors", value: "5xx" },
];

const when = (iso: string | null, fallback = "—") => (iso ? new Date(iso).toLocaleString() : fallback);

function statusTone(status: number): "success" | "warning" | "critical" | undefined {
  if (status < 300) return "success";
  if (status < 500) return status === 429 ? "warning" : "critical";
  return "critical";
}

function TokenStatusBadge({ token }: { token: TokenView }) {
  if (token.status === "revoked") return <Badge tone="critical">Revoked</Badge>;
  if (token.status === "expired") return <Badge tone="warning">Expired</Badge>;
  return <Badge tone="success">Active</Badge>;
}

function NewTokenBanner({ plaintext, name, onDismiss }: { plaintext: string; name: string; onDismiss: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <Banner tone="success" title={`Token "${name}" created`} onDismiss={onDismiss}>
      <BlockStack gap="200">
        <Text as="p">Copy it now and store it somewhere safe. For your security it will not be shown again.</Text>
        <InlineStack gap="200" blockAlign="end" wrap={false}>
          <div style={{ flexGrow: 1 }}>
            <TextField label="API token" labelHidden value={plaintext} readOnly autoComplete="off" monospaced selectTextOnFocus />
          </div>
          <Button
            onClick={() => {
              void navigator.clipboard?.writeText(plaintext).then(() => setCopied(true));
            }}
          >
            {copied ? "Copied" : "Copy"}
          </Button>
        </InlineStack>
      </BlockStack>
    </Banner>
  );
}

function CreateTokenCard({ error }: { error?: ActionData["error"] }) {
  const navigation = useNavigation();
  const [name, setName] = useState("");
  const [access, setAccess] = useState<string[]>(["read"]);
  const [expires, setExpires] = useState("90");
  const busy = navigation.state !== "idle" && navigation.formData?.get("intent") === "create";
  return (
    <Card>
      <Form method="post">
        <BlockStack gap="300">
          <Text as="h2" variant="headingSm">
            Create a token
          </Text>
          <input type="hidden" name="intent" value="create" />
          <input type="hidden" name="access" value={access[0]} />
          <input type="hidden" name="expires" value={expires} />
          <TextField
            label="Name"
            name="name"
            value={name}
            onChange={setName}
            autoComplete="off"
            helpText="Who or what uses it, e.g. “Nightly catalogue script”."
            error={error?.fieldErrors?.name}
          />
          <ChoiceList
            title="Access"
            choices={[
              { label: "Read", value: "read", helpText: "List and download images and generations." },
              { label: "Read and write", value: "write", helpText: "Also upload, generate (uses credits) and delete." },
            ]}
            selected={access}
            onChange={setAccess}
            error={error?.fieldErrors?.scopes}
          />
          <Select label="Expires after" options={EXPIRY_OPTIONS} value={expires} onChange={setExpires} error={error?.fieldErrors?.expiresAt} />
          <InlineStack>
            <Button submit variant="primary" loading={busy}>
              Create token
            </Button>
          </InlineStack>
        </BlockStack>
      </Form>
    </Card>
  );
}

function TokensCard({ tokens }: { tokens: TokenView[] }) {
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
          headings={[{ title: "Name" }, { title: "Token" }, { title: "Access" }, { title: "Last used" }, { title: "Expires" }, { title: "Status" }, { title: "" }]}
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

function RequestLogCard({ logs, routes, nextBefore }: { logs: LogRow[]; routes: string[]; nextBefore: string | null }) {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const setParam = (name: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    if (name !== "before") next.delete("before");
    setParams(next);
  };
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

function WebhookSecretCard({ secret, apiBaseUrl }: { secret: string; apiBaseUrl: string }) {
  const [shown, setShown] = useState(false);
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingSm">
          Using the API
        </Text>
        <Text as="p">
          Base URL <code>{apiBaseUrl}</code>. Send the token as <code>Authorization: Bearer lbx_…</code>. The reference is at{" "}
          <code>{apiBaseUrl}/openapi.json</code>.
        </Text>
        <Text as="h3" variant="headingXs">
          Webhook signing secret
        </Text>
        <Text as="p" tone="subdued">
          Generations created with a <code>webhook_url</code> POST their outcome there, signed in the <code>Lightbox-Signature</code> header
          with this secret. Verify it before trusting the request.
        </Text>
        <InlineStack gap="200" blockAlign="center">
          <code>{shown ? secret : `${secret.slice(0, 8)}${"•".repeat(24)}`}</code>
          <Button variant="plain" onClick={() => setShown(!shown)}>
            {shown ? "Hide" : "Reveal"}
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

export default function ApiSettings() {
  const data = useLoaderData<LoaderData>();
  const result = useActionData<ActionData>();
  // The token lives only in this action result: gone on reload or dismiss, never in loader data.
  const [dismissed, setDismissed] = useState<string | null>(null);
  const created = result?.created && result.created.token.id !== dismissed ? result.created : null;

  return (
    <Page title="API access" subtitle="Personal access tokens for the Lightbox REST API" backAction={{ content: "Home", url: "/app" }}>
      <Layout>
        {created ? (
          <Layout.Section>
            <NewTokenBanner plaintext={created.plaintext} name={created.token.name} onDismiss={() => setDismissed(created.token.id)} />
          </Layout.Section>
        ) : null}
        {result?.error && !result.error.fieldErrors ? (
          <Layout.Section>
            <Banner tone="critical">{result.error.detail}</Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <TokensCard tokens={data.tokens} />
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <CreateTokenCard error={result?.error} />
            <WebhookSecretCard secret={data.webhookSecret} apiBaseUrl={data.apiBaseUrl} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section>
          <RequestLogCard logs={data.logs} routes={data.routes} nextBefore={data.nextBefore} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPage title="API access" what="API access" notFound="This page was not found." back={{ content: "Settings", url: "/app/settings" }} />;
}
