import { Form } from "@remix-run/react";
import { Banner, BlockStack, Button, InlineStack } from "@shopify/polaris";
import type { ReactNode } from "react";

/** "Delete ... for good?": what happens, then the destructive button (posting the page's form) and Cancel. */
export function ConfirmBanner(props: {
  tone: "warning" | "critical";
  title: string;
  children: ReactNode;
  /** The form's intent, when the page's action has several. */
  intent?: string;
  confirm: string;
  busy: boolean;
  onCancel: () => void;
}) {
  return (
    <Banner tone={props.tone} title={props.title}>
      <BlockStack gap="200">
        {props.children}
        <Form method="post">
          {props.intent ? <input type="hidden" name="intent" value={props.intent} /> : null}
          <InlineStack gap="200">
            <Button submit tone="critical" variant="primary" loading={props.busy}>
              {props.confirm}
            </Button>
            <Button onClick={props.onCancel}>Cancel</Button>
          </InlineStack>
        </Form>
      </BlockStack>
    </Banner>
  );
}
