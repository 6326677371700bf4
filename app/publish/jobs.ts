// Job types of the publish feature (definitions in publish-job.server.ts, revert-job.server.ts).
export const PUBLISH_JOB = "publish.product";
export const REVERT_JOB = "publish.revert";
