// Builds the app once for all end-to-end tests.
import { buildApp } from "../../simulator/stack.ts";

export default function setup() {
  if (process.env.E2E_SKIP_BUILD !== "1") buildApp();
}
