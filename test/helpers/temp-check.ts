// vitest globalSetup: the whole run gets a temp folder of its own (TMPDIR, which every
// test, csi and Chromium it starts inherit), and fails if anything is left in it at the
// end: a test that did not clean up, or csi leaving a browser profile or a file behind.
// Its own folder, not the system's, so other runs on the machine do not count.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default async function setup(): Promise<() => Promise<void>> {
  const root = await mkdtemp(join(tmpdir(), 'csi-vitest-'));
  const before = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return async () => {
    const left = await readdir(root);
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    await rm(root, { recursive: true, force: true, maxRetries: 3 });
    if (left.length > 0) throw new Error(`the tests left ${left.length} thing(s) in the temp folder: ${left.sort().join(', ')}`);
  };
}
