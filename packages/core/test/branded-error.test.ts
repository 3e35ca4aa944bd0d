import { describe, expect, it } from 'vitest';
import { brandedError } from '../src/index.js';

type Code = 'E_ONE' | 'E_TWO';

// Two "copies" of one package: distinct classes, the same brand.
class CopyA extends brandedError<Code>('test.BrandedError') {}
class CopyB extends brandedError<Code>('test.BrandedError') {}
class OneA extends CopyA {
  static readonly expectedCode = 'E_ONE';
  constructor() {
    super('E_ONE', 'one', { cause: 'why' });
  }
}
class OneB extends CopyB {
  static readonly expectedCode = 'E_ONE';
}
class Other extends brandedError<Code>('test.OtherError') {}

describe('brandedError', () => {
  it('makes Errors with a code, the subclass name and the cause', () => {
    const e = new OneA();
    expect(e).toBeInstanceOf(Error);
    expect([e.code, e.name, e.message, e.cause]).toEqual(['E_ONE', 'OneA', 'one', 'why']);
  });

  it('instanceof goes by brand and code, not by prototype chain', () => {
    const e = new OneA();
    expect(e instanceof CopyB).toBe(true);
    expect(e instanceof OneB).toBe(true);
    expect(new CopyA('E_TWO', 'two') instanceof OneB).toBe(false);
    expect(e instanceof Other).toBe(false);
    expect(new Error('plain') instanceof CopyA).toBe(false);
    expect(CopyA[Symbol.hasInstance](null)).toBe(false);
  });
});
