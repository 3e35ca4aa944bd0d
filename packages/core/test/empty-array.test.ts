import { describe, expect, it } from 'vitest';
import { emptyArray } from '../src/empty-array.js';

describe('emptyArray', () => {
  it('empties short and long arrays alike, keeping the same array object', () => {
    for (const size of [0, 1, 5, 32, 33, 1000]) {
      const array = Array.from({ length: size }, (_, i) => i);
      emptyArray(array);
      expect(array).toEqual([]);
      array.push(7);
      expect(array).toEqual([7]);
    }
  });

  it('leaves no element behind a sparse prefix (consumed slots set to undefined)', () => {
    const array: (number | undefined)[] = [undefined, undefined, 3];
    emptyArray(array);
    expect(array.length).toBe(0);
    expect(0 in array).toBe(false);
  });
});
