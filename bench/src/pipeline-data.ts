/**
 * W10's messages: a 16-byte request line and the 64-byte reply line to it, built once per
 * process. The client sends requests in batches of {@link BATCH} without waiting between
 * them (pipelining) and sends the next batch once every reply of this one arrived.
 */

/** Requests sent together before waiting for their replies. */
export const BATCH = 32;
/** One request: 15 bytes and `\n`. */
export const REQUEST = Buffer.from('GET key:0000001\n', 'latin1');
export const REPLY_SIZE = 64;
/** One reply: printable bytes, then `\n`. */
export const REPLY = Buffer.from(`${'v'.repeat(REPLY_SIZE - 1)}\n`, 'latin1');
