// Shopify's Billing API, and nothing else of it anywhere: create a plan subscription or a credit
// pack purchase (each answers a confirmation URL the merchant approves or declines), cancel a
// subscription, and read a charge's current state. Shopify is the source of truth for a charge;
// the app never trusts a return URL or a webhook body alone, it reads the charge here
// (docs/decisions/0060-billing-api-not-managed-pricing.md).
import { AppError } from "~/errors";
import { adminQuery, type AdminGraphql } from "~/shopify-admin/graphql.server";

export const CREATE_SUBSCRIPTION_MUTATION = `#graphql
  mutation LightboxCreateSubscription($name: String!, $returnUrl: URL!, $test: Boolean, $lineItems: [AppSubscriptionLineItemInput!]!) {
    appSubscriptionCreate(name: $name, returnUrl: $returnUrl, test: $test, lineItems: $lineItems, replacementBehavior: STANDARD) {
      appSubscription {
        id
        status
      }
      confirmationUrl
      userErrors {
        field
        message
      }
    }
  }
`;

export const CREATE_PURCHASE_MUTATION = `#graphql
  mutation LightboxCreatePurchase($name: String!, $price: MoneyInput!, $returnUrl: URL!, $test: Boolean) {
    appPurchaseOneTimeCreate(name: $name, price: $price, returnUrl: $returnUrl, test: $test) {
      appPurchaseOneTime {
        id
        status
      }
      confirmationUrl
      userErrors {
        field
        message
      }
    }
  }
`;

export const CANCEL_SUBSCRIPTION_MUTATION = `#graphql
  mutation LightboxCancelSubscription($id: ID!) {
    appSubscriptionCancel(id: $id, prorate: false) {
      appSubscription {
        id
        status
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const CHARGE_QUERY = `#graphql
  query LightboxCharge($id: ID!) {
    node(id: $id) {
      __typename
      ... on AppSubscription {
        id
        name
        subscriptionStatus: status
        test
        currentPeriodEnd
      }
      ... on AppPurchaseOneTime {
        id
        name
        purchaseStatus: status
        test
      }
    }
  }
`;

export const ACTIVE_SUBSCRIPTIONS_QUERY = `#graphql
  query LightboxActiveSubscriptions {
    currentAppInstallation {
      activeSubscriptions {
        id
        name
        status
        test
        currentPeriodEnd
      }
    }
  }
