/** Step: the same line protocol over TLS, verified against the demo CA, and a client that refuses an unknown CA. */
import { StreamClosedError } from '@iostream/core';
import { connect, listen } from '@iostream/tls';
import type { DemoCerts } from './certs.js';
import { runLines, serveLines } from './line-protocol.js';
import { heading, ms, note } from './report.js';

/** The client below that distrusts the server makes the server's handshake fail; that is expected here. */
function ignoreRefusedHandshakes(): void {}

export async function tlsStep(certs: DemoCerts): Promise<void> {
  const started = performance.now();
  const server = await listen(
    { host: '127.0.0.1', port: 0, key: certs.key, cert: certs.cert, onError: ignoreRefusedHandshakes },
    serveLines,
  );
  const { port } = server.address();
  heading(`TLS line protocol: @iostream/tls listen + connect on 127.0.0.1:${port}, verified by the demo CA`);
  try {
    const client = await connect({ host: '127.0.0.1', port, servername: 'localhost', ca: certs.ca, timeout: 5000 });
    const cert = client.getPeerCertificate();
    note(
      `handshake done in ${ms(started)}: ${client.getProtocol()}, ${client.getCipher()?.name}, ` +
        `authorized=${client.authorized}, server CN=${cert?.subject.CN} issued by ${cert?.issuer.CN}`,
    );
    await runLines(client, [
      ['ECHO hello over tls', 'hello over tls'],
      ['ADD 1 2 3 4', '10'],
      ['QUIT', 'BYE'],
    ]);
    await client.readUntilClose();
    client.close();

    // Verification is on by default: without the demo CA, Node's roots do not vouch for the server.
    const refusedStarted = performance.now();
    try {
      await connect({ host: '127.0.0.1', port, servername: 'localhost', timeout: 5000 });
      throw new Error('a client without the demo CA should have refused the server');
    } catch (error) {
      if (!(error instanceof StreamClosedError)) throw error;
      const code = (error.realError as { code?: string } | null)?.code;
      note(
        `a client without the demo CA refuses the server: ${error.code}, realError ${code}  (${ms(refusedStarted)})`,
      );
    }
  } finally {
    await server.close({ closeStreams: true });
  }
  note(`step done in ${ms(started)}`);
}
