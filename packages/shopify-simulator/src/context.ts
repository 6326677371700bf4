// What every part of the simulator gets: its state, its options and its public origin.
import type { ResolvedOptions } from "./options.ts";
import type { SimulatorState } from "./state.ts";

export interface SimContext {
  state: SimulatorState;
  options: ResolvedOptions;
  /** Origin for URLs the simulator hands out (CDN files, staged uploads, admin pages). */
  publicUrl(): string;
  now(): number;
}

export interface HttpResult {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}
