import { describe, expect, it } from 'vitest';
import { createStreamPair } from '../src/index.js';

describe('smoke', () => {
  it('reads lines', async () => {
    const { a, b } = createStreamPair({ chunking: 1 });
    void a.write('hello\nworld\n');
    expect((await b.readUntil('\n')).toString()).toBe('hello\n');
    expect((await b.readBytes(3)).toString()).toBe('wor');
    a.close();
    expect((await b.readUntilClose()).toString()).toBe('ld\n');
    expect(b.closed()).toBe(true);
  });
});
