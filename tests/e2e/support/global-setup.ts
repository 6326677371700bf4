// Builds the app once for all end-to-end tests.
import path from "node:path";

import { buildApp } from "@lightbox/shopify-simulator/stack";

export default function setup() {
  if (process.env.E2E_SKIP_BUILD !== "1") buildApp({ appRoot: path.resolve(__dirname, "../../..") });
}
