// The app's own routing to the simulator (app/dev/shopify-simulator.server.ts): an undici
// dispatcher that sends https://<shop>.myshopify.com/... requests to the simulator, naming the
// shop in x-shopify-shop-domain. Tests use the very code the app runs:
//
//   import { setGlobalDispatcher } from "undici";
//   setGlobalDispatcher(simulatorDispatcher(sim.url));
export { simulatorDispatcher } from "../../app/dev/shopify-simulator.server.ts";
