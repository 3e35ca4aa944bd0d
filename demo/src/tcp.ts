/** Step: the line protocol over real TCP on 127.0.0.1, and maxBytes against a peer that never sends a newline. */
import { StreamClosedError } from '@iostream/core';
import { connect, listen } from '@iostream/tcp';
import { runLines, serveLines } from './line-protocol.js';
import { heading, ms, note, shown } from './report.js';

export async function tcpStep(): Promise<void> {
  const started = performance.now();
  // Handler failures go to onError (the default prints a process warning): here, the
  // UnsatisfiableReadError of the connection that exceeds maxBytes below.
  let serverSaw = 'nothing';
  const onError = (error: Error) => {
    serverSaw = `${error.name} (${(error as { code?: string }).code})`;
  };
  const server = await listen({ host: '127.0.0.1', port: 0, onError }, serveLines);
  const { port } = server.address();
  heading(`TCP line protocol: @iostream/tcp listen + connect on 127.0.0.1:${port}`);
  try {
    const client = await connect({ host: '127.0.0.1', port, timeout: 5000 });
    note(`connected in ${ms(started)}`);
    await runLines(client, [
      ['ECHO hello over tcp', 'hello over tcp'],
      ['UPPER tornado semantics', 'TORNADO SEMANTICS'],
      ['ADD 20 22', '42'],
      ['QUIT', 'BYE'],
    ]);
    // The server ended its side after BYE: the client sees a clean EOF.
    const rest = await client.readUntilClose();
    note(`server closed the connection cleanly (readUntilClose → ${rest.length} bytes, error ${client.error})`);
    client.close();

    // A peer that sends 4 KiB without a newline: the server's readUntil has maxBytes
    // 1024, so it fails with UnsatisfiableReadError and closes the connection.
    const flooder = await connect({ host: '127.0.0.1', port });
    const junk = Buffer.alloc(4096, 'x');
    const floodStarted = performance.now();
    await flooder.write(junk);
    shown('client', 'server', junk);
    try {
      await flooder.readBytes(1);
      throw new Error('the server should have closed a connection whose line exceeded maxBytes');
    } catch (error) {
      if (!(error instanceof StreamClosedError)) throw error;
      note(`server hit maxBytes (1024) and closed the connection: client sees ${error.code}  (${ms(floodStarted)})`);
    }
    note(`the server's onError received ${serverSaw}`);
    flooder.close();
  } finally {
    await server.close({ closeStreams: true });
  }
  note(`step done in ${ms(started)}`);
}
