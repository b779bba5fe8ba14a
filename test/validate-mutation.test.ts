import { readdirSync, readFileSync } from 'node:fs';
import { isMap, isScalar, LineCounter, parseDocument, visit } from 'yaml';
import type { Node as YamlNode, Pair } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseDataSet } from '../src/data/dataset.js';
import { SEED_DATA, seedFiles } from './helpers/data.js';

/**
 * Mutation tests: each seed data file is broken in the ways officers break them,
 * and csi must name that file and the line that was changed. Where to mutate is
 * found by reading the file with the yaml library here, independently of csi.
 */

const DATA_FILES = readdirSync(SEED_DATA).filter((f) => f.endsWith('.yaml')).sort();

interface Key {
  name: string;
  /** Offset of the key in the text. */
  offset: number;
  line: number;
  /** The keys before it in the same mapping. */
  siblingsBefore: string[];
  value: YamlNode | null;
}

/** Every key in a file, in document order, with its line. */
function keysOf(text: string): Key[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const keys: Key[] = [];
  visit(doc, {
    Map(_, map) {
      const names: string[] = [];
      for (const pair of map.items as Pair<YamlNode, YamlNode | null>[]) {
        if (!isScalar(pair.key) || !pair.key.range) continue;
        const offset = pair.key.range[0];
        keys.push({ name: String(pair.key.value), offset, line: lineCounter.linePos(offset).line, siblingsBefore: [...names], value: pair.value });
        names.push(String(pair.key.value));
      }
    },
  });
  return keys.sort((a, b) => a.offset - b.offset);
}

const lineAt = (text: string, offset: number) => text.slice(0, offset).split('\n').length;
const splice = (text: string, from: number, to: number, insert: string) => text.slice(0, from) + insert + text.slice(to);

/** A mutation: the changed text and the line csi must point at, or nothing if it does not apply to this file. */
type Mutation = (text: string) => { text: string; line: number } | undefined;

/** Picks the first, a middle and the last of the candidates, so every part of a file gets broken. */
function spread<T>(items: T[]): T[] {
  if (items.length <= 3) return items;
  return [items[0]!, items[Math.floor(items.length / 2)]!, items.at(-1)!];
}

const MUTATIONS: Record<string, (text: string) => ReturnType<Mutation>[]> = {
  'an unknown key': (text) =>
    spread(keysOf(text)).map((k) => ({ text: splice(text, k.offset, k.offset + k.name.length, `${k.name}x`), line: k.line })),

  'a duplicated key': (text) =>
    spread(keysOf(text).filter((k) => k.siblingsBefore.length > 0)).map((k) => ({
      text: splice(text, k.offset, k.offset + k.name.length, k.siblingsBefore[0]!),
      line: k.line,
    })),

  'a duplicated id': (text) => {
    const ids = keysOf(text).filter((k) => k.name === 'id' && isScalar(k.value) && k.value.range);
    const first = ids[0];
    return spread(ids.slice(1)).map((k) => {
      const [from, to] = (k.value as YamlNode).range!;
      return { text: splice(text, from, to, String((first!.value as { value: unknown }).value)), line: lineAt(text, from) };
    });
  },

  'an impossible date': (text) =>
    spread(keysOf(text).filter((k) => /date$/.test(k.name) && isScalar(k.value) && k.value.range)).map((k) => {
      const [from, to] = (k.value as YamlNode).range!;
      return { text: splice(text, from, to, '2017-02-30'), line: lineAt(text, from) };
    }),

  'broken YAML syntax': (text) =>
    spread(keysOf(text).filter((k) => isScalar(k.value) && k.value.range && !/^[|>]/.test(text.slice(k.value.range[0])))).map((k) => {
      const [from] = (k.value as YamlNode).range!;
      return { text: splice(text, from, from, '[unclosed, '), line: lineAt(text, from) };
    }),
};

describe('a mutation of any data file is reported at the file and line mutated', () => {
  const cases: { file: string; mutation: string; index: number }[] = [];
  for (const file of DATA_FILES) {
    const text = readFileSync(`${SEED_DATA}/${file}`, 'utf8');
    for (const [mutation, make] of Object.entries(MUTATIONS)) {
      make(text).forEach((m, index) => m && cases.push({ file, mutation, index }));
    }
  }

  it('covers every data file with an unknown key, a duplicated key and broken syntax', () => {
    for (const file of DATA_FILES) {
      for (const mutation of ['an unknown key', 'a duplicated key', 'broken YAML syntax']) {
        expect(cases.some((c) => c.file === file && c.mutation === mutation), `${mutation} in ${file}`).toBe(true);
      }
    }
    expect(cases.filter((c) => c.mutation === 'a duplicated id').length).toBeGreaterThanOrEqual(DATA_FILES.length - 1);
    expect(cases.some((c) => c.mutation === 'an impossible date')).toBe(true);
  });

  it.each(cases)('$mutation in $file (#$index)', async ({ file, mutation, index }) => {
    const text = readFileSync(`${SEED_DATA}/${file}`, 'utf8');
    const mutated = MUTATIONS[mutation]!(text)[index]!;
    const result = parseDataSet(await seedFiles({ [file]: mutated.text }));
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    const at = problems.map((p) => `${p.position?.file}:${p.position?.line} ${p.code}: ${p.message}`);
    expect(at.some((p) => p.startsWith(`${file}:${mutated.line} `)), at.join('\n')).toBe(true);
  });
});

// Keep the mutation helpers honest: a key found here is where the text says it is.
describe('the mutation helpers', () => {
  it('find keys on the lines where they are written', () => {
    const text = readFileSync(`${SEED_DATA}/glossary.yaml`, 'utf8');
    const terms = keysOf(text).find((k) => k.name === 'terms')!;
    expect(text.split('\n')[terms.line - 1]).toBe('terms:');
    expect(isMap(parseDocument(text).contents)).toBe(true);
  });
});
