// Several members: each line reaches every other member, in order, and not its sender.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ChatClient, type ChatServer, startChatServer } from '../src/index.js';

let server: ChatServer;
beforeEach(async () => {
  server = await startChatServer();
});
afterEach(async () => {
  await server.close();
});

it('broadcasts each line to every other member, and /who lists them', async () => {
  const alice = await ChatClient.join(server.port, 'alice');
  expect(alice.greeting).toBe('* hello alice, 0 others here: /who, /quit');
  const bob = await ChatClient.join(server.port, 'bob');
  expect(await alice.next()).toBe('* bob joined');
  const carol = await ChatClient.join(server.port, 'carol');
  expect(await alice.next()).toBe('* carol joined');
  expect(await bob.next()).toBe('* carol joined');

  await alice.say('hi all');
  await alice.say('second line');
  for (const other of [bob, carol]) {
    expect(await other.next()).toBe('<alice> hi all');
    expect(await other.next()).toBe('<alice> second line');
  }
  await bob.say('/who');
  expect(await bob.next()).toBe('* here: alice, bob, carol');

  await carol.quit();
  expect(await alice.next()).toBe('* carol left (quit)');
  expect(await bob.next()).toBe('* carol left (quit)');
  // alice never saw her own lines: the next thing she reads is what bob says now.
  await bob.say('bye carol');
  expect(await alice.next()).toBe('<bob> bye carol');
  await alice.quit();
  await bob.quit();
  expect(server.departures.map((d) => d.reason)).toEqual(['quit', 'quit', 'quit']);
});

it('refuses a taken name and closes that connection', async () => {
  const first = await ChatClient.join(server.port, 'dave');
  const second = await ChatClient.join(server.port, 'dave');
  expect(second.greeting).toBe('! that name is invalid or taken, bye');
  expect((await second.stream.readUntilClose()).length).toBe(0);
  second.stream.close();
  await first.quit();
});
