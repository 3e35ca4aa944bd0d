import { readmeExampleTests } from '@iostream/testkit/readme-tests';

// Every ```ts block of the README is a complete program: run from this package (whose
// node_modules resolve its imports), it must exit 0, print nothing on stderr and end by
// itself. A block marked `<!-- not-run: reason -->` above its fence is not run.
readmeExampleTests(new URL('..', import.meta.url));
