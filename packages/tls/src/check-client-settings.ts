/**
 * Checks of the client-side TLS settings that Node validates only inside `tls.connect`
 * (and that `tls.createSecureContext` does not see), so that `createConnection` and
 * `startTls` can refuse them before anything happens: `startTls` must throw while the
 * plain stream is still whole, not after taking it apart. Some Node does not check at
 * all: a `checkServerIdentity` we wrap (its call would throw inside the handshake), and
 * an empty ALPN protocol name (Node 20 aborts the process on it).
 */

/** Node's largest ALPN protocol name, in bytes (the length is one byte on the wire). */
const MAX_ALPN_NAME = 255;

/**
 * Throw `TypeError`/`RangeError` for a client TLS setting `tls.connect` would refuse (or
 * mishandle): `checkServerIdentity`, `minDHSize`, `ALPNProtocols`, `highWaterMark`,
 * `session`, `pskCallback`, `enableTrace`. Settings that go into the secure context
 * (`ca`, `cert`, `key`, `ciphers`, `minVersion`, …) are checked by building it.
 */
export function checkClientSettings(options: object): void {
  const { checkServerIdentity, minDHSize, ALPNProtocols, highWaterMark, session, pskCallback, enableTrace } =
    options as Record<string, unknown>;
  if (checkServerIdentity !== undefined && typeof checkServerIdentity !== 'function')
    throw new TypeError(`checkServerIdentity must be a function, got ${typeof checkServerIdentity}`);
  if (minDHSize !== undefined) {
    if (typeof minDHSize !== 'number') throw new TypeError(`minDHSize must be a number, got ${typeof minDHSize}`);
    if (!(minDHSize > 0)) throw new RangeError(`minDHSize must be a positive number, got ${minDHSize}`);
  }
  if (ALPNProtocols !== undefined && ALPNProtocols !== null) checkAlpn(ALPNProtocols);
  if (
    highWaterMark !== undefined &&
    highWaterMark !== null &&
    !(typeof highWaterMark === 'number' && Number.isInteger(highWaterMark) && highWaterMark >= 0)
  )
    throw new RangeError(`highWaterMark must be an integer >= 0, got ${String(highWaterMark)}`);
  if (session !== undefined && session !== null && !ArrayBuffer.isView(session))
    throw new TypeError(`session must be a Buffer (from getSession()), got ${typeof session}`);
  if (pskCallback !== undefined && typeof pskCallback !== 'function')
    throw new TypeError(`pskCallback must be a function, got ${typeof pskCallback}`);
  if (enableTrace !== undefined && typeof enableTrace !== 'boolean')
    throw new TypeError(`enableTrace must be a boolean, got ${typeof enableTrace}`);
}

/** ALPN protocols: an array of names (strings or bytes, 1–255 bytes each), or the wire format as bytes. */
function checkAlpn(protocols: unknown): void {
  if (ArrayBuffer.isView(protocols)) return;
  if (!Array.isArray(protocols))
    throw new TypeError(`ALPNProtocols must be an array of strings or Buffers, got ${typeof protocols}`);
  protocols.forEach((name: unknown, i) => {
    let length: number;
    if (typeof name === 'string') length = Buffer.byteLength(name);
    else if (ArrayBuffer.isView(name)) length = name.byteLength;
    else throw new TypeError(`ALPNProtocols[${i}] must be a string or a Buffer, got ${typeof name}`);
    if (length < 1 || length > MAX_ALPN_NAME)
      throw new RangeError(`ALPNProtocols[${i}] must be 1 to ${MAX_ALPN_NAME} bytes long, got ${length}`);
  });
}
