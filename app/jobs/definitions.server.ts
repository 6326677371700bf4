// Every job type the app runs, registered at startup (web process and workers alike).
// Add a feature's jobs here.
import "~/api/jobs.server";
import { generationJob } from "~/generation/generation-job.server";

import { registerJob } from "./registry.server";

registerJob(generationJob);
