import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { parseCache, parseDataSet } from '../src/data/dataset.js';
import type { DataSet } from '../src/data/dataset.js';
import { readDataDir } from '../src/data/read.js';
import { collectItems, itemsCache } from '../src/diff/items.js';
import type { Audience } from '../src/model/exempt.js';
import { buildModel, modelCache } from '../src/model/report.js';
import { withholdMemo, withholdVersions } from '../src/model/withhold.js';
import { EXAMPLE_CONFIG } from './helpers/data.js';

// csi log reads hundreds of versions that share most of their appendices, and models,
// withholds and collects each shared appendix once (ModelCache, WithholdMemo,
// ItemsCache). What they save must never change what comes out: here the same
// versions go through with and without them, and must come out equal. The example
// council's plan has an exempt measure in its scorecard and an exempt paragraph; the
// versions shift the stand-ins (an exempt section put first), mark an item exempt in
// the latest version only (carried back to the earlier ones), and move the meeting.

async function example(): Promise<DataSet> {
  const config = await loadConfig(EXAMPLE_CONFIG);
  const parsed = parseDataSet(await readDataDir(config.dataDir!), { statuses: config.statuses, cache: parseCache(), warnings: false });
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('\n'));
  return parsed.data;
}

/** Versions of the example that share its appendices (the same objects, as a history's versions do). */
function versions(data: DataSet): DataSet[] {
  const [first, ...rest] = data.report.sections;
  const exemptFirst = { ...first!, id: 'exempt-first', exempt: { paragraph: 3 } };
  const moved = { ...data, report: { ...data.report, meeting_date: '2030-01-15' } };
  const shifted = { ...data, report: { ...data.report, sections: [exemptFirst, first!, ...rest] } };
  // The latest version marks the tracker's first item exempt: every earlier version withholds it too.
  const tracker = data.appendices.findIndex((a) => a.kind === 'recommendations');
  expect(tracker).toBeGreaterThanOrEqual(0);
  const appendix = data.appendices[tracker]!;
  if (appendix.kind !== 'recommendations') throw new Error('not a tracker');
  const [group, ...groups] = appendix.groups;
  const [item, ...items] = group!.items;
  const marked = { ...appendix, groups: [{ ...group!, items: [{ ...item!, exempt: { paragraph: 3 } }, ...items] }, ...groups] };
  const latest = { ...data, appendices: data.appendices.map((a, i) => (i === tracker ? marked : a)) };
  return [data, shifted, moved, data, shifted, latest];
}

function run(list: DataSet[], audience: Audience, cached: boolean) {
  const models = modelCache();
  const items = itemsCache();
  const withheld = withholdVersions(
    list.map((d) => (cached ? buildModel(d, models) : buildModel(d))),
    audience,
    cached ? withholdMemo() : undefined,
  );
  return { withheld, items: withheld.map((m, i) => collectItems(m, list[i]!.appendixFiles, cached ? items : undefined)) };
}

describe('the caches a history reads through', () => {
  for (const audience of ['public', 'exempt'] as const) {
    it(`change nothing that comes out, for the ${audience} audience`, async () => {
      const list = versions(await example());
      const plain = run(list, audience, false);
      const cached = run(list, audience, true);
      expect(cached.withheld).toEqual(plain.withheld);
      // Each version reads its texts through its own model (PlanItems.read, a function made afresh): compared by what it reads.
      const withoutReader = (list: typeof plain.items) => list.map(({ read: _, ...rest }) => rest);
      expect(withoutReader(cached.items)).toEqual(withoutReader(plain.items));
      const sample = 'See [[appendix:ofsted-2016]] and **this**.';
      expect(cached.items.map((p) => p.read?.(sample))).toEqual(plain.items.map((p) => p.read?.(sample)));
      expect(cached.items[0]!.read?.(sample)).toMatch(/^See Appendix \d+ and this.$/);
      // And they were used: versions that share an appendix share what was made of it.
      // (The scorecard holds an exempt measure: for the public it is withheld afresh in each version.)
      const kind = audience === 'public' ? 'chronology' : 'scorecard';
      const appendixAt = (n: number) => cached.withheld[n]!.appendices.find((a) => a.kind === kind);
      expect(appendixAt(0)).toBeDefined();
      expect(appendixAt(0)).toBe(appendixAt(3));
    });
  }

  it('the public versions hold no stand-in of another version', async () => {
    const list = versions(await example());
    const cached = run(list, 'public', true);
    // The exempt section put first shifts every stand-in after it: exempt-1 is the section in those versions.
    expect(cached.withheld[1]!.sections[0]!.id).toBe('exempt-1');
    expect(cached.withheld[0]!.sections[0]!.id).not.toBe('exempt-1');
  });
});
