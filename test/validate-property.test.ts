import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { parseDataSet } from '../src/data/dataset.js';
import { SEED_DATA, seedCopy, seedFiles } from './helpers/data.js';

/**
 * Property: whatever is done to a valid data file, the validator does not crash,
 * and says either "valid" or lists problems that each point inside a file.
 */

const FILES = readdirSync(SEED_DATA).filter((f) => f.endsWith('.yaml')).sort();
const TEXTS = new Map(FILES.map((f) => [f, readFileSync(`${SEED_DATA}/${f}`, 'utf8')]));

/** Fragments that mean something to YAML or to csi, and some that mean nothing. */
const FRAGMENT = fc.oneof(
  fc.constantFrom(
    ': ', '- ', '? ', '[', ']', '{', '}', ',', '"', "'", '#', '&a ', '*a', '!!binary ', '|', '>-', '\n', '\t', '\r\n',
    '---\n', '<<: ', 'status: done', 'id: purpose', 'date: 2017-02-30', '[[appendix:nowhere]]', '[[item:x]]',
    'key: chronology', 'kind: framework', '~', 'null', 'true', '42', '\u0000', '\ufeff', '\u202e', 'é', '😀',
  ),
  fc.string({ maxLength: 8 }),
);

type Edit =
  | { op: 'insert'; at: number; text: string }
  | { op: 'delete'; at: number; length: number }
  | { op: 'duplicate-line'; line: number }
  | { op: 'delete-line'; line: number }
  | { op: 'swap-lines'; line: number; other: number }
  | { op: 'indent'; line: number; by: number };

const EDIT: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: FRAGMENT }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant('duplicate-line' as const), line: fc.nat() }),
  fc.record({ op: fc.constant('delete-line' as const), line: fc.nat() }),
  fc.record({ op: fc.constant('swap-lines' as const), line: fc.nat(), other: fc.nat() }),
  fc.record({ op: fc.constant('indent' as const), line: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
);

function apply(text: string, edit: Edit): string {
  const lines = text.split('\n');
  const n = (i: number) => i % lines.length;
  switch (edit.op) {
    case 'insert': {
      const at = edit.at % (text.length + 1);
      return text.slice(0, at) + edit.text + text.slice(at);
    }
    case 'delete': {
      const at = edit.at % (text.length + 1);
      return text.slice(0, at) + text.slice(at + edit.length);
    }
    case 'duplicate-line':
      lines.splice(n(edit.line), 0, lines[n(edit.line)]!);
      return lines.join('\n');
    case 'delete-line':
      lines.splice(n(edit.line), 1);
      return lines.join('\n');
    case 'swap-lines': {
      const [a, b] = [n(edit.line), n(edit.other)];
      [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      return lines.join('\n');
    }
    case 'indent': {
      const i = n(edit.line);
      const line = lines[i]!;
      lines[i] = edit.by >= 0 ? ' '.repeat(edit.by) + line : line.replace(new RegExp(`^ {0,${-edit.by}}`), '');
      return lines.join('\n');
    }
  }
}

const MUTATION = fc.record({
  file: fc.constantFrom(...FILES),
  edits: fc.array(EDIT, { minLength: 1, maxLength: 4 }),
});

const mutate = ({ file, edits }: { file: string; edits: Edit[] }) => edits.reduce(apply, TEXTS.get(file)!);

describe('random mutations of the seed data', () => {
  it('never crash the validator, and give "valid" or problems that point inside a file', async () => {
    const seed = await seedFiles();
    fc.assert(
      fc.property(MUTATION, (mutation) => {
        const text = mutate(mutation);
        const files = new Map(seed);
        files.set(mutation.file, new TextEncoder().encode(text));
        const result = parseDataSet(files);
        if (result.ok) return;
        expect(result.problems.length).toBeGreaterThan(0);
        for (const p of result.problems) {
          expect(p.code).toMatch(/^[A-Z][A-Z0-9_]+$/);
          expect(p.message.length).toBeGreaterThan(0);
          const pos = p.position!;
          expect(files.has(pos.file)).toBe(true);
          const lines = new TextDecoder().decode(files.get(pos.file)).split('\n');
          expect(pos.line).toBeGreaterThanOrEqual(1);
          expect(pos.line).toBeLessThanOrEqual(lines.length);
          expect(pos.column).toBeGreaterThanOrEqual(1);
          expect(pos.column).toBeLessThanOrEqual((lines[pos.line - 1]?.length ?? 0) + 1);
        }
      }),
      { numRuns: 250 },
    );
  });

  it('never print a stack trace through the command line, and exit 0 or 1', async () => {
    await fc.assert(
      fc.asyncProperty(MUTATION, async (mutation) => {
        const data = await seedCopy(mutation.file, () => mutate(mutation));
        let stderr = '';
        const code = await main(['validate', data], {
          stdout: { write: () => true },
          stderr: { write: (s: string) => (stderr += s) },
          env: {},
          cwd: process.cwd(),
        });
        expect([0, 1]).toContain(code);
        expect(stderr).not.toMatch(/^\s+at /m);
        expect(stderr).not.toContain('unexpected failure');
      }),
      { numRuns: 40 },
    );
  });
});
