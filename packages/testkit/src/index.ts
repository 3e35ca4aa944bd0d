/**
 * @packageDocumentation
 * `@iostream/testkit`: in-memory transports with knobs (chunking, delivery
 * timing, write capacity, injected faults) for testing code built on
 * `@iostream/core`, and the transport compliance suite every `FdTransport`
 * runs (import it from `@iostream/testkit/compliance`, which needs vitest), and
 * leak checks over `process.getActiveResourcesInfo()` bounded by event-loop turns,
 * and helpers for tests on real sockets (certificates, a free loopback port, a
 * counter of a socket's handle writes, a mixed-reads run whose results are all kept), and
 * `runReadmeExample`, which runs a README's ```ts blocks as programs.
 */

export {
  makeTestCertificates,
  opensslAvailable,
  type TestCertificateOptions,
  type TestCertificates,
} from './certificates.js';
export { type Chunking, type ChunkSizer, chunkSizer } from './chunking.js';
export {
  createTransportPair,
  type Delivery,
  type FakeEndOptions,
  FakeTransport,
  FakeTransportError,
  type Fault,
  type PairOptions,
} from './fake-transport.js';
export { countHandleWrites } from './handle-writes.js';
export {
  activeResources,
  heapUsedAfterGc,
  type LeakCheckOptions,
  newResources,
  type ResourceCounts,
  type WaitForNoNewResourcesOptions,
  waitForNoNewResources,
} from './leaks.js';
export { type MixedRead, type MixedReadsRun, runMixedReads } from './mixed-reads.js';
export { freeLoopbackPort } from './ports.js';
export { seededRandom } from './random.js';
export {
  type ReadmeExample,
  type ReadmeExampleRun,
  type ReadmeExampleRunOptions,
  readmeExamples,
  runReadmeExample,
} from './readme-examples.js';
export { createStreamPair, type StreamPair } from './stream-pair.js';
export { closedAfter, nextTurn, rejectionOf, waitFor, waitForTurns } from './waiting.js';
