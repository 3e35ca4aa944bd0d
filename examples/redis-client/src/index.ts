/**
 * @packageDocumentation
 * Example: a RESP2 Redis client on `@iostream/tcp`. {@link RedisClient} pipelines
 * commands over one connection; {@link readReply} and {@link encodeCommand} are the
 * protocol, usable over any `IOStream`.
 */
export { RedisClient, type RedisClientOptions } from './client.js';
export {
  encodeCommand,
  ProtocolError,
  type ReadReplyOptions,
  type RedisArg,
  RedisError,
  type RedisReply,
  readReply,
} from './resp.js';
