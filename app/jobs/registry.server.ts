import type { JobDefinition } from "./define.server";

const definitions = new Map<string, JobDefinition>();

export function registerJob(definition: JobDefinition): void {
  definitions.set(definition.type, definition);
}

export function jobDefinition(type: string): JobDefinition | undefined {
  return definitions.get(type);
}

export function registeredJobTypes(): string[] {
  return [...definitions.keys()];
}
