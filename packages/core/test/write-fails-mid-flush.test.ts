// A transport that fails part-way through one flush: the writes whose bytes it had
// already accepted resolve (they were handed over, DESIGN 8), and only the writes it
// never took whole reject with StreamClosedError. Found by the seeded fault scenarios
// in @iostream/testkit (e.g. seed 25270: EPIPE on the chunk after a fully sent write).
import { expect, it } from 'vitest';
import { type FdTransport, IOStream, StreamClosedError, type TransportEvents } from '../src/index.js';

it('writes fully handed over before the transport threw still resolve', async () => {
  let events: TransportEvents | null = null;
  let capacity = 0;
  const accepted: string[] = [];
  const transport: FdTransport = {
    fileno: () => -1,
    readFromFd: () => null,
    writeToFd(data) {
      if (capacity === 0) return 0;
      if (accepted.length === 1) throw Object.assign(new Error('EPIPE: broken pipe'), { code: 'EPIPE' });
      accepted.push(Buffer.from(data).toString());
      return data.length;
    },
    closeFd: () => {},
    getFdError: () => null,
    watch: (e) => {
      events = e;
    },
    setReadInterest: () => {},
  };
  const stream = new IOStream(transport);
  const outcomes: string[] = [];
  const first = stream.write('first').then(
    () => outcomes.push('first resolved'),
    () => outcomes.push('first rejected'),
  );
  const second = stream.write('second').then(
    () => outcomes.push('second resolved'),
    (e: unknown) => outcomes.push(e instanceof StreamClosedError ? 'second closed' : 'second other'),
  );
  capacity = Number.POSITIVE_INFINITY;
  events!.writable();
  await Promise.all([first, second]);
  expect(accepted).toEqual(['first']);
  expect(outcomes).toEqual(['first resolved', 'second closed']);
  expect(stream.closed()).toBe(true);
  expect(stream.error).toMatchObject({ code: 'EPIPE' });
});
