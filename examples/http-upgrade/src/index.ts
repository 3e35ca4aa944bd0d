/**
 * @packageDocumentation
 * Example: an HTTP server whose `'upgrade'` handler switches a connection to a line
 * protocol with `@iostream/tcp`'s `fromSocket` ({@link startUpgradeServer}), and a
 * `node:http` client that does the same on its side ({@link connectLines}).
 */
export { connectLines, type LineClientOptions } from './line-client.js';
export { GREETING, serveLines } from './line-protocol.js';
export {
  startUpgradeServer,
  UpgradeServer,
  type UpgradeServerOptions,
  type UpgradeStats,
} from './upgrade-server.js';
