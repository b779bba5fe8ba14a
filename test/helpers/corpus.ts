import { cp, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { SEED_DATA, tempDir } from './data.js';

/** The cases of a corpus laid out as <root>/<CODE>/<case>/expected.json, in order. */
export async function corpusCases<Expected>(root: string): Promise<{ name: string; dir: string; expected: Expected }[]> {
  const cases = [];
  for (const code of (await readdir(root)).sort()) {
    for (const name of (await readdir(join(root, code))).sort()) {
      const dir = join(root, code, name);
      cases.push({ name: `${code}/${name}`, dir, expected: JSON.parse(await readFile(join(dir, 'expected.json'), 'utf8')) as Expected });
    }
  }
  return cases;
}

/**
 * A copy of the seed data with a case's files laid over it (all but `expected.json` and
 * those in `skip`), less the seed files it removes.
 */
export async function seedWithCase(dir: string, options: { remove?: readonly string[]; skip?: readonly string[] } = {}): Promise<string> {
  const data = await tempDir('csi-corpus-');
  await cp(SEED_DATA, data, { recursive: true });
  for (const file of options.remove ?? []) await rm(join(data, file));
  const skip = new Set(['expected.json', ...(options.skip ?? [])]);
  for (const file of await readdir(dir)) if (!skip.has(file)) await cp(join(dir, file), join(data, file));
  return data;
}
