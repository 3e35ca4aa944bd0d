import tls from 'node:tls';
import { IOStream, type IOStreamOptions, StreamClosedError } from '@iostream/core';
import type { SocketTransport } from '@iostream/tcp';
import { AlreadyWaitingError } from './errors.js';
import { Handshake } from './handshake.js';

/**
 * An `IOStream` over a TLS socket: every read, write and close behaves as on any
 * `IOStream`, plus the handshake and what it negotiated. Made by `connect`,
 * `createConnection`, `listen` and `startTls`; you rarely construct one yourself.
 *
 * Streams from `connect`, `listen` and `startTls` are handed over with the handshake
 * done; only `createConnection` hands one over while the handshake is under way
 * (writes then queue until it is done, and `waitForHandshake()` tells when).
 */
export class TlsStream extends IOStream {
  /** The TLS socket under this stream, for anything not exposed here (`exportKeyingMaterial`, `getSession`, …). */
  readonly socket: tls.TLSSocket;
  private readonly handshake: Handshake;
  private waiting = false;

  /**
   * Wrap `transport` (over a `tls.TLSSocket`). `handshake` tracks a handshake still
   * under way (its failure closes the stream); omitted, the handshake is done.
   * Throws `TypeError` if the transport's socket is not a `tls.TLSSocket`.
   */
  constructor(transport: SocketTransport, options?: IOStreamOptions, handshake: Handshake = Handshake.done()) {
    if (!(transport.socket instanceof tls.TLSSocket))
      throw new TypeError('TlsStream needs a transport over a TLSSocket');
    super(transport, options);
    this.socket = transport.socket;
    this.handshake = handshake;
    handshake.subscribe((ok, error) => {
      if (!ok) this.close(error);
    });
  }

  /**
   * Resolves with this stream once the handshake is done: at once if it already is
   * (always, for streams from `connect`, `listen` and `startTls`). Rejects with
   * `StreamClosedError` (`realError`: why) if the handshake fails or the stream
   * closes first, and with {@link AlreadyWaitingError} if an earlier call is still
   * waiting (Tornado's rule: one waiter).
   */
  waitForHandshake(): Promise<this> {
    const handshake = this.handshake;
    if (handshake.state === 'done') return Promise.resolve(this);
    if (handshake.state === 'failed') return Promise.reject(new StreamClosedError(handshake.error));
    if (this.waiting) return Promise.reject(new AlreadyWaitingError());
    this.waiting = true;
    return new Promise<this>((resolve, reject) =>
      handshake.subscribe((ok, error) => {
        this.waiting = false;
        if (ok) resolve(this);
        else reject(new StreamClosedError(error));
      }),
    );
  }

  /** True once the handshake is done (and stays true after close). */
  get handshakeDone(): boolean {
    return this.handshake.state === 'done';
  }

  /** The negotiated protocol version (`'TLSv1.3'`, `'TLSv1.2'`, …); `null` before the handshake and after close. */
  getProtocol(): string | null {
    return this.handshakeDone ? this.socket.getProtocol() : null;
  }

  /** The negotiated cipher suite (`{ name, standardName, version }`); `null` before the handshake and after close. */
  getCipher(): tls.CipherNameAndProtocol | null {
    return this.handshakeDone ? (this.socket.getCipher() ?? null) : null;
  }

  /** The protocol ALPN selected; `false` if none was; `null` before the handshake. */
  get alpnProtocol(): string | false | null {
    if (!this.handshakeDone) return null;
    const selected = this.socket.alpnProtocol as string | false | null | undefined;
    return typeof selected === 'string' ? selected : false;
  }

  /** The SNI server name: the one the client asked for (on the server side) or sent; `null` if none. */
  get servername(): string | null {
    const name = this.socket.servername as string | false | null | undefined;
    return typeof name === 'string' && name !== '' ? name : null;
  }

  /**
   * The peer's certificate (with `detailed`, its issuer chain too); `null` if the peer
   * sent none, before the handshake, and after close.
   */
  getPeerCertificate(detailed = false): tls.PeerCertificate | tls.DetailedPeerCertificate | null {
    if (!this.handshakeDone) return null;
    const cert = this.socket.getPeerCertificate(detailed) as tls.PeerCertificate | null;
    return cert !== null && Object.keys(cert).length > 0 ? cert : null;
  }

  /**
   * Whether the peer's certificate was verified: on the client side, the server's
   * chain and host name; on the server side, the client's certificate when
   * `requestCert` was set (otherwise `false`).
   */
  get authorized(): boolean {
    return this.socket.authorized === true;
  }

  /**
   * Why the peer's certificate was not verified (OpenSSL's code, such as
   * `DEPTH_ZERO_SELF_SIGNED_CERT` or `ERR_TLS_CERT_ALTNAME_INVALID`), when
   * verification was turned off; `null` when it was verified or not checked.
   */
  get authorizationError(): string | null {
    const reason = this.socket.authorizationError as unknown;
    if (reason === undefined || reason === null) return null;
    if (reason instanceof Error) return String((reason as { code?: unknown }).code ?? reason.message);
    return String(reason);
  }

  /** As `IOStream.close`; closing during the handshake fails it (`realError` = `error`, or `null`). */
  override close(error?: Error | null): void {
    super.close(error);
    // Undefined only if the IOStream constructor itself closed the stream, before this class's fields existed.
    (this.handshake as Handshake | undefined)?.fail(this.error);
  }
}
