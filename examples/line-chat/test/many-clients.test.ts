// Many concurrent streams on one server: 40 members each say 5 lines at once, and
// every member receives the 195 lines of the others, each sender's lines in order.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ChatClient, type ChatServer, startChatServer } from '../src/index.js';

const MEMBERS = 40;
const LINES = 5;

let server: ChatServer;
beforeAll(async () => {
  server = await startChatServer();
});
afterAll(async () => {
  await server.close();
});

it(`${MEMBERS} members talking at once each get every other member's lines, in order`, async () => {
  const clients: ChatClient[] = [];
  for (let i = 0; i < MEMBERS; i++) clients.push(await ChatClient.join(server.port, `m${i}`));
  // Each member first reads the join notices of those who came after it.
  await Promise.all(clients.slice(0, -1).map((c) => c.until((line) => line === `* m${MEMBERS - 1} joined`)));
  expect(server.names()).toHaveLength(MEMBERS);

  await Promise.all(
    clients.map(async (c, i) => {
      for (let n = 0; n < LINES; n++) await c.say(`line ${n} from m${i}`);
    }),
  );
  await Promise.all(
    clients.map(async (c, i) => {
      const seen = new Map<string, number>();
      for (let k = 0; k < (MEMBERS - 1) * LINES; k++) {
        const match = /^<(m\d+)> line (\d+) from \1$/.exec(await c.next());
        expect(match).not.toBeNull();
        const [, from, n] = match as RegExpExecArray;
        expect(from).not.toBe(`m${i}`);
        expect(Number(n)).toBe(seen.get(from as string) ?? 0); // each sender's lines in order
        seen.set(from as string, Number(n) + 1);
      }
      expect(seen.size).toBe(MEMBERS - 1);
    }),
  );
  for (const c of clients) c.stream.close();
});
