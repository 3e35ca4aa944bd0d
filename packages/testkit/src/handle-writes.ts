/**
 * Counting what a Node socket hands its libuv handle, by method: a test's way to see
 * that a vectored write went down as one `writev` (no strace in tests). Relies on the
 * socket's internal `_handle`, as Node has it (Bun and Deno have other internals).
 */

type Handle = Record<string, (...args: unknown[]) => unknown>;

const WRITE_METHODS = ['writev', 'writeBuffer', 'writeLatin1String', 'writeUtf8String', 'writeAsciiString'];

/**
 * Wraps the write methods of `socket`'s handle (`writev`, `writeBuffer`, `write*String`)
 * to count their calls; the returned map fills in as they are made, a method never
 * called has no entry. Throws if the socket has no handle (not connected, or destroyed).
 */
export function countHandleWrites(socket: object | null): Map<string, number> {
  const handle = (socket as { _handle?: Handle } | null)?._handle;
  if (handle == null) throw new Error('countHandleWrites: the socket has no handle');
  const counts = new Map<string, number>();
  for (const name of WRITE_METHODS) {
    const original = handle[name];
    if (typeof original !== 'function') continue;
    handle[name] = function (this: unknown, ...args: unknown[]) {
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return original.apply(this, args);
    };
  }
  return counts;
}
