import { readmeExampleTests } from '@iostream/testkit/readme-tests';

// The Markdown whose examples import packages that cannot resolve them from their own
// directory: the root README and the guides (no package), core's README (it imports
// @iostream/testkit, which depends on core) and testkit's (it imports @iostream/tls).
// The demo depends on every package, so each ```ts block runs from here as a complete
// program: exit 0, nothing on stderr, ended by itself. Blocks marked
// `<!-- not-run: reason -->` above their fence are not run. demo/turbo.json lists these
// files as inputs of this package's test task.
const MARKDOWN = ['README.md', 'docs/writing-a-transport.md', 'packages/core/README.md', 'packages/testkit/README.md'];

for (const name of MARKDOWN) readmeExampleTests(new URL('..', import.meta.url), { readme: `../${name}` });
