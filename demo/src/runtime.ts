/**
 * Which runtime the demo runs on (Node, Bun or Deno: .ci/run runs it on all three), and
 * the steps that cannot work on one of them because of a bug of that runtime, with why.
 */

const versions = process.versions as NodeJS.ProcessVersions & { bun?: string; deno?: string };

/** `Bun 1.4.5`, `Deno 2.9.6` or `Node v24.11.0`: Bun and Deno report a Node version of their own in `process.version`. */
export const runtimeName =
  versions.bun !== undefined
    ? `Bun ${versions.bun}`
    : versions.deno !== undefined
      ? `Deno ${versions.deno}`
      : `Node ${process.version}`;

/**
 * Why `step` is skipped on this runtime, or `null` to run it. Only for a runtime's own
 * bug, shown with plain `node:net`/`node:tls` code; re-check when scripts/runtimes.sh
 * moves to a newer version.
 */
export function skipReason(step: string): string | null {
  if (step === 'starttls' && versions.deno !== undefined) {
    // Deno 2.9.6: net.connect({ onread }) then tls.connect({ socket }) never finishes the
    // handshake (neither side sees the other's bytes), while the same code without `onread`
    // works; Node upgrades such a socket fine. @iostream/tcp reads through `onread` on both
    // sides, and clearing the socket's onread slots first does not help (the handle keeps
    // reading into the user buffer).
    return `Deno ${versions.deno} cannot upgrade a socket read through net's \`onread\` option to TLS (tls.connect({ socket }) never finishes the handshake): a Deno bug`;
  }
  return null;
}
