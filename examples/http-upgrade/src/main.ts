/** `pnpm --filter @iostream/example-http-upgrade start [port]`: serve until Ctrl-C. */
import { startUpgradeServer } from './upgrade-server.js';

const server = await startUpgradeServer({ port: Number(process.argv[2] ?? 8080) });
console.log(`listening on 127.0.0.1:${server.port}: send Connection: Upgrade and Upgrade: line (connectLines does)`);
process.once('SIGINT', () => void server.close());
