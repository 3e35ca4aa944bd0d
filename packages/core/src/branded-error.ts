/**
 * Error classes that `instanceof` recognises across duplicate installs of a package (two
 * copies in one `node_modules` tree have two distinct classes): each class checks a
 * `Symbol.for` brand rather than its prototype chain, and a subclass that declares
 * `static expectedCode` matches only errors with that `code`.
 */

/** The constructor {@link brandedError} returns: an `Error` subclass with a typed `code`. */
export interface BrandedErrorClass<Code extends string> {
  new (code: Code, message: string, options?: { cause?: unknown }): Error & { readonly code: Code };
  [Symbol.hasInstance](value: unknown): boolean;
}

/**
 * A base error class branded with `Symbol.for(brand)` (e.g. `'@iostream/tcp.TcpError'`).
 * Subclass it, and give each subclass `static readonly expectedCode`:
 *
 * ```ts
 * export class TcpError extends brandedError<TcpErrorCode>('@iostream/tcp.TcpError') {}
 * export class ConnectTimeoutError extends TcpError {
 *   static readonly expectedCode = 'ETIMEDOUT';
 * }
 * ```
 */
export function brandedError<Code extends string>(brand: string): BrandedErrorClass<Code> {
  const key = Symbol.for(brand);
  return class extends Error {
    readonly code: Code;

    constructor(code: Code, message: string, options?: { cause?: unknown }) {
      super(message, options);
      this.code = code;
      this.name = new.target.name;
      Object.defineProperty(this, key, { value: true });
    }

    /** Brand check: true for errors from any copy of the package, narrowed to the class by `code`. */
    static override [Symbol.hasInstance](value: unknown): boolean {
      if (typeof value !== 'object' || value === null || !(key in value)) return false;
      // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass being tested against.
      const own = (this as { readonly expectedCode?: string }).expectedCode;
      return own === undefined || (value as { code?: unknown }).code === own;
    }
  };
}
