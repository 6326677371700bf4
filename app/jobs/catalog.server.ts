// The job types a queue can run, and its recurring schedules: a plain value handed to the queue
// and to createJob, never a registry filled by imports. The app's own catalog is
// app/jobs/definitions.server.ts; tests build their own with extra job types.
import type { JobDefinition } from "./define.server";

/** A recurring job: one Job row of `type` every `everyMs` (unless one is still queued or running). */
export type Schedule = { type: string; everyMs: number; payload?: unknown };

export type JobCatalog = {
  definition(type: string): JobDefinition | undefined;
  readonly types: readonly string[];
  readonly schedules: readonly Schedule[];
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- payload types differ per job
type AnyJob = JobDefinition<any, any>;

export function jobCatalog(definitions: readonly AnyJob[], schedules: readonly Schedule[] = []): JobCatalog {
  const byType = new Map<string, JobDefinition>();
  for (const definition of definitions) {
    if (byType.has(definition.type)) throw new Error(`Job type "${definition.type}" is defined twice`);
    byType.set(definition.type, definition as JobDefinition);
  }
  for (const schedule of schedules) {
    if (!byType.has(schedule.type)) throw new Error(`Schedule for unknown job type "${schedule.type}"`);
  }
  return { definition: (type) => byType.get(type), types: [...byType.keys()], schedules };
}