`;

/** Shopify's statuses for both kinds of charge (the deprecated ACCEPTED is never asked for). */
export type ChargeStatus = "PENDING" | "ACTIVE" | "DECLINED" | "EXPIRED" | "CANCELLED" | "FROZEN";

export type ShopifyCharge = {
  id: string;
  kind: "subscription" | "purchase";
  name: string;
  status: ChargeStatus;
  test: boolean;
  /** Subscriptions: end of the current billing period (null unless ACTIVE). */
  currentPeriodEnd: Date | null;
};

export type NewCharge = { chargeId: string; confirmationUrl: string };

type UserErrors = Array<{ field: string[] | null; message: string }>;

/** Shopify refused to create or change a charge: said as Shopify put it. */
export class BillingRefusedError extends AppError {
  override name = "BillingRefusedError";
  constructor(what: string, errors: UserErrors) {
    super("BILLING_REFUSED", `Shopify did not ${what}: ${errors.map((error) => error.message).join("; ") || "no reason given"}. Try again, or contact us if it keeps happening.`, {
      status: 502,
      title: "Shopify refused",
    });
  }
}

const money = (amount: string, currencyCode: string) => ({ amount, currencyCode });

/** The new charge, or Shopify's reasons for not making it. */
function created(what: string, charge: { id: string } | null, confirmationUrl: string | null, userErrors: UserErrors): NewCharge {
  if (!charge || !confirmationUrl || userErrors.length > 0) throw new BillingRefusedError(what, userErrors);
  return { chargeId: charge.id, confirmationUrl };
}

export async function createSubscription(
  graphql: AdminGraphql,
  input: { name: string; price: string; currencyCode: string; returnUrl: string; test: boolean },
): Promise<NewCharge> {
  const data = await adminQuery<{
    appSubscriptionCreate: { appSubscription: { id: string } | null; confirmationUrl: string | null; userErrors: UserErrors };
  }>(graphql, CREATE_SUBSCRIPTION_MUTATION, {
    name: input.name,
    returnUrl: input.returnUrl,
    test: input.test,
    lineItems: [{ plan: { appRecurringPricingDetails: { price: money(input.price, input.currencyCode), interval: "EVERY_30_DAYS" } } }],
  });
  const { appSubscription, confirmationUrl, userErrors } = data.appSubscriptionCreate;
  return created("create the subscription", appSubscription, confirmationUrl, userErrors);
}

export async function createPurchase(
  graphql: AdminGraphql,
  input: { name: string; price: string; currencyCode: string; returnUrl: string; test: boolean },
): Promise<NewCharge> {
  const data = await adminQuery<{
    appPurchaseOneTimeCreate: { appPurchaseOneTime: { id: string } | null; confirmationUrl: string | null; userErrors: UserErrors };
  }>(graphql, CREATE_PURCHASE_MUTATION, { name: input.name, price: money(input.price, input.currencyCode), returnUrl: input.returnUrl, test: input.test });
  const { appPurchaseOneTime, confirmationUrl, userErrors } = data.appPurchaseOneTimeCreate;
  return created("create the purchase", appPurchaseOneTime, confirmationUrl, userErrors);
}

/** Cancels at once, without prorating: the cycle's credits stay until its end (ADR 0061). */
export async function cancelSubscription(graphql: AdminGraphql, chargeId: string): Promise<void> {
  const data = await adminQuery<{ appSubscriptionCancel: { appSubscription: { id: string } | null; userErrors: UserErrors } }>(
    graphql,
    CANCEL_SUBSCRIPTION_MUTATION,
    { id: chargeId },
  );
  if (data.appSubscriptionCancel.userErrors.length > 0) throw new BillingRefusedError("cancel the subscription", data.appSubscriptionCancel.userErrors);
}

type ChargeNode =
  | { __typename: "AppSubscription"; id: string; name: string; subscriptionStatus: ChargeStatus; test: boolean; currentPeriodEnd: string | null }
  | { __typename: "AppPurchaseOneTime"; id: string; name: string; purchaseStatus: ChargeStatus; test: boolean }
  | { __typename: string };

/** The charge as Shopify has it now, or null when this app and shop have no such charge. */
export async function fetchCharge(graphql: AdminGraphql, chargeId: string): Promise<ShopifyCharge | null> {
  const data = await adminQuery<{ node: ChargeNode | null }>(graphql, CHARGE_QUERY, { id: chargeId });
  const node = data.node;
  if (!node || !("id" in node)) return null;
  if ("subscriptionStatus" in node) {
    const { id, name, subscriptionStatus, test, currentPeriodEnd } = node;
    return { id, kind: "subscription", name, status: subscriptionStatus, test, currentPeriodEnd: currentPeriodEnd ? new Date(currentPeriodEnd) : null };
  }
  if ("purchaseStatus" in node) return { id: node.id, kind: "purchase", name: node.name, status: node.purchaseStatus, test: node.test, currentPeriodEnd: null };
  return null;
}

/** The shop's active subscriptions to this app (at most one for Lightbox). */
export async function fetchActiveSubscriptions(graphql: AdminGraphql): Promise<ShopifyCharge[]> {
  const data = await adminQuery<{
    currentAppInstallation: { activeSubscriptions: Array<{ id: string; name: string; status: ChargeStatus; test: boolean; currentPeriodEnd: string | null }> };
  }>(graphql, ACTIVE_SUBSCRIPTIONS_QUERY);
  return data.currentAppInstallation.activeSubscriptions.map((s) => ({
    id: s.id,
    kind: "subscription",
    name: s.name,
    status: s.status,
    test: s.test,
    currentPeriodEnd: s.currentPeriodEnd ? new Date(s.currentPeriodEnd) : null,
  }));
}
