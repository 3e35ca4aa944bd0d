// maxBytes on lines: a member who sends a line longer than maxLineBytes (or never ends
// one) is dropped; nobody else is affected, and the server keeps serving.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ChatClient, type ChatServer, startChatServer } from '../src/index.js';

let server: ChatServer;
beforeEach(async () => {
  server = await startChatServer({ maxLineBytes: 256 });
});
afterEach(async () => {
  await server.close();
});

it('drops a member whose line exceeds maxLineBytes, and tells the others', async () => {
  const alice = await ChatClient.join(server.port, 'alice');
  const mallory = await ChatClient.join(server.port, 'mallory');
  expect(await alice.next()).toBe('* mallory joined');

  await mallory.say('x'.repeat(255)); // 255 + "\n" = 256 bytes: just fits
  expect(await alice.next()).toBe(`<mallory> ${'x'.repeat(255)}`);

  // 100 KiB with no newline at all: the server's read fails at 256 bytes, long before.
  mallory.stream.write(Buffer.alloc(100 * 1024, 'y')).catch(() => {});
  expect(await alice.next()).toBe('* mallory left (line too long)');
  expect((await mallory.stream.readUntilClose()).length).toBe(0);
  mallory.stream.close();

  await alice.say('still here');
  const bob = await ChatClient.join(server.port, 'bob');
  await alice.say('hello bob');
  expect(await bob.next()).toBe('<alice> hello bob');
  expect(server.departures).toEqual([{ name: 'mallory', reason: 'line too long' }]);
  await alice.quit();
  await bob.quit();
});

it('a name longer than maxNameBytes is refused the same way', async () => {
  const alice = await ChatClient.join(server.port, 'alice');
  await expect(ChatClient.join(server.port, 'n'.repeat(100))).rejects.toMatchObject({ code: 'ERR_STREAM_CLOSED' });
  expect(server.names()).toEqual(['alice']);
  await alice.quit();
});
