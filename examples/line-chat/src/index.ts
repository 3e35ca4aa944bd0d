/**
 * @packageDocumentation
 * Example: a broadcast line chat on `@iostream/tcp` ({@link startChatServer}) and a
 * client for it ({@link ChatClient}).
 */
export { ChatClient } from './chat-client.js';
export { ChatServer, type ChatServerOptions, type LeaveReason, startChatServer } from './chat-server.js';
