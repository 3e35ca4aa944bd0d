import { EventEmitter } from 'node:events';
import type net from 'node:net';
import { AbortError } from '@iostream/core';
import { describe, expect, it } from 'vitest';
import { ConnectTimeoutError, ConnectWatch, SocketClosedError } from '../src/index.js';

/** Just what ConnectWatch uses of a socket: events, `connecting`, and `destroy()`. */
function fakeSocket(connecting = true) {
  const socket = Object.assign(new EventEmitter(), { connecting, destroyed: false });
  const destroy = () => {
    socket.destroyed = true;
  };
  return Object.assign(socket, { destroy }) as unknown as net.Socket & { destroyed: boolean };
}

function outcome(watch: ConnectWatch): Promise<[boolean, Error | null]> {
  return new Promise((resolve) => watch.subscribe((ok, error) => resolve([ok, error])));
}

describe('ConnectWatch', () => {
  it('is done at the ready event, and then removes its listeners', async () => {
    const socket = fakeSocket();
    const watch = new ConnectWatch(socket, { readyEvent: 'secureConnect', connectTimeout: 1000 });
    const settled = outcome(watch);
    socket.emit('connect');
    expect(watch.state).toBe('pending');
    socket.emit('secureConnect');
    expect(await settled).toEqual([true, null]);
    expect(socket.listenerCount('error') + socket.listenerCount('close') + socket.listenerCount('connect')).toBe(0);
    expect(socket.destroyed).toBe(false);
  });

  it('fails on close with closeReason (default SocketClosedError) and destroys the socket', async () => {
    const plain = fakeSocket();
    const first = outcome(new ConnectWatch(plain, { readyEvent: 'connect' }));
    plain.emit('close');
    const [ok, error] = await first;
    expect(ok).toBe(false);
    expect(error).toBeInstanceOf(SocketClosedError);
    expect(plain.destroyed).toBe(true);
    const owned = fakeSocket();
    const second = outcome(new ConnectWatch(owned, { readyEvent: 'connect', closeReason: () => null }));
    owned.emit('close');
    expect(await second).toEqual([false, null]);
  });

  it('times the connection, then the phase after it (afterConnect)', async () => {
    const slow = fakeSocket();
    const [, connectError] = await outcome(new ConnectWatch(slow, { readyEvent: 'connect', connectTimeout: 5 }));
    expect(connectError).toBeInstanceOf(ConnectTimeoutError);
    const socket = fakeSocket();
    const phase = new Error('phase two took too long');
    const watch = new ConnectWatch(socket, {
      readyEvent: 'secureConnect',
      connectTimeout: 10_000,
      afterConnect: { timeout: 5, error: () => phase },
    });
    socket.emit('connect');
    expect(await outcome(watch)).toEqual([false, phase]);
  });

  it('an aborted signal fails it with AbortError, on a later microtask if already aborted', async () => {
    const watch = new ConnectWatch(fakeSocket(), { readyEvent: 'connect', signal: AbortSignal.abort('why') });
    expect(watch.state).toBe('pending');
    const [ok, error] = await outcome(watch);
    expect(ok).toBe(false);
    expect(error).toBeInstanceOf(AbortError);
    const controller = new AbortController();
    const later = new ConnectWatch(fakeSocket(), { readyEvent: 'connect', signal: controller.signal });
    controller.abort();
    expect(later.state).toBe('failed');
  });

  it('with no socket it is done at once; fail() then changes nothing', () => {
    const watch = new ConnectWatch(null, { readyEvent: 'connect' });
    watch.fail(new Error('late'));
    expect([watch.state, watch.error]).toEqual(['done', null]);
  });
});
