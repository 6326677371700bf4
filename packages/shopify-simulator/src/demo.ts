// `npm start`: builds the app in the current directory (its `npm run build`) and runs it inside
// the local Shopify admin, offline. The app gets only the simulator's environment, so it runs on
// its own defaults (for Lightbox the embedded ones: PGlite in .data/, objects on disk, jobs in
// process, the offline compositor unless GEMINI_API_KEY is set). Prints one URL to open.
//
//   node packages/shopify-simulator/src/demo.ts [--no-build]
//   PORT (default 3000): the app; SHOPIFY_SIMULATOR_PORT (default 4100): the simulator
import { DEFAULT_PORT } from "./index.ts";
import { startStack } from "./stack.ts";

const appPort = Number(process.env.PORT ?? 3000);
const simulatorPort = Number(process.env.SHOPIFY_SIMULATOR_PORT ?? DEFAULT_PORT);

const stack = await startStack({
  appRoot: process.cwd(),
  appPort,
  simulatorPort,
  build: process.argv[2] !== "--no-build",
  inheritOutput: true,
});
console.log(`
  ${stack.sim.options.appName} is running on its embedded defaults (app ${stack.appUrl}, local Shopify ${stack.sim.url}).

  Open the app inside the local Shopify admin:

    ${stack.adminUrl()}
`);

const shutdown = () => void stack.stop().then(() => process.exit(0));
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
