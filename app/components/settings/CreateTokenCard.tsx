import { Form, useNavigation } from "@remix-run/react";
import { BlockStack, Button, Card, ChoiceList, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";

const EXPIRY_OPTIONS = [
  { label: "7 days", value: "7" },
  { label: "30 days", value: "30" },
  { label: "90 days", value: "90" },
  { label: "1 year", value: "365" },
];

/** The create form: name, access, expiry and (write access) a daily credit cap; the field errors come from the action. */
export function CreateTokenCard({ error }: { error?: { fieldErrors?: Record<string, string> } }) {
  const navigation = useNavigation();
  const [name, setName] = useState("");
  const [access, setAccess] = useState<string[]>(["read"]);
  const [expires, setExpires] = useState("90");
  const [cap, setCap] = useState("");
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
          {access[0] === "write" ? (
            <TextField
              label="Daily credit cap"
              name="dailyCreditCap"
              type="number"
              min={1}
              value={cap}
              onChange={setCap}
              autoComplete="off"
              helpText="The most credits this token may spend a day (UTC). Leave empty for no cap. It cannot be changed later."
              error={error?.fieldErrors?.dailyCreditCap}
            />
          ) : null}
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
