/** Remix 2 classic compiler (esbuild). See docs/decisions/0001-node-24-from-npm.md. */
/** @type {import('@remix-run/dev').AppConfig} */
export default {
  appDirectory: "app",
  assetsBuildDirectory: "public/build",
  publicPath: "/build/",
  serverBuildPath: "build/server/index.js",
  serverModuleFormat: "esm",
  serverPlatform: "node",
  server: "./app/server.node.ts",
  ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}"],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    // Off: a click on a link whose route was not yet discovered could do nothing (ADR 0099).
    v3_lazyRouteDiscovery: false,
    v3_singleFetch: false,
  },
  browserNodeBuiltinsPolyfill: { modules: {} },
};
