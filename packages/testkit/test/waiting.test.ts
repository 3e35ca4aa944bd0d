import { describe, expect, it } from 'vitest';
import { closedAfter, createStreamPair, nextTurn, rejectionOf, waitFor, waitForTurns } from '../src/index.js';

describe('waiting helpers', () => {
  it('waitForTurns resolves once the condition holds, counting turns', async () => {
    let turns = 0;
    await waitForTurns(() => ++turns >= 5, 'five checks');
    expect(turns).toBe(5);
  });

  it('waitForTurns gives up after its bound, naming what never happened', async () => {
    await expect(waitForTurns(() => false, 'pigs fly', 3)).rejects.toThrow(/pigs fly/);
  });

  it('waitFor resolves on a condition that needs wall time (a timer), not just turns', async () => {
    let fired = false;
    setTimeout(() => {
      fired = true;
    }, 30);
    await waitFor(() => fired, 'the timer fired', 2000);
    expect(fired).toBe(true);
  });

  it('waitFor gives up after limitMs, naming what never happened', async () => {
    const t0 = Date.now();
    await expect(waitFor(() => false, 'pigs fly', 50)).rejects.toThrow(/gave up waiting until pigs fly/);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(50);
  });

  it('nextTurn lets immediates queued before it run first', async () => {
    let ran = false;
    setImmediate(() => {
      ran = true;
    });
    await nextTurn();
    expect(ran).toBe(true);
  });

  it('rejectionOf returns the rejection, and throws if the promise resolves', async () => {
    const error = new Error('no');
    expect(await rejectionOf(Promise.reject(error))).toBe(error);
    await expect(rejectionOf(Promise.resolve(1))).rejects.toThrow(/resolved/);
  });

  it('closedAfter resolves with what the stream closed with, null for a clean close', async () => {
    const { a, b } = createStreamPair();
    const failure = new Error('gone');
    expect(await closedAfter(a, () => a.close(failure))).toBe(failure);
    // b sees a's close as EOF and closes cleanly.
    expect(await closedAfter(b, () => {})).toBeNull();
  });

  it('closedAfter gives up after limitMs when the stream never closes', async () => {
    const { a, b } = createStreamPair();
    await expect(closedAfter(a, () => {}, 30)).rejects.toThrow(/did not close in 30 ms/);
    a.close();
    b.close();
  });

  it('closedAfter rejects with what act threw and leaves no timer behind', async () => {
    const { a, b } = createStreamPair();
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    await expect(
      closedAfter(a, () => {
        throw new Error('act failed');
      }),
    ).rejects.toThrow('act failed');
    expect(timers()).toBe(before);
    a.close();
    b.close();
  });
});
