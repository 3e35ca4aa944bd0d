// The list a server tracks its connections in (instead of a Map, which kept every closed
// connection alive through young-generation collections): it must answer exactly as a Map
// would, whatever the order of adds, updates and deletes, with each socket's place moving
// as others are deleted.
import net from 'node:net';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { ConnectionList } from '../src/connection-list.js';

/** Sockets with no handle: they open nothing and need no clean-up. */
const sockets = Array.from({ length: 8 }, () => new net.Socket());

type Op = { kind: 'set'; socket: number; stream: string | undefined } | { kind: 'delete'; socket: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('set' as const),
    socket: fc.nat(sockets.length - 1),
    stream: fc.option(fc.string({ maxLength: 3 }), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant('delete' as const), socket: fc.nat(sockets.length - 1) }),
);

/** The list's entries as a Map, in no particular order (it moves the last entry into a deleted one's place). */
function asMap(list: ConnectionList<string>): Map<net.Socket, string | undefined> {
  const seen = new Map<net.Socket, string | undefined>();
  list.forEach((socket, stream) => {
    expect(seen.has(socket)).toBe(false);
    seen.set(socket, stream);
  });
  expect(new Map(list.entries())).toEqual(seen);
  return seen;
}

it('answers as a Map would after any sequence of sets and deletes', () => {
  fc.assert(
    fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
      const list = new ConnectionList<string>();
      const model = new Map<net.Socket, string | undefined>();
      for (const o of ops) {
        const socket = sockets[o.socket] as net.Socket;
        if (o.kind === 'set') {
          list.set(socket, o.stream);
          model.set(socket, o.stream);
        } else {
          expect(list.delete(socket)).toBe(model.delete(socket));
        }
        expect(list.size).toBe(model.size);
        for (const s of sockets) expect(list.has(s)).toBe(model.has(s));
        expect(asMap(list)).toEqual(model);
      }
    }),
    { numRuns: 300 },
  );
});

it('keeps a socket in two lists apart (each list has its own slot on the socket)', () => {
  const [a, b, c] = sockets as [net.Socket, net.Socket, net.Socket];
  const first = new ConnectionList<string>();
  const second = new ConnectionList<string>();
  first.set(a, 'a1');
  first.set(b, 'b1');
  second.set(b, 'b2');
  second.set(c, 'c2');
  // Deleting `a` moves `b` to index 0 of the first list; the second list's record of `b` is untouched.
  expect(first.delete(a)).toBe(true);
  expect(asMap(first)).toEqual(new Map([[b, 'b1']]));
  expect(asMap(second)).toEqual(
    new Map([
      [b, 'b2'],
      [c, 'c2'],
    ]),
  );
  expect(second.delete(b)).toBe(true);
  expect(first.has(b)).toBe(true);
  expect(second.has(b)).toBe(false);
  expect(asMap(second)).toEqual(new Map([[c, 'c2']]));
});

it('entries() is a copy: deleting while going through it skips nobody', () => {
  const list = new ConnectionList<string>();
  for (const [i, s] of sockets.entries()) list.set(s, `s${i}`);
  const visited: (string | undefined)[] = [];
  for (const [socket, stream] of list.entries()) {
    visited.push(stream);
    list.delete(socket);
  }
  expect(visited.sort()).toEqual(sockets.map((_, i) => `s${i}`).sort());
  expect(list.size).toBe(0);
});

it('a deleted socket is not found again, even at an index a later socket now holds', () => {
  const [a, b] = sockets as [net.Socket, net.Socket];
  const list = new ConnectionList<string>();
  list.set(a, 'a');
  list.delete(a);
  // `b` now sits at index 0, where `a` was: `a` must not be taken for it.
  list.set(b, 'b');
  expect(list.has(a)).toBe(false);
  expect(list.delete(a)).toBe(false);
  expect(asMap(list)).toEqual(new Map([[b, 'b']]));
});
