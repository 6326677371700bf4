import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/**", "public/build/**", "app/generated/**", "node_modules/**", ".data/**", "tests/.artifacts/**", "extensions/*/dist/**", "extensions/*/shopify.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["~/routes/*", "**/routes/*"], message: "Domain code never imports a route." }] },
      ],
    },
  },
  {
    // Tests drive route modules directly; routes may import each other's server halves.
    files: ["tests/**", "app/routes/**"],
    rules: { "no-restricted-imports": "off" },
  },
  {
    // The local Shopify is a workspace package, not part of the app: its sources never import
    // app code (ADR 0054). Its tests may, to drive Shopify's library through the app's dispatcher.
    files: ["packages/*/src/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["~/*", "**/app/*"], message: "The simulator package never imports the app (ADR 0054)." }] },
      ],
    },
  },
  {
    // Admin pages, webhooks and health get db and storage from adminRoute / webhookRoute / services().
    files: ["app/routes/app.*", "app/routes/webhooks.*", "app/routes/healthz.ts", "app/routes/files.$.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { paths: [{ name: "~/db.server", message: "Routes get db from adminRoute, webhookRoute or services() (app/http/services.server.ts)." }] },
      ],
    },
  },
  {
    // Components run in the browser: types from server modules only.
    files: ["app/components/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        { patterns: [{ group: ["**/*.server", "~/**/*.server"], allowTypeImports: true, message: "Components never import server code (types only)." }] },
      ],
    },
  },
  {
    files: ["**/*.{js,mjs}"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
);
