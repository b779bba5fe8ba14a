import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { readDataDir } from '../../src/data/read.js';
import { buildReport } from '../../src/pipeline.js';
import type { BuildOptions, BuildResult } from '../../src/pipeline.js';
import { tempDir } from './temp.js';

export const SEED_DATA = new URL('../../data/', import.meta.url).pathname;
export const SEED_REPORT = new URL('../../../shared/seed/000_d785779901d046b0.txt', import.meta.url).pathname;

export { tempDir };

/** The seed data as bytes, with some files replaced or added. */
export async function seedFiles(changes: Record<string, string> = {}): Promise<Map<string, Uint8Array>> {
  const files = await readDataDir(SEED_DATA);
  for (const [name, text] of Object.entries(changes)) files.set(name, new TextEncoder().encode(text));
  return files;
}

/** A copy of the seed data directory, with one file edited by `edit`. */
export async function seedCopy(file?: string, edit?: (text: string) => string): Promise<string> {
  const dir = await tempDir('csi-data-');
  await cp(SEED_DATA, dir, { recursive: true });
  if (file && edit) {
    const path = join(dir, file);
    await writeFile(path, edit(await readFile(path, 'utf8')));
  }
  return dir;
}

/** Seed text of one data file. */
export async function seedText(file: string): Promise<string> {
  return readFile(join(SEED_DATA, file), 'utf8');
}

/** The example plan of a second, fictional council: its csi.config.yaml (its data folder, statuses, branding). */
export const EXAMPLE_CONFIG = new URL('../../examples/westmere/csi.config.yaml', import.meta.url).pathname;

/** The example of a council RAG tracker (areas above actions, its own columns and due words). */
export const TRACKER_EXAMPLE_CONFIG = new URL('../../examples/eastmoor/csi.config.yaml', import.meta.url).pathname;

/** Builds the example council's plan (or the one `configFile` names) as `csi build-report` would with its config. */
export async function buildExample(options: Omit<BuildOptions, 'dataDir' | 'branding' | 'statuses'>, configFile = EXAMPLE_CONFIG): Promise<BuildResult> {
  const config = await loadConfig(configFile);
  return buildReport({ ...options, dataDir: config.dataDir!, branding: config.branding, statuses: config.statuses });
}
