// Clients that vanish: reset mid-line, closed before choosing a name, or simply gone.
// The others are told, the server's connection count returns to what it was, and
// nothing is reported as a server failure.
import { connect } from '@iostream/tcp';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ChatClient, type ChatServer, startChatServer } from '../src/index.js';

let server: ChatServer;
beforeEach(async () => {
  server = await startChatServer();
});
afterEach(async () => {
  await server.close();
});

async function settle(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}

it('a member whose connection drops mid-line is removed and announced', async () => {
  const warnings: Error[] = [];
  const onWarning = (w: Error) => warnings.push(w);
  process.on('warning', onWarning);
  try {
    const alice = await ChatClient.join(server.port, 'alice');
    const ghost = await ChatClient.join(server.port, 'ghost');
    expect(await alice.next()).toBe('* ghost joined');
    await ghost.stream.write('half a li'); // no newline
    ghost.stream.close(); // abortive: the socket is destroyed
    expect(await alice.next()).toBe('* ghost left (gone)');
    expect(server.names()).toEqual(['alice']);
    await settle(() => server.connections === 1);
    await alice.quit();
    await settle(() => server.connections === 0);
  } finally {
    process.off('warning', onWarning);
  }
  expect(warnings).toEqual([]);
});

it('clients that leave before choosing a name leave nothing behind', async () => {
  const alice = await ChatClient.join(server.port, 'alice');
  for (let i = 0; i < 10; i++) {
    const s = await connect({ host: '127.0.0.1', port: server.port });
    if (i % 2 === 0) await s.readUntil('\n'); // read the question, then vanish
    s.close();
  }
  await settle(() => server.connections === 1);
  expect(server.names()).toEqual(['alice']);
  expect(server.departures).toEqual([]);
  await alice.quit();
});

it('half the room vanishing at once does not disturb the other half', async () => {
  const clients: ChatClient[] = [];
  for (let i = 0; i < 10; i++) clients.push(await ChatClient.join(server.port, `c${i}`));
  const stay = clients.slice(0, 5);
  const go = clients.slice(5);
  await Promise.all(stay.map((c) => c.until((line) => line === '* c9 joined')));
  for (const c of go) c.stream.close();
  await settle(() => server.names().length === 5);
  await stay[0]?.say('who is left?');
  for (const c of stay.slice(1)) expect(await c.until((line) => line.startsWith('<'))).toBe('<c0> who is left?');
  expect(server.departures.map((d) => d.reason)).toEqual(['gone', 'gone', 'gone', 'gone', 'gone']);
  for (const c of stay) c.stream.close();
});

it('a member that stops reading is dropped once its backlog passes maxBacklogBytes', async () => {
  await server.close();
  server = await startChatServer({ maxBacklogBytes: 64 * 1024, maxLineBytes: 8192 });
  const talker = await ChatClient.join(server.port, 'talker');
  const sleeper = await ChatClient.join(server.port, 'sleeper'); // never reads again
  await talker.next(); // "* sleeper joined"
  const line = 'z'.repeat(8000);
  // The kernel's socket buffers take several MiB first; 64 MiB is a bound, not a target.
  for (let sent = 0; sent < 64 * 1024 * 1024 && !server.departures.length; sent += line.length) {
    await talker.say(line);
    if (talker.stream.readableLength > 0 || sent % (1024 * 1024) < line.length) await new Promise(setImmediate);
  }
  await settle(() => server.departures.length === 1);
  expect(server.departures).toEqual([{ name: 'sleeper', reason: 'too slow' }]);
  expect(await talker.until((l) => l.startsWith('*'))).toBe('* sleeper left (too slow)');
  sleeper.stream.close();
  talker.stream.close();
});
