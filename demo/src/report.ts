/** How the demo prints: one numbered section per step, one line per exchange, and timings. */

const MAX_SHOWN = 72;

/** Bytes or text as a quoted, escaped string, cut short when long. */
export function quote(data: Uint8Array | string): string {
  const text = typeof data === 'string' ? data : Buffer.from(data).toString('latin1');
  const json = JSON.stringify(text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text);
  return text.length > MAX_SHOWN ? `${json} (${text.length} bytes)` : json;
}

export function ms(since: number): string {
  return `${(performance.now() - since).toFixed(1)} ms`;
}

let section = 0;

export function heading(title: string): void {
  section++;
  console.log(`\n${section}. ${title}`);
}

/** `from → to  "data"`, plus how long that exchange took when `since` is given. */
export function shown(from: string, to: string, data: Uint8Array | string, since?: number): void {
  const arrow = `${from} → ${to}`.padEnd(18);
  console.log(`   ${arrow} ${quote(data)}${since === undefined ? '' : `  (${ms(since)})`}`);
}

export function note(text: string): void {
  console.log(`   ${text}`);
}

/** Compare what came back with what the protocol promises; a mismatch fails the demo with both shown. */
export function expectEqual(what: string, actual: Uint8Array | string, expected: string): void {
  const text = typeof actual === 'string' ? actual : Buffer.from(actual).toString('latin1');
  if (text !== expected) throw new Error(`${what}: expected ${quote(expected)}, got ${quote(text)}`);
}
