/** `pnpm --filter @iostream/example-line-chat start [port]`: run the chat until Ctrl-C; join with `nc 127.0.0.1 <port>`. */
import { startChatServer } from './chat-server.js';

const port = Number(process.argv[2] ?? 7000);
const server = await startChatServer({ port });
console.log(`chat on 127.0.0.1:${server.port}; join with: nc 127.0.0.1 ${server.port}`);
process.once('SIGINT', () => {
  console.log(`closing; members were: ${server.names().join(', ') || 'none'}`);
  void server.close();
});
