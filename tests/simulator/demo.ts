// `npm start`: builds Lightbox and runs it on its embedded defaults (PGlite in .data/, objects on
// disk, jobs in process, offline compositor unless GEMINI_API_KEY is set) inside the local
// Shopify admin, offline. Prints one URL to open.
import { startStack } from "./stack.ts";

const appPort = Number(process.env.PORT ?? 3000);
const simulatorPort = Number(process.env.SHOPIFY_SIMULATOR_PORT ?? 4100);

const stack = await startStack({ appPort, simulatorPort, build: process.argv[2] !== "--no-build", inheritOutput: true });
console.log(`
  Lightbox is running on its embedded defaults (app ${stack.appUrl}, local Shopify ${stack.sim.url}).

  Open the app inside the local Shopify admin:

    ${stack.adminUrl()}
`);

const shutdown = () => void stack.stop().then(() => process.exit(0));
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
