// Delimiter strings are converted to bytes once while among the last few used, so a parser
// alternating a couple of them (a head's '\r\n\r\n', a chunk size's '\r\n') pays no
// conversion per read; any string still converts to its UTF-8 bytes, in any order.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { toDelimiter } from '../src/args.js';
import { open } from './helpers/scripted-transport.js';

describe('delimiter strings', () => {
  it('a parser alternating two delimiter strings converts each once', async () => {
    const { stream, t } = open();
    const units = Array.from({ length: 100 }, (_, i) => `HEAD ${i}\r\nX: y\r\n\r\n${i.toString(16)}\r\n`);
    t.push(units.join(''));
    await stream.readBytes(0);
    const from = vi.spyOn(Buffer, 'from');
    try {
      for (const unit of units) {
        const head = stream.tryReadUntil('\r\n\r\n') ?? (await stream.readUntil('\r\n\r\n'));
        const size = stream.tryReadUntil('\r\n') ?? (await stream.readUntil('\r\n'));
        expect(Buffer.concat([head, size]).toString('latin1')).toBe(unit);
      }
      const conversions = from.mock.calls.filter(([value]) => value === '\r\n\r\n' || value === '\r\n');
      expect(conversions.length).toBeLessThanOrEqual(2);
    } finally {
      from.mockRestore();
    }
  });

  it('any sequence of strings, more of them than are kept, each converts to its UTF-8 bytes', () => {
    const pool = ['\n', '\r\n', '\r\n\r\n', 'é', '--', 'END', '\u{1f600}', '\0'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pool), { minLength: 1, maxLength: 50 }), (sequence) => {
        for (const text of sequence) expect(toDelimiter(text)).toEqual(Buffer.from(text, 'utf8'));
      }),
      { numRuns: 200 },
    );
    expect(() => toDelimiter('')).toThrow(RangeError);
  });
});
