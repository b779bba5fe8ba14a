import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDataSet } from '../src/data/dataset.js';
import { locate, readYamlSource } from '../src/data/yaml-source.js';
import type { YamlSource } from '../src/data/yaml-source.js';
import { corpusCases } from './helpers/corpus.js';
import { SEED_DATA, seedFiles } from './helpers/data.js';

/**
 * Commands that read many versions of the plan (diff, log, status, trend) look for no
 * warnings, and let each file's YAML document go once its values are read: it is parsed
 * again, the same way, only to place a problem. Nothing they report may differ.
 */

/** A source that let its document go has a getter in its place. */
const documentLetGo = (source: YamlSource) => typeof Object.getOwnPropertyDescriptor(source, 'doc')?.get === 'function';

describe('reading data without keeping the document', () => {
  it('lets the document go, and places values where the kept document places them', () => {
    const text = readFileSync(join(SEED_DATA, 'recommendations-2012.yaml'));
    const light = readYamlSource('recommendations-2012.yaml', text, { keepDocument: false }).source!;
    const kept = readYamlSource('recommendations-2012.yaml', text).source!;
    expect(documentLetGo(light)).toBe(true);
    expect(documentLetGo(kept)).toBe(false);
    expect(light.value).toEqual(kept.value);
    for (const path of [['groups', 0, 'items', 2, 'status'], ['groups', 1, 'title'], ['title'], ['groups', 0, 'items', 0, 'no-such-key']]) {
      expect(locate(light, path)).toEqual(locate(kept, path));
    }
    // A folded text holding a list keeps its lines in the document parsed again too.
    const folded = new TextEncoder().encode('text: >-\n  Items:\n  - one\n  - two\n');
    const again = readYamlSource('x.yaml', folded, { keepDocument: false }).source!;
    const first = readYamlSource('x.yaml', folded).source!;
    expect(again.value).toEqual({ text: 'Items:\n- one\n- two' });
    expect(again.doc.toJS()).toEqual(first.doc.toJS());
    expect(again.doc.toJS()).toEqual(again.value);
  });

  it('reports every case of the error corpus as a build reports it, at the same places', async () => {
    const cases = await corpusCases<{ remove?: string[]; padPastCap?: string }>(new URL('./fixtures/invalid/', import.meta.url).pathname);
    let compared = 0;
    for (const { name, dir, expected } of cases) {
      if (expected.padPastCap || readdirSync(dir).includes('csi.config.yaml')) continue;
      const files = await seedFiles();
      for (const file of expected.remove ?? []) files.delete(file);
      for (const file of readdirSync(dir)) if (file !== 'expected.json') files.set(file, readFileSync(join(dir, file)));
      const light = parseDataSet(files, { warnings: false });
      const kept = parseDataSet(files);
      const problems = (r: typeof light) => (r.ok ? [] : r.problems.map((p) => [p.code, p.message, p.position, p.hint, p.excerpt]));
      expect(light.ok, name).toBe(false);
      expect(problems(light), name).toEqual(problems(kept));
      compared++;
    }
    expect(compared).toBeGreaterThan(30);
  });
});
