import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
// @ts-expect-error a plain ES module script without type declarations
import { generate, writePlan } from '../scripts/gen.mjs';
import { parseDataSet } from '../src/data/dataset.js';
import type { DataSet } from '../src/data/dataset.js';
import { readDataDir } from '../src/data/read.js';
import { SEED_DATA, tempDir } from './helpers/data.js';

type Generate = (options: { scale: number; seed?: string; revise?: boolean }) => Promise<Map<string, string>>;
const gen = generate as Generate;

/** How many items of each kind a data set tracks. */
function counts(data: DataSet) {
  const c = { entries: 0, groups: 0, items: 0, aspirations: 0, bodies: 0 };
  for (const a of data.appendices) {
    if (a.kind === 'chronology') c.entries += a.entries.length;
    if (a.kind === 'recommendations') {
      c.groups += a.groups.length;
      c.items += a.groups.reduce((n, g) => n + g.items.length, 0);
    }
    if (a.kind === 'aspirations') c.aspirations += a.aspirations.length;
    if (a.kind === 'framework') c.bodies += a.bodies.length;
  }
  return c;
}

async function load(dir: string): Promise<DataSet> {
  const parsed = parseDataSet(await readDataDir(dir));
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => `${p.position?.file}:${p.position?.line} ${p.message}`).join('\n'));
  return parsed.data;
}

describe('the synthetic plan generator', () => {
  it('writes a valid plan ten times the seed, items in every appendix kind', async () => {
    const dir = await tempDir('csi-gen-');
    await writePlan(dir, await gen({ scale: 10 }));
    const seed = counts(await load(SEED_DATA));
    const big = await load(dir);
    const c = counts(big);
    expect(c.entries).toBe(seed.entries * 10);
    expect(c.groups).toBe(seed.groups * 10);
    expect(c.items).toBe(seed.items * 10);
    expect(c.aspirations).toBe(seed.aspirations * 10);
    expect(c.bodies).toBeGreaterThan(seed.bodies);
    // The seed's own items are all still there.
    const ids = (d: DataSet) => new Set(d.appendices.flatMap((a) => ('entries' in a ? a.entries.map((e) => e.id) : [])));
    expect([...ids(await load(SEED_DATA))].every((id) => ids(big).has(id))).toBe(true);
  });

  it('splits a 100× plan into files under the size cap, each listed in report.yaml', async () => {
    const dir = await tempDir('csi-gen-');
    await writePlan(dir, await gen({ scale: 100 }));
    const data = await load(dir);
    expect(counts(data).items).toBeGreaterThan(5000);
    expect(data.appendices.length).toBeGreaterThan(5);
    expect(data.report.appendices).toContain('recommendations-2012-part-2');
    expect((await readdir(dir)).length).toBe(data.appendices.length + 2);
  });

  it('gives the same bytes for the same seed and different text for another', async () => {
    const a = await gen({ scale: 3, seed: 'a' });
    expect(await gen({ scale: 3, seed: 'a' })).toEqual(a);
    expect((await gen({ scale: 3, seed: 'b' })).get('chronology.yaml')).not.toBe(a.get('chronology.yaml'));
  });

  it('is the seed itself at scale 1', async () => {
    const one = await gen({ scale: 1 });
    const seed = await readDataDir(SEED_DATA);
    expect([...one.keys()]).toEqual([...seed.keys()]);
    expect(one.get('chronology.yaml')).toBe(new TextDecoder().decode(seed.get('chronology.yaml')));
  });

  it('writes a valid later version of the same plan with --revise', async () => {
    const base = await tempDir('csi-gen-');
    const next = await tempDir('csi-gen-');
    await writePlan(base, await gen({ scale: 10 }));
    await writePlan(next, await gen({ scale: 10, revise: true }));
    const before = await load(base);
    const after = await load(next);
    const statuses = (d: DataSet) =>
      new Map(d.appendices.flatMap((a) => (a.kind === 'recommendations' ? a.groups.flatMap((g) => g.items.map((i) => [i.id, i.status] as const)) : [])));
    const was = statuses(before);
    const now = statuses(after);
    expect([...now].filter(([id, s]) => was.has(id) && was.get(id) !== s).length).toBeGreaterThan(0);
    expect([...was.keys()].filter((id) => !now.has(id)).length).toBeGreaterThan(0);
    expect([...now.keys()].filter((id) => !was.has(id)).length).toBeGreaterThan(0);
  });
});
