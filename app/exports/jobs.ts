// The exports' job types (defined in export-job.server.ts and expire-exports.server.ts).
export const EXPORT_JOB = "export.build";
export const EXPIRE_EXPORTS_JOB = "exports.expire";
export const EXPIRE_EXPORTS_EVERY_MS = 3_600_000;
