// Every job type the app runs, registered at startup (web process and workers alike).
// Add a feature's jobs here.
import "~/api/jobs.server";
import { generationJob } from "~/generation/generation-job.server";
import { publishJob } from "~/publish/publish-job.server";
import { revertJob } from "~/publish/revert-job.server";
import { libraryAdminClientFactory, setAdminClientFactory } from "~/shopify-admin/admin-for-shop.server";

import { registerJob } from "./registry.server";

registerJob(generationJob);
registerJob(publishJob);
registerJob(revertJob);

// Jobs reach a shop's Admin API through its offline session: the one place that wires it. Loaded
// on first use, so importing the job registry opens no database.
setAdminClientFactory(libraryAdminClientFactory(async (shop) => (await import("~/shopify.server")).unauthenticated.admin(shop)));
