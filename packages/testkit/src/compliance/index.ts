/**
 * @packageDocumentation
 * The transport compliance suite: every `FdTransport` runs it to prove it
 * moves bytes the way `IOStream` expects, over Tornado's read/write test mixin
 * plus half-close, abort and backpressure. It registers vitest tests, so call it
 * at the top level of a test file:
 *
 * ```ts
 * import { transportCompliance } from '@iostream/testkit/compliance';
 * transportCompliance('my transport', {
 *   async setup(options) {
 *     const [ta, tb] = await connectedPair();
 *     return { a: new IOStream(ta, options), b: new IOStream(tb, options) };
 *   },
 * });
 * ```
 *
 * The tests assume nothing about chunk sizes or timing: they wait for
 * conditions, never for fixed delays. Each has its own timeout, and after each
 * one both streams are closed and `teardown` is called. One assumption: a
 * transport hands core chunks well under 240 KiB (the slow-reader test bounds
 * the reader's buffer by `maxBufferSize` = 256 KiB).
 */
import { describe } from 'vitest';
import { abortTests } from './abort.js';
import { closeTests } from './close.js';
import { flowControlTests } from './flow-control.js';
import { halfCloseTests } from './half-close.js';
import { type ComplianceHarness, useHarness } from './harness.js';
import { limitTests } from './limits.js';
import { mixedReadTests } from './mixed-reads.js';
import { readTests } from './reads.js';
import { writeTests } from './writes.js';

export type { ComplianceHarness, CompliancePair } from './harness.js';

/** Registers vitest `describe`/`it` blocks that every transport must pass. */
export function transportCompliance(name: string, harness: ComplianceHarness): void {
  describe(`${name}: transport compliance`, () => {
    const suite = useHarness(harness);
    readTests(suite);
    mixedReadTests(suite);
    writeTests(suite);
    closeTests(suite);
    limitTests(suite);
    flowControlTests(suite);
    halfCloseTests(suite);
    abortTests(suite);
  });
}
