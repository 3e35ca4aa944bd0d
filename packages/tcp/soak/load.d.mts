// Types for load.mjs, so test/load.test.ts type-checks against it.
import type { connect, listen } from '../src/index.js';

export interface LoadOptions {
  connect: typeof connect;
  listen: typeof listen;
  connections: number;
  roundTrips: number;
  maxBody?: number;
  seed?: number;
  connectConcurrency?: number;
}

export interface LoadFigures {
  connections: number;
  roundTrips: number;
  expectedRoundTrips: number;
  errors: number;
  errorSamples: string[];
  bytes: { expectedEachWay: number; clientOut: number; serverIn: number; serverOut: number; clientIn: number };
  serverRequests: number;
  connectMs: number;
  durationMs: number;
  peakRss: number;
}

export function runLoad(options: LoadOptions): Promise<LoadFigures>;
export function formatFigures(figures: LoadFigures): string;
