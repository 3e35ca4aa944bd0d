/**
 * W9's messages: a keep-alive request, and the response to it, a 200-byte head and a
 * 1 KiB body, built once per process. The head is padded to exactly 200 bytes so every
 * contender writes the same bytes.
 */

/** The request the client sends, the next one only after the whole response arrived. */
export const REQUEST = Buffer.from('GET /item HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n', 'latin1');
/** Where a request ends. */
export const REQUEST_END = '\r\n\r\n';
export const HEAD_SIZE = 200;
export const BODY_SIZE = 1024;
export const RESPONSE_SIZE = HEAD_SIZE + BODY_SIZE;

function buildHead(): Buffer {
  const start = `HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: ${BODY_SIZE}\r\nX-Pad: `;
  const end = '\r\n\r\n';
  const head = start + 'p'.repeat(HEAD_SIZE - start.length - end.length) + end;
  return Buffer.from(head, 'latin1');
}

export const HEAD = buildHead();
/** The body: printable bytes ending in `$`, which the client checks at the end of each response. */
export const BODY = Buffer.from(`${'b'.repeat(BODY_SIZE - 1)}$`, 'latin1');
